"""The ``symcheck`` command: its arguments, exit codes, signals and one-line
errors (what each command does is in commands.py).

Exit codes: 0 success (for ``check``: the claim holds), 1 a verdict differs
from the catalogue (for ``check``: refuted), 2 bad input, 3 undecided.
Errors are one line on stderr, never a traceback (set SYMCHECK_DEBUG=1 to see
one).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from symcheck import equal_command, steps_command
from symcheck.errors import ClaimError, SymcheckError, UsageError

from symcheck.commands import (EXIT_FAILED, EXIT_OK, EXIT_USAGE, cmd_check, cmd_grade, cmd_init, cmd_list,
                               cmd_report, cmd_show, cmd_verify)

DESCRIPTION = """\
symcheck proves or refutes the derivations on deep-learning answer sheets.

Every answer in the catalogue (derivations/) is checked two independent ways:
a symbolic proof (SymPy, cheap canonical forms first, under a time budget) and
a numeric oracle (a NumPy forward pass with finite differences, an optimiser,
exact sums or Monte Carlo).  A claim is
  proved     the symbolic difference reduced to 0 (and the numbers agree),
  confirmed  the numbers agree at every sampled point; no symbolic proof in budget,
  refuted    a counterexample, re-checked to 50 digits,
  undecided  a budget ran out,
  error      the entry or claim is malformed.
"""

EPILOG = """\
examples:
  symcheck list                         every entry, grouped by sheet
  symcheck show sigmoid-backward        the question, notation, claims and verdicts
  symcheck verify                       verify the whole catalogue (exit 1 on any surprise)
  symcheck verify batchnorm-backward --json
  symcheck check sigmoid-backward "dEdy*sigma(x)*(1 - sigma(x))"
  symcheck check relu-backward "dEdy if x > 0 else 0"
  symcheck equal 'sqrt(x**2)' 'x'       refuted on the reals; holds for x > 0
  symcheck steps derivation.tex         every step of a derivation, and the first wrong one

exit codes: 0 ok, 1 failed (a verdict differs / the claim is refuted), 2 bad input, 3 undecided
"""

CLAIM_SYNTAX = """\
claim syntax (text): SymPy-like, over the entry's symbol names (see 'symcheck show ID'):
  + - * / ** (or ^), parentheses, numbers (0.5 is exactly 1/2)
  exp log ln sqrt tanh sinh cosh sin cos abs sign floor ceil max min
  sigma(x) / sigmoid(x), relu(x), indicator(x > 0), 'a if x > 0 else b'
  Sum(expr, (j, 1, n)) or Sum(expr, j) when j's range is declared; Product(...)
  matrices: A*B (matrix product), A.T, inv(A) or A**-1, hadamard(A, B), eye(n), norm(v)
  distributions: KL(p, q), JSD(p, q); X[i] indexes a declared vector or matrix
  an optional leading 'name =' is ignored
