"""Command line for operators: database schema, nurse accounts, the escalation outbox.

python -m bot db upgrade            bring the database (DATABASE_URL) to the newest schema
python -m bot db current            print the schema revision
python -m bot nurse add <username>  create the account or reset its password (password on stdin)
python -m bot nurse list | disable <username> | enable <username>
python -m bot outbox flush          store escalations queued while the database was down
python -m bot content review [--profile P] [--out F]
                                    the clinician's review sheet: every text, both languages
python -m bot retention             delete what is older than the profile's retention_days
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from bot.storage import db


def read_password(stream=None) -> str:  # noqa: ANN001 (a text stream)
    """From a terminal: asked twice without echo. Piped: the first line of stdin."""
    stream = stream or sys.stdin
    if stream.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise ValueError("the passwords differ")
        return first
    return stream.readline().rstrip("\r\n")


def cmd_db(args: argparse.Namespace) -> int:
    if args.action == "upgrade":
        db.upgrade()
        print(f"database at revision {db.current_revision()}")
    else:
        print(db.current_revision() or "empty")
    return 0


def cmd_nurse(args: argparse.Namespace) -> int:
    from bot.storage import nurses

    if args.action == "list":
        for row in nurses.list_nurses():
            state = "active" if row["active"] else "disabled"
            print(
                f"{row['username']}\t{state}"
                + (
                    f"\tlocked out from {row['locked_addresses']} address(es)"
                    if row["locked_addresses"]
                    else ""
                )
            )
        return 0
    if not args.username:
        print("a username is needed", file=sys.stderr)
        return 2
    if args.action == "add":
        try:
            outcome = nurses.set_password(args.username, read_password())
        except ValueError as error:
            print(f"not saved: {error}", file=sys.stderr)
            return 2
        print(f"nurse account {nurses.normalise_username(args.username)} {outcome}")
        return 0
    if not nurses.set_active(args.username, args.action == "enable"):
        print("no such account", file=sys.stderr)
        return 1
    print(f"{args.username} {args.action}d")
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from bot.storage.outbox import flush_outbox, queued_files, set_aside_files

    stored = flush_outbox()
    aside = set_aside_files()
    print(f"stored {stored}; waiting {len(queued_files())}; set aside {len(aside)}")
    for path in aside:
        print(f"  set aside (not an escalation the database accepts): {path}")
    return 1 if aside else 0


def cmd_content(args: argparse.Namespace) -> int:
    from datetime import date
    from pathlib import Path

    from bot.clinic import ProfileError, get_profile, load_profile
    from bot.config import get_settings
    from bot.content.review import write_review

    try:
        profile = load_profile(args.profile) if args.profile else get_profile()
    except (OSError, ProfileError) as error:
        print(f"cannot read the profile: {error}", file=sys.stderr)
        return 2
    target = write_review(profile, Path(args.out) if args.out else None, get_settings().var_dir, date.today())
    print(target)
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from bot.clinic import get_profile
    from bot.storage.retention import apply_retention

    days = args.days or get_profile().retention_days
    result = apply_retention(days)
    print(
        f"retention {days} days: deleted {result.conversations} conversations, "
        f"{result.escalations} escalations, {result.files} queued files; "
        f"kept {result.open_kept} unresolved older escalations"
    )
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m bot", description="HSG assistant operations")
    sub = top.add_subparsers(dest="command", required=True)
    p_db = sub.add_parser("db", help="database schema")
    p_db.add_argument("action", choices=["upgrade", "current"])
    p_db.set_defaults(run=cmd_db)
    p_nurse = sub.add_parser("nurse", help="nurse accounts")
    p_nurse.add_argument("action", choices=["add", "list", "disable", "enable"])
    p_nurse.add_argument("username", nargs="?")
    p_nurse.set_defaults(run=cmd_nurse)
    p_outbox = sub.add_parser("outbox", help="escalations queued on disk")
    p_outbox.add_argument("action", choices=["flush"])
    p_outbox.set_defaults(run=cmd_outbox)
    p_content = sub.add_parser("content", help="patient-facing content")
    p_content.add_argument("action", choices=["review"])
    p_content.add_argument("--profile", help="clinic profile (default: CLINIC_PROFILE)")
    p_content.add_argument(
        "--out", help="file to write (default: var/review/review-<profile>-<fingerprint>.md)"
    )
    p_content.set_defaults(run=cmd_content)
    p_retention = sub.add_parser("retention", help="delete what is older than the profile's retention_days")
    p_retention.add_argument("--days", type=int, default=0, help="override the profile (tests, one-off runs)")
    p_retention.set_defaults(run=cmd_retention)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    os.umask(0o077)  # a database file or queued escalation made here is the owner's only
    try:
        return args.run(args)
    finally:
        db.dispose_engines()
