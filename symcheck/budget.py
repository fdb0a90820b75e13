"""Time budgets.

Symbolic work runs under a :class:`Budget`.  Inside ``budget.guard()`` a timer
interrupts the computation with :class:`BudgetExceeded` when time is up; it is
a BaseException so that SymPy's ``except Exception`` blocks cannot swallow it.
The timer needs the main thread; elsewhere only the cooperative checks between
stages apply.

``run_with_deadline`` is the hard guard for untrusted input: the work runs in a
forked child that is killed at the deadline, so even a computation stuck
inside C code (a huge integer power in GMP) cannot hang the command, and whose
address space may grow by at most ``MEMORY_CAP`` bytes, so that no input can
exhaust the machine.
"""
from __future__ import annotations

import os
import pickle
import signal
import threading
import time
from contextlib import contextmanager

from symcheck.errors import BudgetExceeded, UsageError


#: the largest budget a user may give: a day (timers and deadlines overflow long before inf)
MAX_BUDGET = 86400.0


def validated(seconds) -> float:
    """A budget as a user gives it (the CLI's --budget, the API's budget=): a
    positive finite number of seconds up to MAX_BUDGET; UsageError otherwise."""
    try:
        value = float(seconds) if not isinstance(seconds, bool) else None
    except (TypeError, ValueError):
        value = None
    if value is None or not 0 < value <= MAX_BUDGET:  # also rejects nan, which compares false
        raise UsageError(f"the budget must be a positive finite number of seconds up to {MAX_BUDGET:g}, "
                         f"such as 10; got {seconds!r}")
    return value


class Budget:
    """A deadline, ``seconds`` from creation."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.start = time.monotonic()
        self.deadline = self.start + seconds

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def check(self) -> None:
        if self.expired():
            raise BudgetExceeded()

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    @contextmanager
    def guard(self):
        """Interrupt the enclosed block with BudgetExceeded at the deadline."""
        self.check()
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
            yield
            return

        def interrupt(signum, frame):
            raise BudgetExceeded()

        previous = signal.signal(signal.SIGALRM, interrupt)
        # The timer repeats every 50 ms after the deadline: an interrupt raised
        # where Python ignores exceptions (a garbage-collector callback, a
        # __del__) is lost, and the next one lands in ordinary code.
        signal.setitimer(signal.ITIMER_REAL, max(self.remaining(), 1e-3), 0.05)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


MEMORY_CAP = 1 << 30  # bytes a checked claim may add to the process


class DeadlineExceeded(Exception):
    """The forked child did not finish before its hard deadline."""


def _cap_memory(extra: int) -> None:
    """Let this process's address space grow by ``extra`` bytes at most."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # no /proc or no rlimits: the deadline still applies


def run_with_deadline(fn, seconds: float, memory: int | None = MEMORY_CAP):
    """Run ``fn()`` in a forked child; return its result or raise DeadlineExceeded.

    Exceptions raised by ``fn`` are re-raised here (a MemoryError when the child
    reached its memory cap).  Falls back to a direct call where fork is
    unavailable.
    """
    if not hasattr(os, "fork"):
        return fn()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            if memory:
                _cap_memory(memory)
            try:
                payload = ("ok", fn())
            except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
                payload = ("error", error)
            try:
                data = pickle.dumps(payload)
            except Exception as error:  # unpicklable result
                data = pickle.dumps(("error", RuntimeError(f"result could not be sent back: {error}")))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + seconds
    import select

    with os.fdopen(read_fd, "rb") as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise DeadlineExceeded()
            ready, _, _ = select.select([pipe], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(pipe.fileno(), 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    os.waitpid(pid, 0)
    status, value = pickle.loads(b"".join(chunks)) if chunks else ("error", RuntimeError("the check died"))
    if status == "error":
        raise value
    return value
