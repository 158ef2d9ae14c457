"""A PDF render in a child process that waits while the machine's CPUs are busy with other work.

An idle worker (WORKER_PRIORITY=idle) still slowed the public pages beside it (bench/load.py):
it ran in the gaps between requests and left the caches cold for the next one. So the worker
renders in a forked child (the HTML is built already: the child never touches the database)
and a governor in the worker samples, every few milliseconds, the CPU time the rest of the
machine used (``/proc/stat`` less the child's and the worker's own): while the others used more
than ``ncpu - 1`` CPUs' worth over the last ``WINDOW`` seconds the child is stopped (SIGSTOP),
and it continues (SIGCONT) once they have been below that for ``CALM`` seconds. Under sustained
load a render waits until the load stops. The child is killed (SIGKILL, which a stopped process
also takes) when the worker gives up or fails, and by the kernel when the worker dies.

Only ``manage.py db_worker`` turns it on (``enable``); everywhere else, the web process and the
tests, the render stays in-process. Linux only (``/proc``)."""

from __future__ import annotations

import ctypes
import os
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

SAMPLE = 0.005  # seconds between samples
WINDOW = 0.05  # seconds of the machine's recent CPU time each decision looks at
CALM = 0.03  # seconds the others must have been below the limit before the child continues
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PR_SET_PDEATHSIG = 1

_enabled = False


class RenderGaveUp(RuntimeError):
    """The child did not finish within the time given to it (it is killed)."""

    def __init__(self, message: str, pid: int):
        super().__init__(message)
        self.pid = pid


class RenderFailed(RuntimeError):
    """The child's render raised (its message is kept)."""


def enable() -> None:
    """Render in a governed child from now on, in this process (the worker) only."""
    global _enabled
    _enabled = Path("/proc/stat").exists() and hasattr(os, "fork")


def enabled() -> bool:
    return _enabled


def should_run(running: bool, others_busy: float, limit: float, calm_for: float) -> bool:
    """Whether the child should be running now.

    ``others_busy`` is how many CPUs' worth the rest of the machine used over the last window,
    ``limit`` the most it may use while the child runs, ``calm_for`` how long (seconds) it has
    been at or below ``limit``. A running child stops as soon as the others are above the limit;
    a stopped one continues only once they have been below it for ``CALM``."""
    if others_busy > limit:
        return False
    return running or calm_for >= CALM


def machine_busy_ticks() -> int:
    """Clock ticks all CPUs spent doing anything but idle and waiting for I/O since boot."""
    with open("/proc/stat") as stat:
        fields = stat.readline().split()[1:]
    ticks = [int(value) for value in fields[:8]]
    return sum(ticks) - ticks[3] - ticks[4]  # user nice system idle iowait irq softirq steal


def process_ticks(pid: int | str) -> int:
    """Clock ticks ``pid`` (all its threads) spent on a CPU, user and system."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime stime (fields 14 and 15 of proc(5))


def _die_with_parent() -> None:
    """Have the kernel kill this (child) process when the worker dies, even while stopped."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def render_in_child(
    render: Callable[[], bytes], timeout: float | None = None, limit: float | None = None
) -> bytes:
    """``render()``'s bytes, computed in a forked child that the governor stops and continues.

    Raises RenderFailed when the child's render raised, RenderGaveUp after ``timeout`` seconds
    (None: no limit); the child never outlives this call. ``limit``: the CPUs' worth the rest
    of the machine may use while the child runs (by default all CPUs but one)."""
    if limit is None:
        limit = (os.cpu_count() or 1) - 1
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as error:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: render, write, and leave without running the parent's exits
            status = 1
            try:
                for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
                    signal.signal(signum, signal.SIG_DFL)
                _die_with_parent()
                if os.getppid() != parent:  # the worker died before the line above
                    os._exit(1)
                output.write(render())
                output.flush()
                status = 0
            except BaseException as failure:  # noqa: BLE001 - reported to the parent
                error.write(f"{type(failure).__name__}: {failure}".encode()[:2000])
                error.flush()
            finally:
                os._exit(status)
        try:
            status = govern(pid, limit, timeout)  # returns once the child is reaped
        except BaseException:
            _kill(pid)
            raise
        if status != 0:
            error.seek(0)
            raise RenderFailed(error.read().decode(errors="replace") or f"exit status {status}")
        output.seek(0)
        return output.read()


def govern(pid: int, limit: float, timeout: float | None) -> int:
    """Stop and continue ``pid`` as ``should_run`` says until it exits; its exit status."""
    started = time.monotonic()
    samples: deque[tuple[float, int]] = deque()  # (moment, the others' busy ticks since boot)
    running = True
    calm_since: float | None = None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        now = time.monotonic()
        if timeout is not None and now - started > timeout:
            raise RenderGaveUp(f"The render did not finish in {timeout} s.", pid)
        others = machine_busy_ticks() - process_ticks(pid) - process_ticks("self")
        samples.append((now, others))
        while len(samples) > 2 and now - samples[1][0] >= WINDOW:
            samples.popleft()
        span = now - samples[0][0]
        busy = (others - samples[0][1]) / TICKS / span if span > 0 else 0.0
        if busy > limit:
            calm_since = None
        elif calm_since is None:
            calm_since = now
        calm_for = now - calm_since if calm_since is not None else 0.0
        wanted = should_run(running, busy, limit, calm_for)
        if not wanted:  # again each time: a SIGCONT to the worker's whole group reaches it too
            os.kill(pid, signal.SIGSTOP)
        elif not running:
            os.kill(pid, signal.SIGCONT)
        running = wanted
        time.sleep(SAMPLE)


def _kill(pid: int) -> None:
    """Kill and reap the unreaped child ``pid`` (a stopped process takes SIGKILL too)."""
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)
