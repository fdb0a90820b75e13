"""A pool of warm worker processes that judge answers one at a time.

Why not ``ProcessPoolExecutor``: when one of its workers dies, every pending
future fails with ``BrokenProcessPool`` and nobody knows which answer killed
it.  Here each worker holds exactly one answer at a time, so a worker that
dies (a segfault, the kernel's out-of-memory killer, a bug) costs that one
answer, which is reported as *error* with the reason; a fresh worker takes its
place and the batch goes on.

Workers are forked (after the parent has prepared the entry, so they start
warm) and each answer is then judged by ``check_claim``, which forks once more
with a hard deadline and a memory cap: the budget is enforced inside the
worker, never by a signal in the parent's main thread.  The parent only keeps
a last-resort limit (a worker silent far beyond the deadline is killed).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from multiprocessing.connection import wait

#: beyond check_claim's own hard deadline (twice the budget), how long a worker may stay silent
GRACE_SECONDS = 30.0


def _serve(conn, work, parent: int) -> None:
    """A worker's life: judge what arrives until told to stop (None)."""
    from symcheck.runs import _worker_start

    _worker_start(parent)
    # check_claim forks a child per answer and enforces its deadline; should this worker be
    # killed (a crash, Ctrl-C, the last-resort limit), that child must not run on unwatched
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_die_with_parent)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            break
        if task is None:
            break
        key, text = task
        try:
            outcome = work(text)
        except BaseException as error:  # noqa: BLE001 - anything at all becomes this answer's error row
            outcome = {"crash": f"{type(error).__name__}: {error}"}
        conn.send((key, outcome))
    os._exit(0)


def _die_with_parent() -> None:
    """In a child of a worker: the kernel kills it when the worker dies (Linux; elsewhere a no-op)."""
    import ctypes
    import sys

    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


class _Worker:
    def __init__(self, context, work):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, work, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.task = None     # (key, text) being judged
        self.since = 0.0

    def give(self, task) -> None:
        self.task, self.since = task, time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(timeout=2)
        except (OSError, ValueError, AttributeError, AssertionError):
            pass
        self.conn.close()


def death(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
        hint = " (out of memory?)" if -code == signal.SIGKILL else ""
        return f"the worker judging this answer was killed by {name}{hint}"
    return f"the worker judging this answer died (exit code {code})"


def run(tasks: list, work, jobs: int, limit: float, finished) -> None:
    """Judge every (key, text) in ``tasks`` with ``work(text)`` in ``jobs`` workers.

    ``finished(key, outcome)`` is called in the parent as each answer comes in;
    an outcome ``{"crash": reason}`` means the worker failed on that answer.
    Any BaseException (Ctrl-C) kills the workers at once and propagates."""
    context = multiprocessing.get_context("fork")
    pending = deque(tasks)
    workers = [_Worker(context, work) for _ in range(max(1, min(jobs, len(tasks))))]
    try:
        while pending or any(w.task for w in workers):
            for w in workers:
                if w.task is None and pending:
                    w.give(pending.popleft())
            busy = [w for w in workers if w.task]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1.0)
            for w in busy:
                outcome = _collect(w, ready, limit)
                if outcome is None:
                    continue
                key, w.task = w.task[0], None
                finished(key, outcome)
                if "crash" in outcome and not w.process.is_alive():
                    workers[workers.index(w)] = _Worker(context, work)  # replace the dead one
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass  # already gone: the finally below makes sure
            w.process.join(timeout=5)
    finally:
        for w in workers:
            if w.process.is_alive():
                w.kill()


def _collect(w: _Worker, ready, limit: float):
    """The worker's outcome for its answer, a crash, or None while it is still working."""
    if w.conn in ready:
        try:
            _, outcome = w.conn.recv()
            return outcome
        except (EOFError, OSError):
            pass  # the pipe closed: it died
    elif w.process.sentinel not in ready:
        if time.monotonic() - w.since < limit:
            return None
        w.kill()
        return {"crash": f"the worker gave no answer within {limit:g} s and was stopped"}
    w.process.join(timeout=2)
    reason = death(w.process)
    w.kill()
    return {"crash": reason}
