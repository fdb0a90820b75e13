"""The vocabulary of the post-lexer: what each LaTeX command, character and word is."""
from __future__ import annotations

import sympy
from lark import Token


_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
    "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell", "nabla",
    "infty",    # read like a letter; bigops.limit makes it oo as a sum's upper limit, and only there
}
# variant glyphs read as the same letter
_GREEK_VARIANTS = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varrho": "rho",
                   "varsigma": "sigma", "varpi": "pi", "varkappa": "kappa"}
# function names, as commands or words, -> the text syntax's FUNCTIONS key
_FUNC_NAMES = {
    "exp": "exp", "log": "log", "ln": "ln", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "sin": "sin",
    "cos": "cos", "sign": "sign", "sgn": "sign", "max": "max", "min": "min", "sigmoid": "sigmoid", "relu": "relu",
    "ReLU": "relu", "softmax": "softmax", "KL": "KL", "JSD": "JSD", "tr": "trace", "Tr": "trace", "trace": "trace",
    "abs": "abs", "floor": "floor", "ceil": "ceil", "sech": "sech", "csch": "csch", "coth": "coth", "diag": "diag",
    "softplus": "softplus", "tan": "tan", "arcsin": "asin", "arccos": "acos", "arctan": "atan",
    "sec": "sec", "csc": "csc", "cot": "cot", "arsinh": "asinh", "arcsinh": "asinh", "arcosh": "acosh",
    "arccosh": "acosh", "artanh": "atanh", "arctanh": "atanh",
}
_FUNC_COMMANDS = {"exp", "log", "ln", "tanh", "sinh", "cosh", "coth", "sin", "cos", "max", "min", "sgn", "tr", "Tr",
                  "tan", "arcsin", "arccos", "arctan", "sec", "csc", "cot"}
_FONTS = {"mathbf", "boldsymbol", "bm", "mathbfit", "pmb", "vec", "mathnormal", "bold"}
_STYLES = {"mathcal": "mathcal", "mathbb": "mathbb", "mathbbm": "mathbb", "mathds": "mathbb", "mathfrak": "mathfrak",
           "mathscr": "mathscr", "mathsf": "mathsf", "mathtt": "mathtt"}
_ACCENTS = {"hat": "hat", "widehat": "hat", "tilde": "tilde", "widetilde": "tilde", "bar": "bar",
            "overline": "bar", "dot": "dot", "ddot": "ddot", "check": "check", "breve": "breve",
            "acute": "acute", "grave": "grave", "mathring": "mathring"}
_TEXT_COMMANDS = {"text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mathrm", "operatorname",
                  "mathit", "mbox", "mathop"}
# the commands whose words may be prose (several words, or a word set off by spaces); \mathrm{d} and
# \operatorname{diag} are always names
_PROSE_COMMANDS = {"text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox"}
_SPACING = {"quad", "qquad", "enspace", "enskip", "thinspace", "medspace", "thickspace", "negthinspace",
            "negmedspace", "negthickspace", "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits",
            "nonumber", "notag", "allowbreak"}
_SIZERS = {"left": "left", "right": "right", "middle": "middle", "big": "", "Big": "", "bigg": "", "Bigg": "",
           "bigl": "left", "Bigl": "left", "biggl": "left", "Biggl": "left", "bigr": "right", "Bigr": "right",
           "biggr": "right", "Biggr": "right", "bigm": "middle", "Bigm": "middle", "biggm": "middle",
           "Biggm": "middle"}
_RELATIONS = {"leq": "<=", "le": "<=", "leqslant": "<=", "geq": ">=", "ge": ">=", "geqslant": ">=", "neq": "!=",
              "ne": "!=", "lt": "<", "gt": ">"}
