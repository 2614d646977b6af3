"""Operations: `python -m luckychit_app COMMAND`. Each prints what it did and exits non-zero on failure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from luckychit_app.settings import ROOT, get_settings


def _alembic_config():  # noqa: ANN202
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", get_settings().database_url.replace("%", "%%"))
    return cfg


def migrate() -> int:
    from alembic import command

    command.upgrade(_alembic_config(), "head")
    print(f"migrated {get_settings().database_url.split('@')[-1]} to head")
    return 0


def seed_demo() -> int:
    from luckychit_app.db import transaction
    from luckychit_app.seeding.demo import DEMO_LOGINS, seed_demo_data

    with transaction() as session:
        created = seed_demo_data(session)
    print("demo data created" if created else "database already has users; demo data left as it is")
    print("Demo logins (mobile / password):")
    for role, mobile, password in DEMO_LOGINS:
        print(f"  {role:<8} {mobile} / {password}")
    return 0


def seed_bench(groups: int, members: int, months: int, foremen: int, seed: int) -> int:
    """Bulk-load a large book for benchmarks (see luckychit_app.seeding.bench)."""
    from luckychit_app.db import get_engine
    from luckychit_app.seeding.bench import BENCH_PASSWORD, BenchShape
    from luckychit_app.seeding.bench import seed_bench as load

    shape = BenchShape(groups=groups, members=members, months=months, foremen=foremen, rng_seed=seed)
    try:
        report = load(get_engine(), shape)
    except RuntimeError as exc:
        print(f"seed-bench: {exc}")
        return 1
    print(
        f"seeded {groups} groups x {shape.tickets_per_group} tickets, {members} members, {months} months "
        f"in {report.seconds:.1f}s (build {report.build_seconds:.1f}s, load {report.load_seconds:.1f}s)"
    )
    for table, count in report.counts.items():
        took = report.table_seconds.get(table)
        print(f"  {table:<22} {count:>9,}" + (f"  loaded in {took:.1f}s" if took is not None else ""))
    if "ANALYZE" in report.table_seconds:
        print(f"  ANALYZE took {report.table_seconds['ANALYZE']:.1f}s")
    print(f"logins (password {BENCH_PASSWORD}): foreman {report.foreman_mobiles[0]}, members 7000000001 ...")
    return 0


def audit_verify() -> int:
    from luckychit_app.db import transaction
    from luckychit_app.services.audit import verify_chain

    with transaction() as session:
        report = verify_chain(session)
    if report.ok:
        print(f"audit chains OK ({report.describe()})")
        return 0
    print(f"audit chain BROKEN: {report.describe()}")
    return 1


def ledger_check() -> int:
    """On the read replica when READ_DATABASE_URL is set (db.read_transaction): the books as of the
    replica's last replayed transaction, which is consistent, as every snapshot is."""
    from luckychit_app.db import read_transaction
    from luckychit_app.services.money.ledger import ledger_check as check

    with read_transaction() as session:
        problems = check(session)
    if not problems:
        print("ledger OK: every entry balances and every invariant holds")
        return 0
    for problem in problems:
        print(f"LEDGER INVARIANT BROKEN: {problem}")
    return 1


def rotate_keys() -> int:
    from luckychit_app.db import transaction
    from luckychit_app.services.money import guarantors
    from luckychit_app.services.people.kyc import rotate_keys as rotate

    with transaction() as session:
        count = rotate(session)
        sureties = guarantors.rotate_keys(session)
    print(f"re-encrypted {count} KYC records and {sureties} guarantors' numbers under the active key")
    return 0


def export_proofs(directory: str) -> int:
    """On the read replica when READ_DATABASE_URL is set (db.read_transaction): a draw completed in
    the last moment of replication delay is left for the next export."""
    from sqlmodel import select

    from luckychit_app.db import read_transaction
    from luckychit_app.models import Draw

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    with read_transaction() as session:
        for draw in session.exec(select(Draw).where(Draw.status == "completed").order_by(Draw.id)).all():
            (out / f"draw-{draw.id}-group-{draw.group_id}-month-{draw.month}.json").write_text(
                draw.proof_json or "", encoding="utf-8"
            )
            count += 1
    print(f"wrote {count} proofs to {out}")
    return 0


