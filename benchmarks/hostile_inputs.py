"""Issue 10's pathological inputs, each run through the real command line:
exit code, wall time and peak memory (the largest resident set of the
command and of the children it waited for).  Prints a Markdown table and, with
--json, one JSON line.  tests/test_hostile_inputs.py holds the same list to
its bounds in CI.

    python benchmarks/hostile_inputs.py [--json]
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

BUDGET = "2"
# (entry, claim, --latex?) as issue 10 lists them
INPUTS = [
    ("sigmoid-backward", "1e999999999", False),
    ("sigmoid-backward", "x + 1e-999999999", False),
    ("sigmoid-backward", "0.3**(10**9)", False),
    ("sigmoid-backward", "0.999**(10**8)", False),
    ("sigmoid-backward", "0.1**5000", False),
    ("sigmoid-backward", "1e5000*x", False),
    ("sigmoid-backward", "exp(exp(exp(exp(exp(x)))))", False),
    ("vanishing-gradient-h1", r"\sqrt{\frac{\partial E}{\partial y} W^{1000000} \frac{\partial E}{\partial y}^{\top}}",
     True),
    ("vanishing-gradient-h1", r"\sqrt{\frac{\partial E}{\partial y} W^{10^{9}} \frac{\partial E}{\partial y}^{\top}}",
     True),
    ("vanishing-gradient-h1", "dEdy*W**(10**9)", False),
    ("vanishing-sigma-half-step", "(1/2)**U*V.T", False),
    ("reparameterised-elbo", "negKL + (x - W*mu - b)*(x - W*mu - b).T", False),
    ("sigmoid-backward", r"\sqrt{-1}", True),
    ("sigmoid-backward", "__import__('os').system('touch /tmp/symcheck-pwned')", False),
]


def run(entry: str, claim: str, latex: bool) -> dict:
    command = [sys.executable, "-m", "symcheck.cli", "check", "--budget", BUDGET, entry]
    command += ["--latex", claim] if latex else ["--", claim]
    # GNU time reports the largest resident set of the command and of the children it waited for (the
    # forked check); KiB
    start = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-f", "PEAK %M"] + command, capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - start
    lines = done.stderr.strip().splitlines()
    peak = int(lines[-1].split()[1]) if lines and lines[-1].startswith("PEAK") else 0
    stderr = [line for line in lines if not line.startswith(("PEAK", "Command exited with"))]
    return {"entry": entry, "claim": claim, "exit": done.returncode, "seconds": round(seconds, 2),
            "peak_mib": round(peak / 1024), "stderr_lines": len(stderr),
            "says": (done.stdout.strip() or "\n".join(stderr))[:110]}


def main() -> None:
    rows = [run(*item) for item in INPUTS]
    if "--json" in sys.argv:
        print(json.dumps(rows))
        return
    print(f"| input | exit | time (s) | peak MiB | says |\n|---|---|---|---|---|")
    for r in rows:
        claim = r["claim"] if len(r["claim"]) < 50 else r["claim"][:47] + "..."
        print(f"| `{r['entry']}` `{claim}` | {r['exit']} | {r['seconds']} | {r['peak_mib']} | {r['says']} |")


if __name__ == "__main__":
    main()
