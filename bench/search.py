"""Median server time of the search across published plans and of the directory page, from the
same run, over 150 organisations with a published plan of 40 actions (and a review) each.

    python bench/search.py [--runs 15]

Builds them in a throwaway SQLite database (or in a test database on the server DATABASE_URL
names: PostgreSQL, whose full-text search is the one production uses), asks the public search
for a few words with and without a filter and the directory for its first page, as a visitor
who is not signed in and with the public page cache cleared before each request (so each one is
rendered), and prints each one's median, fastest and slowest time and its queries. The last line
is ``search_ratio <search median / directory median>``; the goal is at most 2. Nothing here
asserts: speed targets are read from this output, not from timed tests.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techcommit.settings")
os.environ.setdefault("DEBUG", "true")

SEARCHES = [
    {"q": "professional registration"},
    {"q": "technician awards", "theme": "recognition"},
    {"q": "research committee", "status": "amber"},
]


def measure(url: str, queries: list[dict], runs: int) -> tuple[list[float], int]:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(url, queries[0])  # warm the templates
    timings = []
    for n in range(runs):
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, queries[n % len(queries)])
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return timings, len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from tests import bulk_plans

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        bulk_plans.build(150, actions=40, prefix="bench")
        print(
            f"150 organisations x 40 published actions, {args.runs} runs each "
            f"({settings.DATABASES['default']['ENGINE']})"
        )
        print(f"{'page':>10} {'median ms':>10} {'fastest':>8} {'slowest':>8} {'queries':>8}")
        medians = {}
        for name, url, queries in (
            ("search", reverse("publications:search"), SEARCHES),
            ("directory", reverse("publications:directory"), [{}]),
        ):
            timings, count = measure(url, queries, args.runs)
            ms = [t * 1000 for t in timings]
            medians[name] = statistics.median(ms)
            print(f"{name:>10} {medians[name]:>10.1f} {min(ms):>8.1f} {max(ms):>8.1f} {count:>8}")
        print(f"search_ratio {medians['search'] / medians['directory']:.2f}")
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    main()
