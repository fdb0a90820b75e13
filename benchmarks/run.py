"""Benchmarks: the engine against the naive approaches, side by side, in one run.

    python benchmarks/run.py [--quick]

1. Cascade vs simplify: every catalogue claim the cascade proves, instantiated as
   the verifier does, proved by the cascade and by plain
   ``sympy.simplify(claim - reference) == 0`` (per entry, capped at
   ``SIMPLIFY_CAP`` seconds; a capped claim counts the cap, so the ratio is a
   lower bound).
2. Gradient check vs the classic loop: symcheck's ``check_grads`` (directional
   finite differences with bisection) against the per-coordinate loop of
   cs231n's ``eval_numerical_gradient_array``, re-implemented below, on batch-norm
   backward (N = 128, D = 64) and on an RNN's BPTT gradient.  Both must accept
   the correct gradient and catch one wrong entry.
3. Latency: cold ``symcheck check`` (process start to exit) for a scalar and a
   batch-norm claim, and ``symcheck verify`` over the whole catalogue (no cache).

The last line of output is one JSON object with the headline numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import sympy

SIMPLIFY_CAP = 60.0
REPEATS = 9
LOOP_REPEATS = 3


# -- 1. cascade vs simplify --------------------------------------------------------

def _proved_claims():
    from symcheck.catalogue import load
    from symcheck.instance import Instance

    for entry in load().entries:
        question = entry.asks
        if type(question).__name__ == "Behaviour":
            continue
        question.bind(entry)
        sizes = question.proof_sizes()[0]
        for claim in entry.claims:
            if claim.expect != "proved" or claim.relation != "=":
                continue
            inst = Instance(entry.notation, sizes)
            reference = question.reference(inst)
            if reference is None:
                continue
            expr = question.parse(claim.text)
            yield entry, claim, inst, question, expr, reference


def bench_cascade(quick: bool) -> dict:
    from symcheck.budget import Budget
    from symcheck.cascade import prove

    rows = []
    for k, (entry, claim, inst, question, expr, reference) in enumerate(_proved_claims()):
        if quick and k >= 12:
            break
        kept = question.claim_explicit(expr, inst, question.kept(inst))
        start = time.perf_counter()
        proof = prove(kept, reference, question.proof_context(inst), Budget(30.0))
        cascade = time.perf_counter() - start
        if not proof.proved:
            continue
        plain = question.claim_explicit(expr, inst)
        simplify, capped, same = _simplify(plain, reference)
        rows.append({"claim": f"{entry.id} [{claim.label}]", "cascade": cascade, "simplify": simplify,
                     "capped": capped, "simplify_proves": same, "stage": proof.stage})
        print(f"  {entry.id:34} {claim.label:12} cascade {cascade:7.3f} s ({proof.stage:11})  "
              f"simplify {simplify:7.3f} s{' (cap)' if capped else ''}{'' if same or capped else ' (not 0)'}",
              flush=True)
    total_c = sum(r["cascade"] for r in rows)
    total_s = sum(r["simplify"] for r in rows)
    # The worst claim for the cascade: where its advantage over simplify is smallest.
    worst = min(rows, key=lambda r: r["simplify"] / max(r["cascade"], 1e-9))
    slowest = max(rows, key=lambda r: r["cascade"])
    return {"claims": len(rows), "cascade_total": total_c, "simplify_total": total_s,
            "ratio": total_s / total_c, "capped": sum(r["capped"] for r in rows),
            "simplify_failed": sum(not r["simplify_proves"] and not r["capped"] for r in rows),
            "worst_ratio_claim": worst["claim"], "worst_ratio": worst["simplify"] / max(worst["cascade"], 1e-9),
            "slowest_cascade_claim": slowest["claim"], "slowest_cascade": slowest["cascade"]}


def _simplify(claim, reference):
    """sympy.simplify(claim - reference) == 0 per entry, in a child with a hard cap."""
    from symcheck.budget import DeadlineExceeded, run_with_deadline

    def work():
        ok = True
        for c, r in zip(np.asarray(claim, dtype=object).ravel(), np.asarray(reference, dtype=object).ravel()):
            ok = ok and sympy.simplify(sympy.sympify(c) - sympy.sympify(r)) == 0
        return ok

    start = time.perf_counter()
    try:
        same = run_with_deadline(work, SIMPLIFY_CAP)
        return time.perf_counter() - start, False, bool(same)
    except DeadlineExceeded:
        return SIMPLIFY_CAP, True, False


# -- 2. gradient check vs the classic loop ---------------------------------------------

def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """The classic per-coordinate loop (cs231n): one f(x + h e_i), one f(x - h e_i) per i."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        pos = f(x).copy()
        x[ix] = old - h
        neg = f(x).copy()
        x[ix] = old
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
        it.iternext()
    return grad


