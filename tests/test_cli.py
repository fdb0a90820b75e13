"""The command line: exit codes, one-line errors, JSON, and no code execution."""
import json
import os
import subprocess
import sys

import pytest

from symcheck.cli import main


def run(*args, stdin=None):
    """Run the installed command in a subprocess, as a user would."""
    proc = subprocess.run([sys.executable, "-m", "symcheck.cli", *args], capture_output=True, text=True,
                          input=stdin, timeout=300, cwd=os.path.dirname(__file__))
    return proc.returncode, proc.stdout, proc.stderr


def test_help_documents_every_command():
    code, out, _ = run("--help")
    assert code == 0
    for command in ("list", "show", "verify", "check", "report"):
        assert command in out
    code, out, _ = run("check", "--help")
    assert code == 0 and "exit" in out.lower() and "Sum(" in out


@pytest.mark.parametrize("args, fragment", [
    (("show", "sigmoid-backwrd"), "Did you mean 'sigmoid-backward'?"),
    (("check", "sigmoid-backwrd", "x"), "Did you mean 'sigmoid-backward'?"),
    (("check", "sigmoid-backward", "sgima(x)"), "unknown function 'sgima'"),
    (("check", "sigmoid-backward", "dEdy*foo"), "unknown symbol 'foo'"),
    (("check", "sigmoid-backward", "dEdy*(x"), "syntax error"),
    (("check", "sigmoid-backward", "9**9**9**9"), "too large"),
    (("check", "sigmoid-backward"), "missing CLAIM"),
    (("verify", "no-such-entry"), "No such derivation"),
    (("list", "--sheet", "999"), "No such sheet"),
    (("frobnicate",), "invalid choice"),
])
def test_bad_input_is_one_line_and_exit_2(args, fragment):
    code, out, err = run(*args)
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: ") and fragment in lines[0]
    assert "Traceback" not in err


def test_a_claim_is_never_executed(tmp_path):
    target = tmp_path / "pwned"
    for claim in (f"__import__('os').system('touch {target}')", f"open('{target}', 'w')",
                  "().__class__.__bases__[0].__subclasses__()", "exec('1')", "lambda: 1", "[x for x in ()]"):
        code, _, err = run("check", "sigmoid-backward", claim)
        assert code == 2 and err.startswith("Error: "), (claim, err)
    assert not target.exists()


def test_check_exit_codes_and_counterexample():
    assert run("check", "sigmoid-backward", "dEdy*sigma(x)*(1 - sigma(x))")[0] == 0
    code, out, _ = run("check", "sigmoid-backward", "dEdy*sigma(x)*(1 + sigma(x))")
    assert code == 1 and "refuted" in out and "counterexample" in out
    assert run("check", "relu-backward", "dEdy if x > 0 else 0")[0] == 0


def test_check_reads_a_claim_from_stdin_and_a_file(tmp_path):
    assert run("check", "tanh-backward", "--file", "-", stdin="dEdy*(1 - tanh(x)**2)")[0] == 0
    path = tmp_path / "claim.txt"
    path.write_text("dEdy*(1 + tanh(x)**2)")
    assert run("check", "tanh-backward", "--file", str(path))[0] == 1
    code, _, err = run("check", "tanh-backward", "--file", str(tmp_path / "missing"))
    assert code == 2 and "cannot read claim file" in err


def test_json_outputs(capsys):
    assert main(["list", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert {"id", "title", "sheet", "problem"} <= set(items[0])
    assert main(["show", "batchnorm-backward", "--json", "--no-verify"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert any(s["name"] == "dLdY" and s["latex"] == r"\frac{\partial L}{\partial Y}" for s in shown["symbols"])
    assert main(["verify", "sigmoid-backward", "--json", "--no-cache"]) == 0
    verified = json.loads(capsys.readouterr().out)
    entry = verified["entries"][0]
    assert entry["id"] == "sigmoid-backward"
    assert {c["verdict"] for c in entry["claims"]} == {"proved"}
    assert all("evidence" in c and "label" in c for c in entry["claims"])
    assert main(["check", "sigmoid-backward", "dEdy*sigma(x)*(1+sigma(x))", "--json"]) == 1
    checked = json.loads(capsys.readouterr().out)
    assert checked["verdict"] == "refuted" and checked["evidence"]["counterexample"]


def test_verify_exits_1_when_a_verdict_differs(monkeypatch, capsys):
    from symcheck.catalogue import load

    entry = load().get("sigmoid-backward")
    claim = entry.claims[0]
    monkeypatch.setattr(claim, "expect", "refuted")
    assert main(["verify", "sigmoid-backward", "--no-cache"]) == 1
    assert "expected refuted" in capsys.readouterr().out


def test_show_prints_prose_entries(capsys, catalogue):
    prose = catalogue.prose[0]
    assert main(["show", prose.id]) == 0
    assert "not machine-checkable" in capsys.readouterr().out
