"""Verifying many entries: in parallel worker processes, through the cache.

Each entry's result depends only on the entry (its seed is derived from its
id), never on which worker ran it or in what order, so ``--jobs`` changes the
time a run takes and nothing else.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed

from symcheck.verifier import CLAIM_BUDGET, verify_entry


def _verify_by_id(entry_id: str, budget: float):
    from symcheck.catalogue import load

    return verify_entry(load().get(entry_id), budget=budget)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def verify_many(entries: list, jobs: int | None = None, cache: bool = True, budget: float | None = None,
                progress: bool = False) -> list:
    """Verify entries; results come back in the order of ``entries``."""
    from symcheck import cache as result_cache

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
    if jobs <= 1 or len(todo) <= 1:
        for entry in todo:
            results[entry.id] = verify_entry(entry, budget=budget)
            done += 1
            _progress(progress, done, len(entries), entry.id)
    else:
        context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
            # Longest entries first keeps both workers busy to the end.
            futures = {pool.submit(_verify_by_id, e.id, budget): e for e in todo}
            for future in as_completed(futures):
                entry = futures[future]
                results[entry.id] = future.result()
                done += 1
                _progress(progress, done, len(entries), entry.id)
    if cache:
        for entry in todo:
            result_cache.store(entry, budget, results[entry.id])
    if progress:
        print(file=sys.stderr)
    return [results[e.id] for e in entries]


def _progress(enabled: bool, done: int, total: int, entry_id: str) -> None:
    if enabled:
        print(f"\r[{done}/{total}] {entry_id:<40}", end="", file=sys.stderr, flush=True)
