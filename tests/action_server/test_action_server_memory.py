"""The action server runs no model: it must not load TensorFlow (or jax/torch) through spaCy's thinc."""

from __future__ import annotations

import subprocess
import sys

from bot.config import PROJECT_ROOT

PROBE = """
import sys
from bot.ops.action_server import skip_unused_frameworks
skip_unused_frameworks()
import importlib, pkgutil
import rasa_sdk.endpoint
import actions
for module in pkgutil.iter_modules(actions.__path__):  # every action module, as the server loads them
    importlib.import_module("actions." + module.name)
from bot.triage import analyze, warm_up
warm_up()
assert analyze("I have a fever of 38.5 since the hsg", "en").level == "urgent"
loaded = [name for name in ("tensorflow", "jax", "torch") if sys.modules.get(name) is not None]
print("loaded:", loaded)
"""


def test_the_action_server_process_loads_no_ml_framework() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "loaded: []" in done.stdout
