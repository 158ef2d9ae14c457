"""Median server time of the plan page for plans of 50, 150 and 300 actions, and of the
editor's htmx save and move of one action in plans of 5 and 1000 actions.

    python bench/plan_page.py [--runs 15]

Builds each plan in a throwaway SQLite database (or the database DATABASE_URL names, inside a
test database), renders the page through Django's test client as the plan's lead, and prints the
median, fastest and slowest of the runs with the number of queries and the page's size. Then, for
5 and 1000 actions, it saves one action and moves one action (down, then up, in turn) the way
htmx does, and prints each one's median time, response size and queries, and the ratio of the
1000-action times to the 5-action ones (the goal is at most 1.5x). Nothing here asserts: speed
targets are read from this output, not from timed tests.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techcommit.settings")
os.environ.setdefault("DEBUG", "true")


def build_plan(size: int):
    from actionplans import services
    from actionplans.enums import Status
    from actionplans.models import Action, PhaseTarget
    from signatories.enums import Role
    from signatories.models import Membership, Organisation, User

    organisation = Organisation.objects.create(
        name=f"Bench University {size}",
        short_name=f"Bench {size}",
        slug=f"bench-{size}",
        signed_on=date(2025, 1, 1),
    )
    lead = User.objects.create_user(f"lead{size}@example.org", full_name="Bench Lead")
    Membership.objects.create(organisation=organisation, user=lead, role=Role.LEAD)
    plan = services.create_plan(organisation, by=lead, starts_on=date(2026, 12, 1))
    phases = [
        services.add_phase(plan, f"Phase {n + 1}", date(2026 + n, 12, 1), date(2027 + n, 11, 1))
        for n in range(2)
    ]
    for code in ("PL", "PT", "G"):
        services.add_owner_code(plan, code, f"Owner {code}")
    headings = list(plan.headings.all())
    statuses = list(Status)
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            heading=headings[n % len(headings)],
            position=n,
            title=f"Action {n}: a sentence about what the organisation will do for technicians",
            led_by="PL/PT",
            success_criteria="Evidence that shows it happened, in a sentence or two.",
            status=statuses[n % len(statuses)],
            comment="A comment of a line or so from the last meeting.",
        )
        for n in range(size)
    )
    PhaseTarget.objects.bulk_create(
        PhaseTarget(action=a, phase=phases[n % 2], month=phases[n % 2].starts_on)
        for n, a in enumerate(actions)
    )
    review = services.start_review(
        plan,
        by=lead,
        reviewed_on=date(2027, 6, 1),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
    )
    review.entries.filter(status=Status.RED).update(comment="Why it is late.")
    services.finalise_review(review, by=lead)
    return plan, lead


def measure(plan, lead, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(lead)
    url = plan.get_absolute_url()
    client.get(url)  # warm the template cache
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return timings, len(queries), len(response.content)


def editor_requests(plan, lead) -> dict:
    """{"save" | "move": n -> a request to send} for one action in the middle of a heading of the
    plan, as htmx sends them (HX-Request)."""
    from django.test import Client
    from django.urls import reverse

    from actionplans.enums import Status
    from actionplans.models import Action

    client = Client(headers={"HX-Request": "true"})
    client.force_login(lead)
    # An action in the middle of a heading that has a neighbour below it, so that each move
    # swaps two rows within the heading at either size.
    live = list(plan.actions.live().order_by("heading__position", "position", "pk"))
    heading = next(h for h in plan.headings.all() if sum(a.heading_id == h.pk for a in live) > 1)
    under = [a for a in live if a.heading_id == heading.pk]
    action = under[len(under) // 2 - 1]
    args = [plan.organisation.slug, plan.pk]
    save_url = reverse("actionplans:save_action", args=[*args, action.pk])
    rows_url = reverse("actionplans:change_row", args=args)
    phases = list(plan.phases.all())
    statuses = [Status.AMBER, Status.GREEN]

    def save(n):
        current = Action.objects.get(pk=action.pk)
        data = {
            "title": current.title,
            "description": "",
            "led_by": "PL/PT",
            "success_criteria": current.success_criteria,
            "status": statuses[n % 2],
            "comment": f"Saved {n} times.",
            "version": str(current.version),
            "heading": str(current.heading_id),
            **{f"phase_{p.pk}": "" for p in phases},
        }
        return lambda: client.post(save_url, data)

    def move(n):
        # Down, then up again: the action swaps places with its neighbour each time.
        direction = "down" if n % 2 == 0 else "up"
        return lambda: client.post(rows_url, {"do": f"{direction}-{action.pk}"})

    return {"save": save, "move": move}


def measure_editor(plans: dict, runs: int) -> dict[int, dict[str, tuple[float, int, int]]]:
    """{size: {"save" | "move": (median ms, response bytes, queries)}}. The sizes take turns
    request by request, so that a busy machine slows them alike and the ratio stays fair."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    requests = {size: editor_requests(plan, lead) for size, (plan, lead) in plans.items()}
    timings = {(size, name): [] for size in plans for name in ("save", "move")}
    last = {}
    for n in range(-2, runs):  # two rounds to warm the templates, then the measured ones
        for name in ("save", "move"):
            for size in plans:
                send = requests[size][name](n)
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = send()
                    elapsed = time.perf_counter() - start
                assert response.status_code == 200, (size, name, response.status_code)
                if n >= 0:
                    timings[size, name].append(elapsed)
                    last[size, name] = (len(response.content), len(queries))
    return {
        size: {
            name: (statistics.median(timings[size, name]) * 1000, *last[size, name])
            for name in ("save", "move")
        }
        for size in plans
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        print(f"Plan page, {args.runs} runs each ({settings.DATABASES['default']['ENGINE']})")
        print(
            f"{'actions':>8} {'median ms':>10} {'fastest':>8} {'slowest':>8} {'queries':>8} "
            f"{'kB':>8}"
        )
        for size in (50, 150, 300):
            plan, lead = build_plan(size)
            timings, queries, size_bytes = measure(plan, lead, args.runs)
            ms = [t * 1000 for t in timings]
            print(
                f"{size:>8} {statistics.median(ms):>10.1f} {min(ms):>8.1f} {max(ms):>8.1f} "
                f"{queries:>8} {size_bytes / 1000:>8.1f}"
            )
        print()
        print(
            f"Plan editor (htmx), {args.runs} runs each, the two sizes in turn: one action "
            "saved, one action moved; the whole page for comparison"
        )
        print(f"{'actions':>8} {'change':>8} {'median ms':>10} {'bytes':>8} {'queries':>8}")
        plans = {size: build_plan(size) for size in (5, 1000)}
        editor = measure_editor(plans, args.runs)
        for size, (plan, lead) in plans.items():
            timings, queries, page_bytes = measure(plan, lead, 3)
            editor[size]["page"] = (statistics.median(timings) * 1000, page_bytes, queries)
            for name, (ms, size_bytes, queries) in editor[size].items():
                print(f"{size:>8} {name:>8} {ms:>10.1f} {size_bytes:>8} {queries:>8}")
        for name in ("save", "move"):
            ratio = editor[1000][name][0] / editor[5][name][0]
            print(f"{name}_ratio_1000_vs_5 {ratio:.2f}")
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    main()
