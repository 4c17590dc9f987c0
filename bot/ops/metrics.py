"""Operational metrics: counted in every process, exposed by the web app at `GET /metrics`.

The Rasa server (one or several workers), the action server and the web app are separate
processes. Each counts in memory and writes a snapshot every FLUSH_EVERY_S seconds (and at exit)
to `var/run/metrics/<role>-<pid>.json`, replaced atomically; the web app sums the files when it is
scraped. No shared memory, no server, nothing lost if a process dies (its last snapshot stays and
keeps counting in the totals); the supervisor empties the folder when the stack starts.

Labels are only channels, levels, outcomes and service names: nothing identifies a patient.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import math
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import get_settings

FLUSH_EVERY_S = 2.0
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

# name -> (type, help). Counters end in _total; the histogram is in seconds.
METRICS: dict[str, tuple[str, str]] = {
    "hsg_messages_total": ("counter", "Patient messages handled, per channel"),
    "hsg_turn_seconds": ("histogram", "Time from a patient message to the replies, per channel"),
    "hsg_turn_timeouts_total": ("counter", "Turns over HSG_TURN_TIMEOUT_S (safety net answered)"),
    "hsg_triage_decisions_total": ("counter", "Triage decisions sent to patients, per level"),
    "hsg_escalations_total": ("counter", "Escalations, per outcome (stored, queued, failed) and source"),
    "hsg_safety_net_activations_total": ("counter", "Red-flag advice given by the safety net, per level"),
    "hsg_action_server_errors_total": ("counter", "Custom actions that failed (action server down, erring)"),
    "hsg_service_restarts_total": ("counter", "Restarts by the supervisor, per service"),
    "hsg_service_up": ("gauge", "1 when the supervisor sees the service running and healthy"),
    "hsg_outbox_depth": ("gauge", "Escalations waiting on disk for the database"),
    "hsg_outbox_oldest_age_seconds": ("gauge", "Age of the oldest escalation waiting on disk (0 when none)"),
}

Labels = tuple[tuple[str, str], ...]


def metrics_dir() -> Path:
    return get_settings().run_dir / "metrics"


class Recorder:
    """Counters and histograms of one process, written to its snapshot file in the background."""

    def __init__(self, role: str, folder: Path) -> None:
        self.role = role
        self.path = folder / f"{role}-{os.getpid()}.json"
        self.counters: dict[tuple[str, Labels], float] = {}
        self.histograms: dict[tuple[str, Labels], list[float]] = {}  # bucket counts..., sum, count
        self.lock = threading.Lock()
        self.dirty = False
        thread = threading.Thread(target=self._flush_loop, name="metrics-flush", daemon=True)
        thread.start()
        atexit.register(self.flush)

    def inc(self, name: str, labels: dict[str, str] | None = None, amount: float = 1.0) -> None:
        key = (name, tuple(sorted((labels or {}).items())))
        with self.lock:
            self.counters[key] = self.counters.get(key, 0.0) + amount
            self.dirty = True

    def observe(self, name: str, value: float, labels: dict[str, str] | None = None) -> None:
        key = (name, tuple(sorted((labels or {}).items())))
        with self.lock:
            row = self.histograms.setdefault(key, [0.0] * (len(LATENCY_BUCKETS) + 2))
            for index, bound in enumerate(LATENCY_BUCKETS):
                if value <= bound:
                    row[index] += 1
            row[-2] += value
            row[-1] += 1
            self.dirty = True

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "counters": [[name, dict(labels), value] for (name, labels), value in self.counters.items()],
                "histograms": [[name, dict(labels), row] for (name, labels), row in self.histograms.items()],
            }

    def flush(self) -> None:
        if not self.dirty:
            return
        self.dirty = False
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp = self.path.with_suffix(".tmp")
            temp.write_text(json.dumps(self.snapshot()), encoding="utf-8")
            os.replace(temp, self.path)

    def _flush_loop(self) -> None:
        while True:
            time.sleep(FLUSH_EVERY_S)
            self.flush()


_RECORDER: Recorder | None = None
_RECORDER_LOCK = threading.Lock()


def recorder(role: str = "proc") -> Recorder:
    """This process's recorder (a forked Sanic worker gets its own)."""
    global _RECORDER
    with _RECORDER_LOCK:
        if _RECORDER is None or not _RECORDER.path.name.endswith(f"-{os.getpid()}.json"):
            _RECORDER = Recorder(role, metrics_dir())
        return _RECORDER


def count(name: str, role: str = "proc", amount: float = 1.0, **labels: str) -> None:
    """Add to a counter; never raises (metrics must not break a patient's turn)."""
    with contextlib.suppress(Exception):
        recorder(role).inc(name, labels, amount)


def observe(name: str, seconds: float, role: str = "proc", **labels: str) -> None:
    with contextlib.suppress(Exception):
        recorder(role).observe(name, seconds, labels)


