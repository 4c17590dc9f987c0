"""Escalations, nurse accounts and the audit log, in the same SQL database as Rasa's tracker store.

`db` makes engines and runs the Alembic migrations, `models` declares the `hsg_*` tables,
`escalations` records what triage decided (with dedupe), `outbox` keeps escalations on disk while
the database is unreachable, `nurses` and `audit` serve the nurse web app.
"""