def reconcile(min_age_minutes: int, expire_hours: int) -> int:
    """Settle online payments left pending by asking the gateway, and push refunds in flight."""
    from datetime import timedelta

    from luckychit_app.gateways.choice import get_gateway
    from luckychit_app.services.money.online_reconcile import reconcile as settle

    gateway = get_gateway()
    counts = settle(
        gateway=gateway,
        min_age=timedelta(minutes=min_age_minutes),
        expire_after=timedelta(hours=expire_hours),
    )
    print(
        f"reconciled with the {gateway.name} gateway: {counts['checked']} pending checked, "
        f"{counts['captured']} captured, {counts['failed']} marked failed, {counts['refunds']} refunds "
        f"settled, {counts['errors']} could not be reached"
    )
    return 1 if counts["errors"] else 0


def close_due_auctions() -> int:
    """Settle auctions past their closing time (the app's workers do this every second; this is for
    cron, or for a deployment whose workers are down). Safe to run beside the workers."""
    from luckychit_app.background import close_due_auctions as close

    counts = close()
    print(
        f"auctions past their closing time: {counts['settled']} settled, {counts['unsold']} without a bid "
        f"to settle (left open for the foreman), {counts['skipped']} already closed or being closed "
        f"elsewhere, {counts['failed']} failed"
    )
    return 1 if counts["failed"] else 0


def backup(directory: str) -> int:
    """Write one sealed backup of DATABASE_URL into `directory` (services/operations/backup.py)."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    from luckychit_app.services.operations.backup import BackupRefused
    from luckychit_app.services.operations.backup import backup as take

    try:
        path = take(get_settings().database_url, directory)
    except (BackupRefused, OSError, SQLAlchemyError, sqlite3.Error) as exc:
        print(f"backup FAILED: {str(exc).splitlines()[0]}")
        return 1
    print(f"backup written to {path} ({path.stat().st_size:,} bytes)")
    return 0


def restore(file: str, overwrite: bool) -> int:
    """Restore a backup into DATABASE_URL, then prove the books, the audit chain and every proof."""
    from luckychit_app.services.money.ledger import ledger_check as check
    from luckychit_app.services.operations.backup import BackupRefused
    from luckychit_app.services.operations.backup import restore as put_back

    try:
        report = put_back(file, get_settings().database_url, ledger_check=check, overwrite=overwrite)
    except (BackupRefused, OSError) as exc:
        print(f"restore REFUSED, nothing changed: {exc}")
        return 1
    print(report.summary())
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m luckychit_app", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("seed-demo", help="load demo data into an empty database")
    sub.add_parser("audit-verify", help="verify the audit log's hash chain")
    sub.add_parser("ledger-check", help="prove the books balance")
    sub.add_parser("close-due-auctions", help="settle auctions whose closing time has passed")
    sub.add_parser("rotate-keys", help="re-encrypt KYC data under the first key of LUCKYCHIT_DATA_KEYS")
    exp = sub.add_parser("export-proofs", help="write the proof of every completed draw")
    exp.add_argument("directory")
    bench = sub.add_parser("seed-bench", help="bulk-load a large book for benchmarks into an empty database")
    bench.add_argument("--groups", type=int, default=100)
    bench.add_argument("--members", type=int, default=4000)
    bench.add_argument("--months", type=int, default=40)
    bench.add_argument("--foremen", type=int, default=1)
    bench.add_argument("--seed", type=int, default=8, help="random seed, so runs build the same book")
    rec = sub.add_parser("reconcile", help="settle online payments left pending by asking the gateway")
    rec.add_argument("--min-age-minutes", type=int, default=15, help="leave younger orders to the checkout")
    rec.add_argument("--expire-hours", type=int, default=24, help="unpaid orders older than this fail")
    bak = sub.add_parser("backup", help="write a sealed backup of the database into DIR")
    bak.add_argument("directory", metavar="DIR")
    res = sub.add_parser("restore", help="restore a backup into DATABASE_URL and verify it")
    res.add_argument("file", metavar="FILE")
    res.add_argument("--yes", action="store_true", help="overwrite a database that has data")
    args = parser.parse_args(argv)
    if args.command == "backup":
        return backup(args.directory)
    if args.command == "restore":
        return restore(args.file, args.yes)
    if args.command == "reconcile":
        return reconcile(args.min_age_minutes, args.expire_hours)
    if args.command == "export-proofs":
        return export_proofs(args.directory)
    if args.command == "seed-bench":
        return seed_bench(args.groups, args.members, args.months, args.foremen, args.seed)
    return {
        "migrate": migrate,
        "seed-demo": seed_demo,
        "audit-verify": audit_verify,
        "ledger-check": ledger_check,
        "rotate-keys": rotate_keys,
        "close-due-auctions": close_due_auctions,
    }[args.command]()


if __name__ == "__main__":
    sys.exit(main())