def record_turn(channel: str, seconds: float, replies: Iterable[dict[str, Any]], finished: bool) -> None:
    """What a channel counts for each patient message (called after the safety net)."""
    count("hsg_messages_total", "rasa", channel=channel)
    observe("hsg_turn_seconds", seconds, "rasa", channel=channel)
    if not finished:
        count("hsg_turn_timeouts_total", "rasa", channel=channel)
    for reply in replies:
        triage = (reply.get("custom") or {}).get("triage") if isinstance(reply.get("custom"), dict) else None
        if isinstance(triage, dict) and triage.get("level"):
            count("hsg_triage_decisions_total", "rasa", level=str(triage["level"]))


class ActionErrorCounter(logging.Handler):
    """Counts the custom actions Rasa's processor reports as failed (it logs each one, then goes on)."""

    def emit(self, record: logging.LogRecord) -> None:
        failed = str(record.msg).startswith("Encountered an exception while running")
        if record.levelno >= logging.ERROR and failed:
            count("hsg_action_server_errors_total", "rasa")


def count_action_errors() -> None:
    """Install the counter on Rasa's processor logger, once per process (the Rasa server calls it)."""
    target = logging.getLogger("rasa.core.processor")
    if not any(isinstance(handler, ActionErrorCounter) for handler in target.handlers):
        target.addHandler(ActionErrorCounter(logging.ERROR))


# -- reading, in the web app ----------------------------------------------------------------------


@dataclass
class Totals:
    counters: dict[tuple[str, Labels], float]
    histograms: dict[tuple[str, Labels], list[float]]
    gauges: dict[tuple[str, Labels], float]


def read_totals(folder: Path | None = None) -> Totals:
    """Sum every process's snapshot."""
    folder = folder or metrics_dir()
    counters: dict[tuple[str, Labels], float] = {}
    histograms: dict[tuple[str, Labels], list[float]] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for name, labels, value in data.get("counters", []):
            key = (name, tuple(sorted(labels.items())))
            counters[key] = counters.get(key, 0.0) + float(value)
        for name, labels, row in data.get("histograms", []):
            key = (name, tuple(sorted(labels.items())))
            total = histograms.setdefault(key, [0.0] * len(row))
            for index, value in enumerate(row):
                total[index] += float(value)
    return Totals(counters, histograms, {})


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels: Labels, extra: tuple[tuple[str, str], ...] = ()) -> str:
    items = list(labels) + list(extra)
    if not items:
        return ""
    return "{" + ",".join(f'{key}="{_escape(str(value))}"' for key, value in items) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf"
    return repr(float(value)) if value != int(value) else f"{int(value)}.0"


def render(totals: Totals) -> str:
    """Prometheus text format, written by `prometheus_client` when it is installed."""
    try:
        from prometheus_client import CollectorRegistry, generate_latest
    except ImportError:
        return render_text(totals)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(totals))
    return generate_latest(registry).decode("utf-8")


class _Collector:
    """Hands the summed snapshots to prometheus_client as metric families."""

    def __init__(self, totals: Totals) -> None:
        self.totals = totals

    def collect(self) -> Iterable[Any]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

        for name, (kind, help_text) in METRICS.items():
            sources = {"counter": self.totals.counters, "gauge": self.totals.gauges}
            source = sources.get(kind, self.totals.histograms)
            rows = [(labels, value) for (metric, labels), value in sorted(source.items()) if metric == name]
            label_names = [key for key, _ in rows[0][0]] if rows else []
            if kind == "counter":
                family: Any = CounterMetricFamily(name, help_text, labels=label_names)
            elif kind == "gauge":
                family = GaugeMetricFamily(name, help_text, labels=label_names)
            else:
                family = HistogramMetricFamily(name, help_text, labels=label_names)
            for labels, value in rows:
                values = [str(v) for _, v in labels]
                if kind == "histogram":
                    buckets = [(str(bound), value[i]) for i, bound in enumerate(LATENCY_BUCKETS)]
                    family.add_metric(values, buckets + [("+Inf", value[-1])], value[-2])
                else:
                    family.add_metric(values, value)
            yield family


def render_text(totals: Totals) -> str:
    """Prometheus text exposition format 0.0.4, as prometheus_client writes it (used without it)."""
    lines: list[str] = []
    for name, (kind, help_text) in METRICS.items():
        base = name.removesuffix("_total") if kind == "counter" else name
        lines.append(f"# HELP {base} {help_text}")
        lines.append(f"# TYPE {base} {kind}")
        if kind == "histogram":
            for (metric, labels), row in sorted(totals.histograms.items()):
                if metric != name:
                    continue
                for index, bound in enumerate(LATENCY_BUCKETS):
                    le = _labels(labels, (("le", str(bound)),))
                    lines.append(f"{name}_bucket{le} {_number(row[index])}")
                lines.append(f"{name}_bucket{_labels(labels, (('le', '+Inf'),))} {_number(row[-1])}")
                lines.append(f"{name}_count{_labels(labels)} {_number(row[-1])}")
                lines.append(f"{name}_sum{_labels(labels)} {_number(row[-2])}")
            continue
        source = totals.counters if kind == "counter" else totals.gauges
        for (metric, labels), value in sorted(source.items()):
            if metric == name:
                lines.append(f"{name}{_labels(labels)} {_number(value)}")
    return "\n".join(lines) + "\n"
