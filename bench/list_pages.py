"""Time the list pages people use all day on a large database: median ms and SQL queries.

    .venv/bin/python bench/generate_families.py 100000   # makes var/bench/generate_families.sqlite3
    .venv/bin/python bench/list_pages.py [ROUNDS]         # ROUNDS defaults to 20

BENCH_DATABASE_URL points it at a PostgreSQL database filled the same way instead.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = ROOT / "var" / "bench" / "generate_families.sqlite3"


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{SQLITE_FILE}"
    if url.startswith("sqlite") and not SQLITE_FILE.exists():
        sys.exit("Run bench/generate_families.py first.")
    os.environ["DATABASE_URL"] = url
    os.environ["IPIP_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from ipip.accounts.models import Area, Role, User
    from ipip.cases.models import Family

    setup_test_environment()  # lets the test client run against this database
    call_command("createcachetable", verbosity=0)
    sheffield = Area.objects.get(name="Sheffield")
    lead, _ = User.objects.get_or_create(
        email="bench-lead@bench.invalid", defaults={"role": Role.NATIONAL_LEAD}
    )
    manager, _ = User.objects.get_or_create(
        email="bench-manager@bench.invalid",
        defaults={"role": Role.CENTRE_MANAGER, "area": sheffield},
    )
    pages = [
        ("national lead", lead, "/cases/"),
        ("national lead", lead, "/cases/?status=active&approach=vig"),
        ("national lead", lead, "/cases/?page=1000"),
        ("national lead", lead, "/referrals/?state=all"),
        ("centre manager", manager, "/referrals/"),
        ("centre manager", manager, "/cases/"),
    ]
    print(f"database: {connection.vendor}; families: {Family.objects.count():,}; rounds: {rounds}")
    print(f"{'who':<16}{'page':<40}{'median ms':>10}{'max ms':>9}{'queries':>9}")
    for who, user, path in pages:
        client = Client()
        client.force_login(user)
        timings = []
        queries = 0
        for _ in range(rounds):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries = len(captured)
        print(
            f"{who:<16}{path:<40}{statistics.median(timings):>10.1f}"
            f"{max(timings):>9.1f}{queries:>9}"
        )


if __name__ == "__main__":
    main()
