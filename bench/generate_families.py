"""Time `generate_families`, then `generate_delivery`, then `generate_questionnaires`, on a
fresh database: families, delivery rows and questionnaire rows a second, seconds, peak memory.

    .venv/bin/python bench/generate_families.py [N]          # N defaults to 100000

The service period ends today (as the demo's does), so the open cases are as young as a
live service's and the delivery records and questionnaires run up to today.

By default it uses a fresh SQLite file, var/bench/generate_families.sqlite3 (deleted
first). To measure PostgreSQL, name an empty database the script may migrate and fill:

    createdb -h 127.0.0.1 -U postgres ipip_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipip_bench \\
        .venv/bin/python bench/generate_families.py
    dropdb -h 127.0.0.1 -U postgres ipip_bench

It never reads DATABASE_URL, so it cannot fill the database a developer works in.
"""

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = ROOT / "var" / "bench" / "generate_families.sqlite3"
SEED = 1


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{SQLITE_FILE}"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["IPIP_DEMO"] = "1"  # generate_families refuses to run outside the demo
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from ipip.audit.models import AuditEvent
    from ipip.cases.management.commands.generate_families import SERVICE_MONTHS, add_months

    call_command("migrate", verbosity=0)
    start = add_months(timezone.localdate(), -SERVICE_MONTHS)
    began = time.perf_counter()
    call_command("generate_families", str(count), seed=SEED, start=start)
    elapsed = time.perf_counter() - began
    families_peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    began = time.perf_counter()
    call_command("generate_delivery", seed=SEED)
    delivery_elapsed = time.perf_counter() - began
    began = time.perf_counter()
    call_command("generate_questionnaires", seed=SEED)
    questionnaires_elapsed = time.perf_counter() - began
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would gather on a live service: without them the
        # planner scans whole tables inside the per-case subqueries the lists use.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    summary = AuditEvent.objects.filter(data__has_key="delivery_rows").latest("pk").data
    rows, cases = summary["delivery_rows"], summary["delivery_cases"]
    summary = AuditEvent.objects.filter(data__has_key="questionnaire_rows").latest("pk").data
    q_rows, q_cases = summary["questionnaire_rows"], summary["questionnaire_cases"]

    print()
    print(f"database:           {connection.vendor} ({url.split('@')[-1]})")
    print(f"families:           {count:,}")
    print(f"elapsed seconds:    {elapsed:.1f}")
    print(f"families a second:  {count / elapsed:,.0f}")
    print(f"peak RSS families:  {families_peak_mib:,.0f} MiB")
    print(f"delivery cases:     {cases:,}")
    print(f"delivery rows:      {rows:,}")
    print(f"delivery seconds:   {delivery_elapsed:.1f}")
    print(f"delivery rows/s:    {rows / delivery_elapsed:,.0f}")
    print(f"questionnaire cases:   {q_cases:,}")
    print(f"questionnaire rows:    {q_rows:,}")
    print(f"questionnaire seconds: {questionnaires_elapsed:.1f}")
    print(f"questionnaire rows/s:  {q_rows / questionnaires_elapsed:,.0f}")
    print(f"peak RSS overall:   {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
