"""symcheck grade: a class's answers graded as one batch (issue 13)."""
import json
import os
import random
import re
import signal

import pytest

from symcheck import grade_cache, grade_formats, grading
from symcheck.checking import check_claim, parse_user_claim
from symcheck.cli import main
from symcheck.errors import ClaimError, UsageError
from symcheck.grade_inputs import Submission, read_submissions

SIGMOID = "sigmoid-backward"
RIGHT = "dEdy*sigma(x)*(1 - sigma(x))"
ANSWERS = [RIGHT, "dEdy*sigma(x)*(1-sigma(x))", "-dEdy*sigma(x)*(1 - sigma(x))", "sigma(x)*(1 - sigma(x))",
           "dEdy*sigma(x", "dEdy*exp(-x)/(1 + exp(-x))**2", "dEdy*sigma(x)**2", "dEdy * sigma(x) * (1 - sigma(x))"]
# nested exponentials: no check finishes it in seconds (the pathological answer)
PATHOLOGICAL = "exp(exp(exp(exp(exp(exp(exp(x)))))))"


def subs(answers):
    return [Submission(i, f"s{i:02d}", a) for i, a in enumerate(answers)]


@pytest.fixture
def sigmoid(catalogue):
    return catalogue.get(SIGMOID)


# -- reading answers ------------------------------------------------------------------------

def test_reads_lines_csv_jsonl_and_folders(tmp_path):
    lines = tmp_path / "answers.txt"
    lines.write_text(f"{RIGHT}\n\n  sigma(x)  \n")
    assert [(s.student, s.answer) for s in read_submissions(str(lines))] == [("line-1", RIGHT), ("line-3", "sigma(x)")]
    table = tmp_path / "class.csv"
    table.write_text('id,student,answer\n1,ann,"max(x, 0)"\n2,bo,x\n')
    assert [(s.index, s.student, s.answer) for s in read_submissions(str(table))] == [(0, "ann", "max(x, 0)"),
                                                                                       (1, "bo", "x")]
    records = tmp_path / "class.jsonl"
    records.write_text('{"student": "ann", "answer": "x"}\n{"student": 7, "answer": "y"}\n')
    assert [(s.student, s.answer) for s in read_submissions(str(records))] == [("ann", "x"), ("7", "y")]
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "zoe.txt").write_text("x\n")
    (folder / "adam.tex").write_text("y")
    (folder / ".hidden").write_text("z")
    assert [(s.student, s.answer) for s in read_submissions(str(folder))] == [("adam", "y"), ("zoe", "x")]