Nothing is evaluated as Python: unknown names and functions are rejected.
"""


def budget_seconds(text: str) -> float:
    """``--budget``: a positive finite number of seconds (argparse type)."""
    from symcheck.budget import validated

    try:
        return validated(text)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def worker_count(text: str) -> int:
    """``--jobs``: a whole number of worker processes, at least 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"the number of jobs must be a whole number of at least 1, such as 2; "
                                         f"got {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one 'Error:' line and exit 2."""

    def error(self, message: str):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symcheck", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    from symcheck import __version__

    parser.add_argument("--version", action="version", version=f"symcheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    # every command that reads a catalogue takes --catalogue, after the command's name
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--catalogue", action="append", metavar="PATH", default=None,
                       help="a catalogue folder or entry file (repeatable; default: [tool.symcheck] in the "
                            "nearest pyproject.toml, else the built-in catalogue)")

    p = commands.add_parser("list", parents=[where], help="list the entries, grouped by sheet",
                            description="List every entry of the catalogue, grouped by source sheet, with its "
                                        "problem label and the verdicts its claims are recorded to have.")
    p.add_argument("--json", action="store_true", help="one JSON array of {id, title, sheet, problem, ...}")
    p.add_argument("--sheet", help="only this sheet: its id or a unique prefix, as report takes (e.g. 002)")

    p = commands.add_parser("show", parents=[where], help="show one entry: question, notation, claims, reference, verdicts",
                            description="Show an entry: the question as the sheet poses it, its notation (the "
                                        "symbol names a text claim uses, with their LaTeX), what is asked, the "
                                        "claims with their recorded verdicts, and the engine's verdicts.")
    p.add_argument("id", help="the entry id, e.g. sigmoid-backward")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--no-verify", action="store_true", help="do not run the verification")

    p = commands.add_parser("verify", parents=[where], help="verify entries (default: the whole catalogue)",
                            description="Verify entries claim by claim and print a verdict table per sheet. "
                                        "Exits 0 when every verdict is the one the catalogue records, 1 otherwise.",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("ids", nargs="*", metavar="ID", help="entry ids (default: all)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--jobs", "-j", type=worker_count, default=None, help="parallel worker processes (default: the cores)")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write the verification cache")
    p.add_argument("--budget", type=budget_seconds, default=None, help="symbolic time budget per claim, seconds")

    p = commands.add_parser("check", parents=[where], help="check your own claim against an entry",
                            description="Check a claim against entry ID: the same engine, verdicts and evidence "
                                        "as the catalogue. Exit 0 if it holds (proved or confirmed), 1 if refuted "
                                        "(the counterexample is printed), 3 if undecided, 2 on bad input.",
                            epilog=CLAIM_SYNTAX, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("id", help="the entry id, e.g. sigmoid-backward")
    p.add_argument("claim", nargs="?", help="the claim (omit with --file)")
    p.add_argument("--latex", action="store_true", help="the claim is LaTeX in the sheet's notation")
    p.add_argument("--file", "-f", help="read the claim from a file ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--budget", type=budget_seconds, default=None, help="time budget, seconds (default 10)")

    p = commands.add_parser("report", parents=[where], help="write the verified answer sheets as LaTeX (and PDF)",
                            description="Verify each sheet's entries (through the cache) and write "
                                        "DIR/<sheet>.tex, a verified answer sheet, for every sheet the catalogue "
                                        "declares. DIR defaults to reports/ in the project that holds the "
                                        "settings, else beside the catalogue. With "
                                        "--pdf, also compile each sheet with pdflatex into DIR/build/.")
    p.add_argument("sheets", nargs="*", metavar="SHEET",
                   help="sheet ids, or a unique prefix such as 004 (default: every sheet of the catalogue)")
    p.add_argument("--out", metavar="DIR", default=None, help="output directory (default: the project's reports/)")
    p.add_argument("--pdf", action="store_true", help="also build DIR/build/<sheet>.pdf with pdflatex")
    p.add_argument("--jobs", "-j", type=worker_count, default=None, help="parallel worker processes (default: the cores)")

    p = commands.add_parser("grade", help="grade a class's answers to one entry",
                            description="Grade many students' answers to entry ID: one row per answer (verdict, "
                                        "diagnosis, counterexample, time), then counts per verdict and the most "
                                        "frequent mistakes. ANSWERS is a file of one answer per line, a CSV with "
                                        "'student' and 'answer' columns, JSONL ({\"student\": ..., \"answer\": "
                                        "...}), a folder with one file per student, or '-' (standard input). "
                                        "Exit 0 when grading completed, whatever the verdicts; 2 on bad input.")
    p.add_argument("id", nargs="?", help="the entry id, e.g. sigmoid-backward")
    p.add_argument("answers", nargs="?", metavar="ANSWERS", help="the answers: a file, a folder, or '-'")
    p.add_argument("--latex", action="store_true", help="the answers are LaTeX in the sheet's notation")
    p.add_argument("--jobs", "-j", type=worker_count, default=None, help="worker processes (default: the cores)")
    p.add_argument("--budget", type=budget_seconds, default=None, help="time budget per answer, seconds (default 10)")
    p.add_argument("--out", metavar="FILE", help="write the results here (a folder for several platform results)")
    p.add_argument("--format", default="table", choices=("table", "csv", "jsonl", "prairielearn", "gradescope"),
                   help="table (default), csv, jsonl, or a platform's results.json: prairielearn, gradescope")
    p.add_argument("--json", action="store_true", help="rows and summary as one JSON document")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write the grading cache")
    p.add_argument("--shard", metavar="K/N", help="grade only shard K of N (by a stable hash of the student)")
    p.add_argument("--merge", nargs="+", metavar="FILE", help="join the shards' --format jsonl outputs")
    p.add_argument("--report", metavar="DIR", help="also write DIR/<student>.tex, one page per student (answer, "
                   "verdict, counterexample, diagnosis, corrected answer); with --pdf, DIR/build/<student>.pdf")
    p.add_argument("--pdf", action="store_true", help="with --report, also compile each page with pdflatex")

    p = commands.add_parser("init", help="write a starter catalogue of your own in DIR",
                            description="Write a starter catalogue in DIR: a sheets file, one Python entry with a "
                                        "sheet error and its correction and a common mistake, one document sheet "
                                        "(Markdown with LaTeX), and the settings "
                                        "(pyproject.toml). It passes 'symcheck verify' and 'pytest' as written.")
    p.add_argument("dir", metavar="DIR", help="the folder to write in (created if missing; nothing is overwritten)")

    equal_command.add_parser(commands, [])
    steps_command.add_parser(commands, [where])
    return parser


COMMANDS = {"list": cmd_list, "show": cmd_show, "verify": cmd_verify, "check": cmd_check, "report": cmd_report,
            "grade": cmd_grade, "init": cmd_init, "equal": equal_command.run, "steps": steps_command.run}


class Interrupted(BaseException):
    """SIGINT or SIGTERM: stop everything now.  A BaseException, like
    KeyboardInterrupt, so that no ``except Exception`` turns it into a verdict."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum, frame):
    raise Interrupted(signum)


def _on_signals(handler) -> dict:
    """Install ``handler`` for SIGINT and SIGTERM; returns the previous handlers (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}


def _interrupted(signum: int) -> int:
    """One line, no child left behind, and the shell's convention: 128 + the signal's number."""
    from symcheck.runs import kill_children

    kill_children()
    print(f"Error: interrupted by {signal.Signals(signum).name}", file=sys.stderr)
    return 128 + signum


def main(argv=None) -> int:
    from symcheck.console import use_terminal_encoding

    use_terminal_encoding()
    previous = _on_signals(_interrupt)
    try:
        return _main(argv)
    except Interrupted as interrupt:
        return _interrupted(interrupt.signum)
    except KeyboardInterrupt:  # SIGINT before our handler was in place
        return _interrupted(signal.SIGINT)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _files_as_catalogues(args) -> None:
    """``symcheck verify hw3.md``, ``symcheck report hw3.md``: an entry file named where ids or
    sheets go is a catalogue, as if given with --catalogue (and then all of it is meant)."""
    for name in ("ids", "sheets"):
        given = getattr(args, name, None)
        files = [g for g in given or () if g.endswith((".md", ".py")) and Path(g).is_file()]
        if files:
            setattr(args, name, [g for g in given if g not in files])
            args.catalogue = (args.catalogue or []) + files


def _main(argv=None) -> int:
    parser = build_parser()
    debug = bool(os.environ.get("SYMCHECK_DEBUG"))
    try:
        args, extra = parser.parse_known_args(argv)
        # argparse cannot fill the optional CLAIM after a flag ("check ID --latex CLAIM"): take it here
        rest = extra[1:] if extra[:1] == ["--"] else extra
        if args.command == "check" and args.claim is None and len(rest) == 1 \
                and (rest is not extra or not rest[0].startswith("--")):
            args.claim, extra = rest[0], []
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        _files_as_catalogues(args)
        return COMMANDS[args.command](args)
    except SymcheckError as error:
        if debug:
            raise
        print(f"Error: {error}", file=sys.stderr)
        pointer = getattr(error, "pointer", None)
        if pointer is not None and sys.stderr.isatty() and pointer():
            # at a terminal only: scripts and graders read exactly one line
            print(pointer(), file=sys.stderr)
        return error.exit_code if isinstance(error, (UsageError, ClaimError)) else EXIT_FAILED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - a bug in symcheck: one line, not a traceback
        if debug:
            raise
        print(f"Error: internal error ({type(error).__name__}: {error}); rerun with SYMCHECK_DEBUG=1 and "
              "report it", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