# command -> (type, value)
_SIMPLE = {
    "frac": ("FRAC", "frac"), "dfrac": ("FRAC", "frac"), "tfrac": ("FRAC", "frac"), "cfrac": ("FRAC", "frac"),
    "sqrt": ("SQRT", "sqrt"), "sum": ("BIGOP", "sum"), "prod": ("BIGOP", "prod"), "partial": ("PARTIAL", "partial"),
    "cdot": ("MULOP", "*"), "times": ("MULOP", "*"), "ast": ("STARRAW", "*"), "star": ("STARRAW", "*"),
    "odot": ("HADAMARD", "odot"), "circ": ("HADAMARD", "odot"), "div": ("DIV", "/"), "top": ("TOP", "T"),
    "intercal": ("TOP", "T"), "prime": ("PRIME", "'"), "sim": ("SIM", "~"), "land": ("CONN", "and"),
    "wedge": ("CONN", "and"), "lor": ("CONN", "or"), "vee": ("CONN", "or"), "lfloor": ("_LFLOOR", "["),
    "rfloor": ("_RFLOOR", "]"), "lceil": ("_LCEIL", "["), "rceil": ("_RCEIL", "]"), "lbrace": ("_LSET", "{"),
    "rbrace": ("_RSET", "}"), "lbrack": ("_LBRACK", "["), "rbrack": ("_RBRACK", "]"),
    "in": ("IN", "in"), "dots": ("DOTS", "..."), "ldots": ("DOTS", "..."), "cdots": ("DOTS", "..."),
    "dotsb": ("DOTS", "..."), "dotsm": ("DOTS", "..."), "dotsc": ("DOTS", "..."), "underbrace": ("UNDERBRACE", "_"),
}
# bars: command -> (kind, forced role or None)
_BAR_COMMANDS = {"vert": ("abs", None), "lvert": ("abs", "open"), "rvert": ("abs", "close"), "mid": ("abs", "sep"),
                 "Vert": ("norm", None), "lVert": ("norm", "open"), "rVert": ("norm", "close"),
                 "parallel": ("norm", "sep")}
_IF_WORDS = {"if", "for", "when", "where", "whenever"}
_OTHERWISE_WORDS = {"otherwise", "else", "o.w.", "ow"}
_UNICODE = {
    "−": ("MINUS", "-"), "·": ("MULOP", "*"), "⋅": ("MULOP", "*"), "×": ("MULOP", "*"), "⊙": ("HADAMARD", "odot"),
    "∘": ("HADAMARD", "odot"), "≤": ("REL", "<="), "≥": ("REL", ">="), "≠": ("REL", "!="), "∂": ("PARTIAL", "partial"),
    "∑": ("BIGOP", "sum"), "∏": ("BIGOP", "prod"), "‖": ("DBARRAW", "||"), "∣": ("BAR", "|"), "⌊": ("_LFLOOR", "["),
    "⌋": ("_RFLOOR", "]"), "⌈": ("_LCEIL", "["), "⌉": ("_RCEIL", "]"), "∼": ("SIM", "~"), "⊤": ("TOP", "T"),
    "∈": ("IN", "in"), "⋯": ("DOTS", "..."), "…": ("DOTS", "..."),
}
_UNICODE_GREEK = dict(zip("αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩϵϑφϱς",
                          "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
                          "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega "
                          "epsilon theta phi rho sigma".split()))
_PUNCT = {"+": "PLUS", "-": "MINUS", "*": "STARRAW", "/": "DIV", "(": "_LPAR", ")": "_RPAR", "[": "_LBRACK",
          "]": "_RBRACK", "{": "_LBRACE", "}": "_RBRACE", "^": "_CARET", "_": "_SUB", ",": "COMMA", ";": "SEMI",
          "|": "BARRAW", "&": "_AMP", "'": "PRIME"}
_OPENERS = {"_LPAR": "_RPAR", "_LBRACK": "_RBRACK", "_LBRACE": "_RBRACE", "_LSET": "_RSET",
            "_BEGIN_CASES": "_END_CASES", "_LFLOOR": "_RFLOOR", "_LCEIL": "_RCEIL"}
_CLOSERS = set(_OPENERS.values())
_OPERAND_END = {"LETTER", "GREEK", "NUMBER", "WORD", "_RPAR", "_RBRACK", "_RBRACE", "_RSET", "_ABS_CLOSE",
                "_NORM_CLOSE", "_RFLOOR", "_RCEIL", "PRIME", "STAR", "TOP", "_END_CASES"}
_RAW = ("RAW_CMD", "RAW_CSYM", "RAW_LETTERS", "RAW_DIGITS", "RAW_PUNCT", "RAW_OTHER")
_TRANSPOSE_KEYS = {"T", r"\top", r"\mathsf{T}"}
_COMPARE_NAMES = {"<": sympy.StrictLessThan, "<=": sympy.LessThan, ">": sympy.StrictGreaterThan,
                  ">=": sympy.GreaterThan, "=": sympy.Eq, "!=": sympy.Ne}


def _token(type_: str, value: str, start: int, end: int, like: Token) -> Token:
    return Token(type_, value, start, like.line, like.column, like.end_line, like.end_column, end)


def _retype(type_: str, value: str, like: Token) -> Token:
    return _token(type_, value, like.start_pos, like.end_pos, like)
