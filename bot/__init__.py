"""HSG patient assistant.

The folders say which process a module runs in (docs/architecture.md draws it):

- `bot/rasa_server/` — loaded by the Rasa server: the NLU component, the input channels, the safety net
  and the tracker store. The only package here (with `web/`) that imports Rasa or Sanic.
- `bot/web/` — the web app (Starlette): patient chat page and widget, nurse inbox, JSON API.
- `bot/ops/` — what an operator runs: `make run`'s supervisor and `python -m bot` admin commands.
- `bot/triage/`, `bot/content/`, `bot/phone/` and the modules at this level (`vocabulary`, `config`,
  `clinic`, `dates`, `language`, `privacy`) — the domain: plain Python, plain data in and out, used by
  every process. `bot/storage/` below them keeps escalations, nurses and transcripts.

`actions/` (beside this package) is the action server: it only adapts Rasa to the domain here.
`tools/` holds evaluation and benchmarks. No module does I/O at import time.
"""