def classic_check(f, df, x, analytic, threshold=1e-6):
    """The loop's verdict: normwise relative error against a threshold, and the
    entry with the largest difference.  (cs231n's elementwise relative error
    flags correct near-zero entries, so it would not accept a correct batch-norm
    gradient at all.)"""
    numeric = eval_numerical_gradient_array(f, x.copy(), df)
    error = np.linalg.norm(numeric - analytic) / max(np.linalg.norm(numeric), 1e-300)
    return bool(error < threshold), np.unravel_index(int(np.argmax(np.abs(numeric - analytic))), x.shape)


def _batchnorm_case(rng):
    n, d = 128, 64
    x, dout, gamma, beta, eps = rng.normal(size=(n, d)), rng.normal(size=(n, d)), rng.normal(size=d), \
        rng.normal(size=d), 1e-5

    def forward(xb):
        mu = xb.mean(axis=-2, keepdims=True)
        var = ((xb - mu) ** 2).mean(axis=-2, keepdims=True)
        return gamma * (xb - mu) / np.sqrt(var + eps) + beta

    def backward(xv):
        s = np.sqrt(xv.var(0) + eps)
        xh, g = (xv - xv.mean(0)) / s, dout * gamma
        return (n * g - g.sum(0) - xh * (g * xh).sum(0)) / (n * s)

    return "batchnorm backward (N=128, D=64)", forward, dout, x, backward(x)


def _rnn_case(rng):
    hidden, inputs, steps = 32, 16, 12
    U = rng.normal(size=(hidden, hidden)) / np.sqrt(hidden)
    W = rng.normal(size=(hidden, inputs)) / np.sqrt(inputs)
    xs = rng.normal(size=(steps, inputs))
    dh = rng.normal(size=hidden)

    def forward(Ub):
        h = np.zeros(Ub.shape[:-2] + (hidden,))
        for t in range(steps):
            h = np.tanh(np.einsum("...ij,...j->...i", Ub, h) + W @ xs[t])
        return h

    def backward(Uv):
        hs = [np.zeros(hidden)]
        for t in range(steps):
            hs.append(np.tanh(Uv @ hs[-1] + W @ xs[t]))
        grad, delta = np.zeros_like(Uv), dh.copy()
        for t in range(steps, 0, -1):
            dz = delta * (1 - hs[t] ** 2)
            grad += np.outer(dz, hs[t - 1])
            delta = Uv.T @ dz
        return grad

    return "RNN BPTT dh_T/dU (32x32, T=12)", forward, dh, U, backward(U)


