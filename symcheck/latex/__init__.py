r"""The LaTeX syntax of claims: what a sheet prints, read into the same SymPy
objects as the text syntax.

``parse_latex(r"\frac{\partial E}{\partial y}\sigma(x)(1-\sigma(x))", notation)``
returns ``dEdy*sigmoid(x)*(1 - sigmoid(x))``, exactly what ``parse_claim`` makes
of ``dEdy*sigma(x)*(1 - sigma(x))``.  The claim is parsed by Lark (LALR(1), the
grammar in ``claim.lark``, the single source of truth) and the parse tree is
translated by a :class:`lark.Transformer` that builds SymPy directly.  Nothing is evaluated as
Python and nothing is expanded as TeX: an unknown command (``\input``,
``\def``, ``\csname``) is an error with its column.

Three stages:

1. **Lexing** cuts the text into raw pieces; the **post-lexer**
   (``lexer.PostLexer``) gives each its role.  It drops spacing and
   ``\left``/``\right``, collapses ``\text{...}``/``\operatorname{...}`` into one
   word, splits TeX's one-token arguments (``\frac12``, ``x^23``), decides for
   each ``|`` and ``\|`` whether it opens or closes ``|x|``/``\|x\|`` or separates
   (``q_\phi(z|x)``, ``KL(p\|q)``), and drops a leading ``LHS =``.
2. **Parsing** builds the tree.
3. **Translation** matches symbols against the entry's notation.  Every
   declared symbol's LaTeX is parsed by the same grammar and reduced to a *key*
   in which whitespace, braces and ``\text`` are normalised away; a piece of
   the claim is that symbol when its key is equal.  Bold is kept: ``\mathbf{t}``
   and ``t`` are different symbols, and a bold letter is never an index; a claim
   that drops a symbol's bold still names it when nothing else is spelt so, but
   inside ``\sum_t`` a plain ``t^{(t)}`` that could be the index or the entry's
   ``\mathbf{t}^{(t)}`` is refused with both readings.
   So ``\frac{\partial L}{\partial Y}`` is ``dLdY``; ``w_i^*`` is ``wstar[i]``
   (the subscript of a declared vector is an index); ``\frac{\partial L}
   {\partial Y_i}`` is ``dLdY[i]``; ``p_{data}(x)`` is ``pdata[x]`` when x is an
   index; a vector whose LaTeX names its index (``q_\phi(z|x)``) reads as its
   entry at z, and as the whole vector inside ``KL(\cdot\|\cdot)``.  A subscript
   may extend the declared one (``\delta_{h,i}^{(l)}`` is ``\delta_h^{(l)}`` at i), a
   superscript may end in a transpose (``\mathbf h^{(l-1)\top}``), and ``X[i, j]``
   indexes a declared vector, matrix or tensor.  Symbols declared as several
   factors (``x[t]``, ``W_{f,c} *_{full} ...``) are matched as a run of factors;
   ``\sum_{i=0}^{2} w_i[t]`` over symbols declared one by one is written out.

Derivatives are operators (``derivatives``): ``\frac{d}{dx} f``,
``\frac{\partial}{\partial x} f``, ``\frac{df}{dx}``, ``\nabla_x f`` and primes
(``\sigma'(x)``, ``\tanh'(x)``) apply ``sympy.diff`` to the built expression with
respect to a declared scalar variable, definitions expanded; a declared symbol
spelt so (an upstream gradient ``\frac{\partial E}{\partial y}``) stays that
symbol.  A number is a number: ``3 \times 28`` is 84, and only where the question
asks for a shape does ``\times`` separate its dimensions.

A sum without parentheses covers the rest of its product; when the following
terms still use its index (``\sum_x p(x)\log a + q(x)\log b``, the integrand
of a sheet), it covers them too.  A scalar added to a vector acts entry by entry
(``1 - \sigma(\mathbf z)``); ``\delta_{ij}`` is Kronecker's delta when the entry
has no δ.  A sum or product over symbols declared one by
one is written out when its limits are integers or constants the entry declares
(``\sum_{t=1}^{T}`` with T = 2; ``\prod_{k=t}^{T-1} D_{k+1}`` names its terms
after the lower limit as written, D_{t+1}, D_{t+2}), sums of integers in an
index folded (h^{(t-1)} at t = 1 is h^{(0)}).  ``\underbrace{A \cdots A}_{n}``
is A^n: a product with dots needs its number of factors.

What a sheet prints beside one expression: a list (``10,\ 30``) reads as a
``sympy.Tuple``, a leading ``LHS =`` dropped from each item; a shape
``X_c \in \mathbb{R}^{10 \times 1 \times 5}`` (or ``\mathbb{R}^{10*1*5}``,
``\mathbb{R}^{50,1}``) contributes its dimensions to the list; where the
question's quantity is a list of k values, ``16 \times 28 \times 28`` with k
factors is that list (``tuple_length``).  Words that are not a name
(``\text{likelihood } 1``) are a label when they open the claim or an item,
and are refused anywhere else.  A bound's LaTeX may print its relation
(``\|x\| \le 1.395``): with ``relation="<="`` the claim is the bound's side.
Parameter assignments (``w_1 = -1, w_2 = 1``) are read by
:func:`parse_latex_assignments`; :func:`parse_latex_claim` reads a claim the
way its question reads the text syntax. 

The Transformer works bottom-up, so a piece that means nothing alone (the
``\partial E`` of ``\frac{\partial E}{\partial y}``, or ``W_{f,c}`` before
``*_{full}``) must not fail before the larger symbol is recognised: every rule's
error is deferred (``values._Deferred``) and raised only where the value is used.

Safety: the input is at most ``MAX_LATEX_CHARS`` characters and
``MAX_TOKENS`` tokens, groups nest at most ``MAX_DEPTH`` deep, the tree has at
most ``MAX_NODES`` nodes, powers of numbers obey the text syntax's
``MAX_DIGITS`` guard (nothing larger is ever computed) and every number must
stay printable (``MAX_PRINTABLE_DIGITS``); a family written out is bounded by
``MAX_EXPANSIONS``; a literal has at most ``MAX_LITERAL_DIGITS`` digits, a power of a
matrix or of an expression is bounded (``MAX_MATRIX_POWER``, ``MAX_SYMBOLIC_POWER``),
all checked before any arithmetic, and a value that is not real (``\sqrt{-1}``,
``\frac{1}{0}``) is refused where it appears.  Every failure is a :class:`LatexError` (a ClaimError): one line with the
column (and, for an unknown symbol, the symbols the entry knows).

The modules, in the order a claim meets them: ``commands`` (what each command
and character is), ``lhs`` (a leading ``LHS =``), ``lexer`` (the post-lexer),
``roles``, ``passes`` and ``delimiters`` (its token passes), ``parser`` (Lark
and its errors), ``keys`` and ``symbols`` (the symbol table), ``builder`` (the
transformer, its rules in the mixins ``atoms``, ``arithmetic``,
``derivatives``, ``scripts``, ``calls``, ``bigops``, ``conditions``; ``values``
and ``trees`` are their helpers), ``reader`` (:func:`parse_latex`), ``claims``
(claims of a question); ``limits`` holds the bounds and ``errors`` the one
error type, :class:`LatexError`.
"""
from symcheck.latex.claims import parse_latex_assignments, parse_latex_claim
from symcheck.latex.errors import LatexError
from symcheck.latex.limits import MAX_DEPTH, MAX_LATEX_CHARS, MAX_TOKENS
from symcheck.latex.reader import parse_latex


__all__ = ["LatexError", "MAX_DEPTH", "MAX_LATEX_CHARS", "MAX_TOKENS", "parse_latex", "parse_latex_assignments",
           "parse_latex_claim"]
