"""The idle worker's PDF render in a governed child (techcommit/render_process.py): when the
governor stops and continues the child, a real render through the worker's path, and a child
that never outlives the worker that gave up on it or died."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publications.drafts import request_draft_pdf
from publications.enums import PdfState, PublicationKind
from publications.models import DraftPdf
from publications.tasks import render_draft_pdf
from techcommit import render_process
from techcommit.render_process import CALM, RenderFailed, RenderGaveUp, should_run
from tests.publications.test_pdf import add_plan, pdf_text
from tests.submissions.conftest import ready  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("running", "others_busy", "calm_for", "runs"),
    [
        (True, 0.2, 0.0, True),  # the machine is quiet: keep going
        (True, 1.0, 0.0, True),  # at the limit: still room for the child
        (True, 1.5, 0.0, False),  # the others need more than all CPUs but one: stop
        (False, 1.5, 0.0, False),  # still busy: stay stopped
        (False, 0.2, 0.0, False),  # just quiet: not yet
        (False, 0.2, CALM / 2, False),  # quiet for a moment only
        (False, 0.2, CALM, True),  # quiet long enough: continue
        (False, 1.5, CALM * 10, False),  # busy again, however long it was quiet before
    ],
)
def test_the_governor_stops_the_child_while_the_others_are_busy(
    running, others_busy, calm_for, runs
):
    assert should_run(running, others_busy, limit=1.0, calm_for=calm_for) is runs


def not_a_child_any_more(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_failed_render_in_the_child_is_reported_with_its_error():
    with pytest.raises(RenderFailed, match="ZeroDivisionError"):
        render_process.render_in_child(lambda: 1 // 0)


def test_a_stopped_child_is_killed_when_the_worker_gives_up_on_it():
    # A limit below nothing: the governor stops the child at its first look and never lets it go
    # (a render that takes a while, so that it cannot end before that look).
    def render() -> bytes:
        time.sleep(60)
        return b"never"

    with pytest.raises(RenderGaveUp) as gave_up:
        render_process.render_in_child(render, timeout=0.5, limit=-1)
    assert not_a_child_any_more(gave_up.value.pid)


def test_a_child_dies_with_its_worker(tmp_path):
    # A worker whose render never ends, killed outright (no `finally` runs in it).
    marker = tmp_path / "child.pid"
    code = (
        "import os, time\n"
        "from techcommit import render_process\n"
        "def render():\n"
        f"    open({str(marker)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(600)\n"
        "render_process.render_in_child(render, limit=1000)\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() or not marker.read_text():
            assert time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
        child = int(marker.read_text())
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    def gone() -> bool:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        return state in ("Z", "X")  # dead, waiting for whoever adopted it to reap it

    deadline = time.monotonic() + 30
    while not gone() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone()


@pytest.fixture
def in_a_worker(monkeypatch):
    """The render path as an idle worker has it (db_worker's `enable`), counting the children."""
    monkeypatch.setattr(render_process, "_enabled", True)
    children = []
    real = render_process.render_in_child

    def counted(render, *args, **kwargs):
        children.append(render)
        return real(render, *args, **kwargs)

    monkeypatch.setattr(render_process, "render_in_child", counted)
    return children


def test_an_idle_worker_renders_a_draft_pdf_in_a_child(
    ready,  # noqa: F811
    lead_of_org_a,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    in_a_worker,
):
    settings.MEDIA_ROOT = tmp_path
    plan = add_plan(ready, lead_of_org_a)
    with django_capture_on_commit_callbacks(execute=False):
        row = request_draft_pdf(PublicationKind.ACTION_PLAN, plan, by=lead_of_org_a)
    render_draft_pdf.call(row.pk)  # what the worker runs
    row = DraftPdf.objects.get(pk=row.pk)
    assert row.state == PdfState.READY
    assert len(in_a_worker) == 1
    with row.file.open("rb") as stored:
        text = pdf_text(stored.read())
    assert plan.title in text


def test_outside_a_worker_the_render_stays_in_the_process():
    assert not render_process.enabled()