def bench_gradcheck() -> dict:
    from symcheck import check_grads

    rng = np.random.default_rng(0)
    out = {}
    for name, forward, dout, x, analytic in (_batchnorm_case(rng), _rnn_case(rng)):
        axes = tuple(range(-dout.ndim, 0))

        def loss(xb, forward=forward, dout=dout, axes=axes):
            return (forward(xb) * dout).sum(axis=axes)

        wrong = analytic.copy()
        bad = tuple(s // 3 for s in x.shape)
        wrong[bad] = -wrong[bad] if abs(wrong[bad]) > 1e-3 else wrong[bad] + 1.0

        # Median of repeated runs (the correct and the planted gradient each time):
        # single timings of a few milliseconds are noisy on a shared machine.
        ours_times, loop_times = [], []
        for _ in range(REPEATS):
            start = time.perf_counter()
            ours_ok = check_grads(loss, analytic, x)
            ours_bad = check_grads(loss, wrong, x)
            ours_times.append((time.perf_counter() - start) / 2)
        for _ in range(LOOP_REPEATS):
            start = time.perf_counter()
            loop_ok, _ = classic_check(forward, dout, x, analytic)
            loop_bad, loop_where = classic_check(forward, dout, x, wrong)
            loop_times.append((time.perf_counter() - start) / 2)
        ours, loop = statistics.median(ours_times), statistics.median(loop_times)

        assert ours_ok.ok and loop_ok, "both must accept the correct gradient"
        assert not ours_bad.ok and not loop_bad, "both must catch the single wrong entry"
        assert ours_bad.index == bad and tuple(loop_where) == bad, "both must point at the wrong entry"
        out[name] = {"coordinates": int(x.size), "symcheck_seconds": ours, "loop_seconds": loop,
                     "ratio": loop / ours, "symcheck_evaluations": ours_bad.evaluations,
                     "loop_evaluations": 2 * int(x.size)}
        print(f"  {name:34} {x.size:6d} coords  symcheck {ours:8.4f} s  loop {loop:8.3f} s  "
              f"ratio {loop / ours:8.1f}x  (medians; both catch entry {bad})", flush=True)
    return out


# -- 3. latency -----------------------------------------------------------------------

def _wall(args, repeats=3, env=None):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.strip()}")
    return statistics.median(times)


def bench_latency(skip_verify: bool) -> dict:
    exe = [sys.executable, "-m", "symcheck.cli"]
    scalar = _wall(exe + ["check", "sigmoid-backward", "dEdy*sigma(x)*(1 - sigma(x))"])
    batchnorm = _wall(exe + ["check", "batchnorm-backward",
                             "gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j) - Xhat[i]*Sum(dLdY[j]*Xhat[j], j))"])
    print(f"  cold check, scalar claim       {scalar:6.2f} s (median of 3)")
    print(f"  cold check, batch-norm claim   {batchnorm:6.2f} s (median of 3)")
    verify = None
    if not skip_verify:
        verify = _wall(exe + ["verify", "--no-cache"], repeats=1)
        print(f"  verify, whole catalogue        {verify:6.2f} s (no cache, {os.cpu_count()} cores)")
    return {"scalar": scalar, "batchnorm": batchnorm, "verify": verify}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only the first claims of (1); no full verify in (3)")
    args = parser.parse_args()
    print("1. cascade vs plain simplify (claims the cascade proves)")
    cascade = bench_cascade(args.quick)
    print(f"  {cascade['claims']} claims: cascade {cascade['cascade_total']:.2f} s, simplify "
          f"{cascade['simplify_total']:.2f} s ({cascade['capped']} capped at {SIMPLIFY_CAP:g} s, "
          f"{cascade['simplify_failed']} where simplify does not reach 0): ratio {cascade['ratio']:.1f}x; worst "
          f"claim {cascade['worst_ratio_claim']} ({cascade['worst_ratio']:.1f}x); slowest for the cascade "
          f"{cascade['slowest_cascade_claim']} ({cascade['slowest_cascade']:.2f} s)")
    print("2. gradient check vs the classic per-coordinate loop")
    grads = bench_gradcheck()
    print("3. latency and wall time")
    latency = bench_latency(args.quick)
    summary = {
        "cascade_vs_simplify_ratio": round(cascade["ratio"], 2),
        "cascade_seconds": round(cascade["cascade_total"], 3),
        "simplify_seconds": round(cascade["simplify_total"], 3),
        "cascade_worst_claim": cascade["worst_ratio_claim"],
        "cascade_worst_ratio": round(cascade["worst_ratio"], 2),
        "cascade_slowest_claim": cascade["slowest_cascade_claim"],
        "cascade_slowest_seconds": round(cascade["slowest_cascade"], 3),
        "fd_vs_loop_ratio": round(min(g["ratio"] for g in grads.values()), 1),
        "fd_vs_loop": {k: round(v["ratio"], 1) for k, v in grads.items()},
        "cold_check_seconds": round(latency["scalar"], 3),
        "cold_check_batchnorm_seconds": round(latency["batchnorm"], 3),
        "verify_seconds": None if latency["verify"] is None else round(latency["verify"], 2),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