@pytest.mark.parametrize("name, content, words", [
    ("bad.csv", "name,answer\nann,x\n", "'student' and 'answer'"),
    ("bad.jsonl", '{"student": "a", "answer": "x"}\n[1, 2]\n', "line 2"),
    ("twice.csv", "student,answer\nann,x\nann,y\n", "appears twice"),
    ("empty.txt", "\n\n", "no answers"),
    ("latin1.txt", b"x\xe9\n", "not UTF-8"),
])
def test_bad_input_is_one_usage_error(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(UsageError, match=words):
        read_submissions(str(path))


# -- normalisation: equal only when the parser reads the same ---------------------------------

@pytest.mark.parametrize("a, b", [
    (RIGHT, "dEdy*sigma(x)*(1-sigma(x))"),
    (RIGHT, "  dEdy * sigma( x ) * ( 1 - sigma(x) )  "),
    ("dEdy if x > 0 else 0", "dEdy  if x>0 else 0"),
])
def test_text_answers_that_read_the_same_share_one_key(sigmoid, a, b):
    assert grade_cache.normalise(a, False) == grade_cache.normalise(b, False)
    for text in (a, b):
        assert parse_user_claim(sigmoid, grade_cache.normalise(text, False)) == parse_user_claim(sigmoid, text)


@pytest.mark.parametrize("a, b", [
    (r"\frac{\partial E}{\partial y}\sigma(x)(1-\sigma(x))",
     r"\frac{\partial E}{\partial y} \, \sigma\left(x\right) \left(1 - \sigma(x)\right)"),
    (r"\frac{\partial E}{\partial y}\cdot\sigma(x)", r"\frac{\partial E}{\partial y}\times\sigma(x)"),
    (r"\frac{\partial E}{\partial y}\sigma(x)", "\\frac{\\partial E}{\\partial y}\t\\;\\sigma(x)"),
])
def test_latex_answers_that_read_the_same_share_one_key(sigmoid, a, b):
    assert grade_cache.normalise(a, True) == grade_cache.normalise(b, True)
    for text in (a, b):
        assert parse_user_claim(sigmoid, grade_cache.normalise(text, True), latex=True) == \
            parse_user_claim(sigmoid, text, latex=True)


@pytest.mark.parametrize("text, latex", [
    ("x ** 2", False), ("1e -5", False), ("a # comment", False),     # kept: tokens, or not plain Python
    ("x* ^y", False),                                                # ^ is read as **: '* **' is not '***'
    (r"x^* y", True), (r"\left| x \right|", True), (r"a \\ b", True),  # * is not \cdot; |..| is not sized
])
def test_normalisation_never_merges_what_may_differ(text, latex):
    normal = grade_cache.normalise(text, latex)
    if not latex:
        assert grade_cache._tokens(normal) == grade_cache._tokens(text)
    else:
        assert ("*" in normal) == ("*" in text) and ("\\left" in normal) == ("\\left" in text)
        assert ("\\\\" in normal) == ("\\\\" in text)


# -- grading ----------------------------------------------------------------------------------

def test_verdicts_are_those_of_check_and_independent_of_jobs_and_order(sigmoid):
    serial = grading.grade(sigmoid, subs(ANSWERS), jobs=1, cache=False)
    shuffled = subs(ANSWERS)
    random.Random(3).shuffle(shuffled)
    shuffled = [Submission(i, s.student, s.answer) for i, s in enumerate(shuffled)]
    parallel = grading.grade(sigmoid, shuffled, jobs=2, cache=False)
    by_student = {r.student: (r.verdict, r.mistake, r.counterexample) for r in parallel.rows}
    assert {r.student: (r.verdict, r.mistake, r.counterexample) for r in serial.rows} == by_student
    assert [r.student for r in serial.rows] == [s.student for s in subs(ANSWERS)]  # input order
    for row in serial.rows:
        result, _ = _check(sigmoid, row.answer)
        assert (row.verdict, row.mistake) == (result.verdict, result.mistake), row.answer
    verdicts = [r.verdict for r in serial.rows]
    assert verdicts == ["proved", "proved", "refuted", "refuted", "error", "proved", "refuted", "proved"]
    assert serial.rows[4].format_error and not serial.rows[2].format_error
    assert [r.source for r in serial.rows].count("duplicate") == 2  # two rewrites of answer 0
    summary = serial.summary()
    assert summary["verdicts"]["proved"] == 4 and summary["judged"] == 6
    assert {m["mistake"] for m in summary["mistakes"]} >= {"sign-flipped", "dropped-upstream"}


def _check(entry, text):
    try:
        return check_claim(entry, text)
    except ClaimError as error:  # what grade reports as a format error
        return type("R", (), {"verdict": "error", "mistake": None, "reason": str(error)})(), {}


def test_a_pathological_answer_costs_one_undecided_row(sigmoid):
    answers = [RIGHT, PATHOLOGICAL, "-" + RIGHT]
    batch = grading.grade(sigmoid, subs(answers), jobs=2, budget=2.5, cache=False)
    assert [r.verdict for r in batch.rows] == ["proved", "undecided", "refuted"]
    assert "did not finish" in batch.rows[1].reason


def test_a_crashed_worker_costs_one_error_row(sigmoid, monkeypatch):
    real = grading.judge

    def planted(entry, text, latex, budget):
        if text == "dEdy*x":
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
        return real(entry, text, latex, budget)

    monkeypatch.setattr(grading, "judge", planted)
    answers = ["dEdy*x", RIGHT, "-" + RIGHT, "dEdy*sigma(x)"]
    batch = grading.grade(sigmoid, subs(answers), jobs=1, cache=False)
    assert [r.verdict for r in batch.rows] == ["error", "proved", "refuted", "refuted"]
    assert "killed by SIGKILL" in batch.rows[0].reason and not batch.rows[0].format_error


def test_equivalent_spellings_are_judged_once(sigmoid, monkeypatch, tmp_path):
    monkeypatch.setenv("SYMCHECK_CACHE_DIR", str(tmp_path))
    answers = [RIGHT, "sigma(x)*dEdy*(1 - sigma(x))", "(1 - sigma(x))*sigma(x)*dEdy", "-" + RIGHT,
               "-sigma(x)*(1 - sigma(x))*dEdy"]
    batch = grading.grade(sigmoid, subs(answers), jobs=1)
    assert [r.source for r in batch.rows] == ["judged", "equivalent", "equivalent", "judged", "equivalent"]
    assert [r.verdict for r in batch.rows] == ["proved"] * 3 + ["refuted"] * 2
    for row in batch.rows:  # and each is what check says of it
        assert (row.verdict, row.mistake) == (lambda r: (r.verdict, r.mistake))(check_claim(sigmoid, row.answer)[0])


def test_a_rerun_judges_only_the_new_answer(sigmoid, monkeypatch, tmp_path):
    monkeypatch.setenv("SYMCHECK_CACHE_DIR", str(tmp_path))
    first = grading.grade(sigmoid, subs(ANSWERS), jobs=1)
    again = grading.grade(sigmoid, subs(ANSWERS + ["dEdy*sigma(x)**3"]), jobs=1)
    assert [r.verdict for r in again.rows[:-1]] == [r.verdict for r in first.rows]
    assert [r.source for r in again.rows].count("judged") == 1 and again.rows[-1].source == "judged"


def test_ctrl_c_keeps_the_rows_finished_so_far(sigmoid, monkeypatch):
    calls, parent = [], os.getpid()

    def store(*args, **kwargs):
        if os.getpid() == parent:  # the workers store too (the parsed forms): only the parent is interrupted
            calls.append(args)
            if len(calls) == 2:
                raise KeyboardInterrupt

    monkeypatch.setattr(grade_cache, "store", store)
    batch = grading.grade(sigmoid, subs([RIGHT, "-" + RIGHT, "dEdy*sigma(x)", "dEdy"]), jobs=1)
    assert isinstance(batch.interrupted, KeyboardInterrupt)
    assert [r.student for r in batch.rows] == ["s00"]


# -- course platforms -------------------------------------------------------------------------

def _rows(sigmoid):
    return grading.grade(sigmoid, subs([RIGHT, "-" + RIGHT, "dEdy*sigma(x"]), jobs=1, cache=False).rows


def test_prairielearn_results_have_the_documented_keys_and_types(sigmoid):
    right, wrong, unreadable = (grade_formats.prairielearn(r, SIGMOID) for r in _rows(sigmoid))
    for result, score in ((right, 1.0), (wrong, 0.0)):
        assert result["gradable"] is True and isinstance(result["score"], float) and result["score"] == score
        assert isinstance(result["message"], str) and isinstance(result["output"], str)
        for test in result["tests"]:
            assert set(test) >= {"name", "points", "max_points", "message", "output"}
            assert isinstance(test["points"], int) and isinstance(test["max_points"], int)
            assert 0 <= test["points"] <= test["max_points"]
    assert unreadable["gradable"] is False and "score" not in unreadable
    assert isinstance(unreadable["format_errors"], list) and all(isinstance(e, str) for e in unreadable["format_errors"])
    json.dumps([right, wrong, unreadable])


def test_gradescope_results_have_the_documented_keys_and_types(sigmoid):
    for row, score in zip(_rows(sigmoid), (1.0, 0.0, 0.0)):
        result = grade_formats.gradescope(row, SIGMOID)
        assert isinstance(result["score"], float) and result["score"] == score
        for test in result["tests"]:
            assert set(test) >= {"name", "score", "max_score", "status", "output"}
            assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
            assert test["status"] in ("passed", "failed")


# -- the command ------------------------------------------------------------------------------

def test_command_exit_codes(tmp_path, capsys):
    answers = tmp_path / "a.txt"
    answers.write_text(f"{RIGHT}\n-{RIGHT}\n")
    assert main(["grade", SIGMOID, str(answers), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "line-2" in out and "refuted" in out and "sign-flipped" in out
    for argv in (["grade", "no-such-entry", str(answers)], ["grade", SIGMOID, str(tmp_path / "missing.txt")],
                 ["grade", SIGMOID, str(answers), "--shard", "3/2"], ["grade", SIGMOID],
                 ["grade", SIGMOID, str(answers), "--format", "gradescope"]):  # two answers, no --out DIR
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("Error:") and "Traceback" not in err


def test_shards_merge_to_the_whole_batch(tmp_path, capsys):
    answers = tmp_path / "class.jsonl"
    answers.write_text("".join(json.dumps({"student": f"st{i}", "answer": a}) + "\n" for i, a in enumerate(ANSWERS)))
    whole = tmp_path / "whole.json"
    assert main(["grade", SIGMOID, str(answers), "--json", "--out", str(whole), "-j", "1"]) == 0
    parts = []
    for k in (1, 2, 3):
        parts.append(str(tmp_path / f"shard{k}.jsonl"))
        assert main(["grade", SIGMOID, str(answers), "--shard", f"{k}/3", "--format", "jsonl", "--out", parts[-1],
                     "-j", "1"]) == 0
    capsys.readouterr()
    assert main(["grade", "--merge", *parts, "--json"]) == 0
    merged = json.loads(capsys.readouterr().out)
    expected = json.loads(whole.read_text())
    assert [(r["student"], r["verdict"]) for r in merged["rows"]] == \
        [(r["student"], r["verdict"]) for r in expected["rows"]]
    assert merged["summary"]["verdicts"] == expected["summary"]["verdicts"]


def test_platform_results_one_file_per_student(tmp_path, capsys):
    answers = tmp_path / "a.csv"
    answers.write_text(f'student,answer\nann,"{RIGHT}"\nbo/../x,dEdy*sigma(x\n')
    out = tmp_path / "results"
    assert main(["grade", SIGMOID, str(answers), "--format", "prairielearn", "--out", str(out), "-j", "1"]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("results.json"))
    assert len(written) == 2 and "ann/results.json" in written and all(".." not in p for p in written)
    assert json.loads((out / "ann" / "results.json").read_text())["score"] == 1.0
    single = tmp_path / "one.txt"
    single.write_text(RIGHT + "\n")
    capsys.readouterr()
    assert main(["grade", SIGMOID, str(single), "--format", "gradescope", "-j", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["tests"][0]["status"] == "passed"


def test_latex_answers_and_standard_input(sigmoid, monkeypatch, capsys):
    import io

    latex = [r"\frac{\partial E}{\partial y}\sigma(x)\left(1-\sigma(x)\right)",
             r"\frac{\partial E}{\partial y} \sigma(x)(1 - \sigma(x))", r"\sigma(x)(1-\sigma(x))"]
    stdin = io.TextIOWrapper(io.BytesIO(("\n".join(latex) + "\n").encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["grade", SIGMOID, "-", "--latex", "--json", "-j", "1", "--no-cache"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["verdict"] for r in rows] == [check_claim(sigmoid, t, latex=True)[0].verdict for t in latex] \
        == ["proved", "proved", "refuted"]
    assert rows[1]["source"] == "duplicate" and rows[2]["mistake"] == "dropped-upstream"


# -- one page per student (--report) ------------------------------------------------------------

HOSTILE = r"\input{/etc/passwd}"


def test_report_pages_show_the_counterexample_and_the_corrected_answer_and_escape_everything(
        sigmoid, tmp_path, capsys):
    from symcheck import report

    answers = tmp_path / "class.jsonl"
    answers.write_text("".join(json.dumps({"student": s, "answer": a}) + "\n" for s, a in [
        ("ann", "-" + RIGHT), (HOSTILE, HOSTILE + r" $x$ % ^_~ #&"), ("../x", RIGHT)]))
    out = tmp_path / "pages"
    assert main(["grade", SIGMOID, str(answers), "--report", str(out), "-j", "1"]) == 0
    assert "wrote 3 student pages" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*.tex")) == ["ann.tex", "input_etc_passwd.tex", "x.tex"]
    assert all(p.parent == out for p in tmp_path.rglob("*.tex"))  # nothing written outside DIR
    ann = (out / "ann.tex").read_text()
    result, _ = check_claim(sigmoid, "-" + RIGHT)
    plain = report.environment().filters["plain"]
    assert r"\verdict{refuted}" in ann and plain(result.evidence.counterexample.describe()) in ann
    assert plain(result.diagnosis) in ann
    # the corrected answer: the entry's own proved claim, with its LaTeX
    corrected = [c for c in sigmoid.claims if c.expect == "proved"][-1]
    assert corrected.latex and report.claim_math(sigmoid, corrected) in ann
    assert r"\texttt{ann}" in ann
    hostile = (out / "input_etc_passwd.tex").read_text()
    assert HOSTILE not in hostile and r"\textbackslash{}input\{/etc/passwd\}" in hostile
    assert r"\$x\$ \% \textasciicircum{}\_\textasciitilde{} \#\&" in hostile
    assert r"\verdict{error}" in hostile and "could not be read" in hostile
    assert r"\verdict{proved}" in (out / "x.tex").read_text()


def test_report_refuses_ids_that_share_a_page_and_pdf_without_report(tmp_path, capsys):
    answers = tmp_path / "class.jsonl"
    answers.write_text("".join(json.dumps({"student": s, "answer": RIGHT}) + "\n" for s in ("Ann Lee", "ann_lee")))
    out = tmp_path / "pages"
    for argv in (["grade", SIGMOID, str(answers), "--report", str(out), "-j", "1"],
                 ["grade", SIGMOID, str(answers), "--pdf", "-j", "1"],
                 ["grade", "--merge", str(answers), "--report", str(out)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("Error:") and "Traceback" not in err
    assert not out.exists()  # refused before anything was graded or written


def test_report_file_names_are_safe():
    from symcheck.grade_report import file_name

    for student in ("../x", "/etc/passwd", HOSTILE, "a\nb", "..", "", "ünï", "x" * 300, "-rf"):
        name = file_name(student)
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}", name), (student, name)


def test_report_pdf_builds(tmp_path, capsys):
    import shutil

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    answers = tmp_path / "class.jsonl"
    # a folder submission can hold several lines, blank ones too, and any character
    answers.write_text(json.dumps({"student": "../x", "answer": "-" + RIGHT}) + "\n" +
                       json.dumps({"student": "multi\x7f", "answer": "dEdy*sigma(x)\n\n*(1 - σ(x)) 中\x00\x1b\x7f\t\n"
                                                                 "%\\end{document}"}))
    out = tmp_path / "pages"
    assert main(["grade", SIGMOID, str(answers), "--report", str(out), "--pdf", "-j", "1"]) == 0
    assert (out / "build" / "multi.pdf").exists()
    pdf = out / "build" / "x.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        import subprocess

        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "refuted" in text and "Counterexample" in text and "../x" in text


def test_report_a_page_that_does_not_compile_costs_that_page(sigmoid, tmp_path, monkeypatch):
    from symcheck import grade_report, report
    from symcheck.errors import SymcheckError

    built = []

    def build(path, build_dir):
        if path.stem == "bad":
            raise SymcheckError("pdflatex failed on bad.tex")
        built.append(path.stem)
        return build_dir / f"{path.stem}.pdf"

    monkeypatch.setattr(report, "build_pdf", build)
    batch = grading.grade(sigmoid, subs([RIGHT, RIGHT, RIGHT]), jobs=1)
    for row, name in zip(batch.rows, ("ann", "bad", "zoe")):
        row.student = name
    with pytest.raises(SymcheckError, match="1 of 3 pages did not compile; the first: pdflatex failed on bad"):
        grade_report.write_pages(sigmoid, batch.rows, tmp_path / "pages", pdf=True)
    assert built == ["ann", "zoe"]
