"""Verifying many entries: in parallel worker processes, through the cache.

Each entry's result depends only on the entry (its seed is derived from its
id), never on which worker ran it or in what order, so ``--jobs`` changes the
time a run takes and nothing else.

A run can be stopped at any moment (SIGINT, SIGTERM): the workers die with
the parent, and the cache only ever receives an entry's complete result,
written atomically as soon as it is in.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed

#: prctl(2) option: the signal the kernel sends a process when its parent dies
_PR_SET_PDEATHSIG = 1


def _verify_group(entry_ids: list, budget: float) -> list:
    from symcheck.catalogue import load
    from symcheck.verifier import verify_entry

    catalogue = load()
    return [verify_entry(catalogue.get(entry_id), budget=budget) for entry_id in entry_ids]


def _groups(entries: list) -> list[list]:
    """Entries of one catalogue module together, largest module first.

    Entries of a module share their matrices and expressions, so one worker
    running them in a row reuses SymPy's cache instead of two workers each
    rebuilding it (measured on 2 cores: the whole catalogue went from
    27.3 s with entries dealt out one by one to 23.1 s).  Largest first,
    pulled by whichever worker is free, keeps both busy to the end."""
    by_module: dict = {}
    for entry in entries:
        by_module.setdefault(getattr(entry, "module", entry.id), []).append(entry)
    return sorted(by_module.values(), key=len, reverse=True)


def _preload() -> None:
    """Import, once in the parent, what verification imports lazily, so that
    forked workers inherit it instead of each paying for it."""
    import scipy.optimize  # noqa: F401 - the optimum questions' numeric optimiser

    from symcheck import precision  # noqa: F401
    from symcheck.catalogue import load

    load()


def _worker_start(parent: int) -> None:
    """A worker leaves signals to its parent and dies with it.

    Ctrl-C reaches the whole process group; the parent alone decides what it
    means (it kills the workers), so a worker neither turns it into an error
    verdict nor lingers finishing its entry.  If the parent is killed outright,
    the kernel kills the worker (Linux), instead of leaving it computing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the parent's own clean-up still stops the workers
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers now: their half-done entries are worthless.

    ``shutdown`` would wait for every running entry to finish (tens of
    seconds), and ``cancel_futures`` only drops those not yet started, so the
    processes themselves (``_processes``, CPython's own table) are killed."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            pass
    for process in processes:
        try:
            process.join(timeout=2)
        except (OSError, ValueError, AttributeError, AssertionError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def kill_children() -> None:
    """SIGKILL every direct child of this process (Linux: read from /proc).

    The last resort on an interrupt: whatever forked them (a worker pool, the
    hard deadline of ``check``), no child outlives the command."""
    me = os.getpid()
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                stat = handle.read()
            # the command name may contain spaces and parentheses: the fields follow the last ')'
            parent = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == me:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def verify_many(entries: list, jobs: int | None = None, cache: bool = True, budget: float | None = None,
                progress: bool = False) -> list:
    """Verify entries; results come back in the order of ``entries``."""
    from symcheck import cache as result_cache
    from symcheck.verifier import CLAIM_BUDGET

    budget = budget or CLAIM_BUDGET
    jobs = jobs or default_jobs()
    results: dict = {}
    todo = []
    for entry in entries:
        hit = result_cache.lookup(entry, budget) if cache else None
        if hit is not None:
            results[entry.id] = hit
        else:
            todo.append(entry)
    done = len(results)

    def finished(entry, result) -> None:
        # stored the moment it is complete: an interrupted run keeps what it finished
        nonlocal done
        results[entry.id] = result
        if cache:
            result_cache.store(entry, budget, result)
        done += 1
        _progress(progress, done, len(entries), entry.id)

    if jobs <= 1 or len(todo) <= 1:
        _serial(todo, budget, finished)
    else:
        _parallel(todo, budget, jobs, finished)
    if progress:
        print(file=sys.stderr)
    return [results[e.id] for e in entries]


def _serial(todo: list, budget: float, finished) -> None:
    from symcheck.verifier import verify_entry

    for entry in todo:
        finished(entry, verify_entry(entry, budget=budget))


def _parallel(todo: list, budget: float, jobs: int, finished) -> None:
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    if context is not None:
        _preload()
    groups = _groups(todo)
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(groups)), mp_context=context,
                               initializer=_worker_start, initargs=(os.getpid(),))
    try:
        futures = {pool.submit(_verify_group, [e.id for e in group], budget): group for group in groups}
        for future in as_completed(futures):
            for entry, result in zip(futures[future], future.result()):
                finished(entry, result)
    except BaseException:  # an interrupt, SIGTERM, a broken pool: stop now, not after every entry
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


def _progress(enabled: bool, done: int, total: int, entry_id: str) -> None:
    if enabled:
        print(f"\r[{done}/{total}] {entry_id:<40}", end="", file=sys.stderr, flush=True)
