"""Sheet 004, problem 9(i): Luong et al.'s attentional decoder with input feeding, general score.

The decoder's equations, in the notation of [5], are *definitions* of the model:

    score(h_t, h̄_s) = h_tᵀ W_a h̄_s                                  (general)
    a_t(s) = exp(score(h_t, h̄_s)) / Σ_s' exp(score(h_t, h̄_s'))
    c_t = Σ_s a_t(s) h̄_s
    h̃_t = tanh(W_c [c_t; h_t])
    p(y_t | y_<t, x) = softmax(W_s h̃_t)
    h_t = LSTM(h_{t−1}, [ŷ_{t−1}; h̃_{t−1}])                         (input feeding)

They are stated as such in the prose answer (derivations/prose_004.py) and
not checked.  What they imply is checked here: the weights are a distribution
over the source positions (they sum to 1 and are nonnegative), the context
vector is the matrix form H̄ softmax(H̄ᵀ W_aᵀ h_t) written as that convex
combination, the general score reduces to the dot score at W_a = I, the
concatenation in h̃_t splits W_c by columns, two steps of the recurrence with
input feeding agree value by value with a NumPy decoder (the fed-back h̃_{t−1}
entering through its own block of the input weights), and the recurrence, run
in NumPy for a few steps, has consistent shapes.

The source states h̄_s are the columns of H̄ (n × S).
"""
from functools import lru_cache

import numpy as np

from symcheck import Claim, Entry, Index, Notation, Size, Value, chain, define, domains, matrix, vector

SHEET = "004_1638b43a4d4b0ea1"
PROBLEM = "9(i)"

N = Size("n", small=(2,), random=(2, 5))
S = Size("S", small=(2, 3), random=(2, 7))
N23 = Size("n", small=(2, 3), random=(2, 6))  # for the entries without source positions
INDICES = [Index("s", 1, "S"), Index("r", 1, "S"), Index("i", 1, "n"), Index("j", 1, "n"), Index("m", 1, "n")]

HT = vector("ht", "n", r"\mathbf{h}_t", doc="the decoder's hidden state at step t")
HBAR = matrix("Hbar", "n", "S", r"\bar{\mathbf{H}}", doc="the source states h̄_s as columns")
WA = matrix("Wa", "n", "n", r"\mathbf{W}_a")

# The general score h_tᵀ W_a h̄_s, spelled as the answer prints it (a second name for the index r of the
# normaliser: the LaTeX front end reads a family's LaTeX with its index letter as written).
SCORE = define("score", "Sum(ht[i]*Wa[i, j]*Hbar[j, s], i, j)", r"\mathbf{h}_t^\top\mathbf{W}_a\bar{\mathbf{h}}_s",
               params=("s",))
SCORE_R = define("scorer", "Sum(ht[i]*Wa[i, j]*Hbar[j, r], i, j)",
                 r"\mathbf{h}_t^\top\mathbf{W}_a\bar{\mathbf{h}}_r", params=("r",))
ALIGN = define("a", "exp(score[s])/Sum(exp(scorer[r]), r)", r"a_t", params=("s",), domain=domains.positive)
HB = define("hb", "Hbar[m, s]", r"\bar{h}", params=("s", "m"))  # hb[s, m]: component m of h̄_s
WEIGHTS = "softmax(Hbar.T*Wa.T*ht)"  # the vector (a_t(1), ..., a_t(S)): scores h_tᵀ W_a h̄_s = (H̄ᵀ W_aᵀ h_t)_s

READING = (r"$\bar{\mathbf H} = [\bar{\mathbf h}_1, \dots, \bar{\mathbf h}_S]$ holds the source states as "
           r"columns, so the general scores $\mathbf h_t^\top\mathbf W_a\bar{\mathbf h}_s$ are the entries of "
           r"$\bar{\mathbf H}^\top\mathbf W_a^\top\mathbf h_t$. The definitions (score, $a_t(s)$, $\mathbf c_t$) "
           r"are those of [5] (Section 3); they are not checked, what follows from them is.")


def _softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


def _align(ht, Wa, Hbar):
    """a_t(s) for s = 1..S, one score at a time."""
    scores = np.array([ht @ Wa @ Hbar[:, s] for s in range(Hbar.shape[1])])
    return _softmax(scores)


def _notation(variables, definitions=(SCORE, SCORE_R, ALIGN, HB)):
    return Notation(variables=variables, definitions=list(definitions), sizes=[N, S], indices=INDICES)


luong_weights_sum = Entry(
    id="luong-alignment-sums-to-one",
    title="Luong attention: the alignment weights sum to 1 over the source positions",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"With the general score $\operatorname{score}_s = \mathbf h_t^\top\mathbf W_a\bar{\mathbf h}_s$ and "
             r"the weights $a_t(s) = \exp(\operatorname{score}_s)/Z_t$, where $Z_t = \sum_{s'}"
             r"\exp(\operatorname{score}_{s'})$, show that $\sum_{s=1}^{S} a_t(s) = 1$.",
    reading=READING,
    notation=_notation([HT, HBAR, WA]),
    asks=Value(expr="ones(S).T*" + WEIGHTS, oracle=lambda ht, Wa, Hbar: _align(ht, Wa, Hbar).sum()),
    claims=chain(
        Claim("Sum(a[s], s)", r"\mathbf 1^\top\mathbf a_t = \sum_{s=1}^{S} a_t(s)", source="answer"),
        Claim("1", "1", source="answer"),
    ),
    answer=r"All $a_t(s)$ share the denominator $\sum_{s'}\exp(\operatorname{score}(\mathbf h_t, \bar{\mathbf "
           r"h}_{s'}))$, which is the sum of their numerators.",
)

luong_weights_nonnegative = Entry(
    id="luong-alignment-weights",
    title="Luong attention: the alignment vector is a softmax of the general scores, entrywise positive",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"Show that $\mathbf a_t = \operatorname{softmax}(\bar{\mathbf H}^\top\mathbf W_a^\top\mathbf h_t)$ is "
             r"the vector of the $a_t(s)$, and that its entries are nonnegative.",
    reading=READING,
    notation=_notation([HT, HBAR, WA]),
    asks=Value(expr=WEIGHTS, oracle=_align, index=("s",)),
    claims=[
        Claim("exp(score[s])/Sum(exp(scorer[r]), r)",
              r"a_t(s) = \frac{\exp(\mathbf h_t^\top\mathbf W_a\bar{\mathbf h}_s)}{\sum_{r=1}^{S}"
              r"\exp(\mathbf h_t^\top\mathbf W_a\bar{\mathbf h}_r)}", source="answer", label="general score",
              note="The alignment function of [5] with the general score: entry s of the softmax."),
        Claim("0", r"a_t(s) \ge 0", source="answer", relation=">=", label="nonnegative", expect="confirmed",
              note="A bound, checked at random and adversarial points; with the sum to 1 it makes c_t a convex "
                   "combination."),
    ],
)

luong_context = Entry(
    id="luong-context-vector",
    title="Luong attention: the context vector is the weighted average of the source states",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"Show that the context vector $\mathbf c_t = \bar{\mathbf H}\mathbf a_t$ is the combination "
             r"$\sum_s a_t(s)\,\bar{\mathbf h}_s$ of the source states.",
    reading=READING + r" Vector claims are checked component by component, $m = 1, \dots, n$.",
    notation=_notation([HT, HBAR, WA]),
    asks=Value(expr="Hbar*" + WEIGHTS, oracle=lambda ht, Wa, Hbar: Hbar @ _align(ht, Wa, Hbar), index=("m",)),
    claims=[Claim("Sum(a[s]*hb[s, m], s)", r"c_{t,m} = \sum_{s=1}^{S} a_t(s)\,\bar h_{s,m}", source="answer",
                  note=r"Component $m$ of $\mathbf c_t = \sum_s a_t(s)\,\bar{\mathbf h}_s$; $\bar h_{s,m} = "
                       r"\bar H_{ms}$.")],
    answer=r"With $a_t(s) \ge 0$ and $\sum_s a_t(s) = 1$ (the two entries above), $\mathbf c_t$ is a convex "
           r"combination of $\bar{\mathbf h}_1, \dots, \bar{\mathbf h}_S$: it lies in their convex hull, each "
           r"component between the smallest and the largest $\bar h_{s,m}$.",
)

luong_general_dot = Entry(
    id="luong-general-score-dot",
    title="Luong attention: the general score at W_a = I is the dot score",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"Show that the general score $\mathbf h_t^\top\mathbf W_a\bar{\mathbf h}_s$ reduces to the dot "
             r"score $\mathbf h_t^\top\bar{\mathbf h}_s$ when $\mathbf W_a = \mathbf I$.",
    reading=r"$\mathbf W_a$ is defined as the $n\times n$ identity; $\bar{\mathbf h}_s$ is one source state.",
    notation=Notation(variables=[HT, vector("hbar", "n", r"\bar{\mathbf{h}}_s")],
                      definitions=[define("Wa", "eye(n)", r"\mathbf{W}_a", shape=("n", "n"))],
                      sizes=[N23], indices=INDICES[2:]),
    asks=Value(expr="ht.T*Wa*hbar", oracle=lambda ht, hbar: ht @ np.eye(ht.size) @ hbar),
    claims=chain(
        Claim("ht.T*hbar", r"\mathbf h_t^\top\mathbf I\,\bar{\mathbf h}_s = \mathbf h_t^\top\bar{\mathbf h}_s",
              source="answer"),
        Claim("Sum(ht[i]*hbar[i], i)", r"\sum_{i=1}^{n} h_{t,i}\,\bar h_{s,i}", source="answer"),
    ),
    answer=r"$\mathbf h_t^\top\mathbf I\,\bar{\mathbf h}_s = \mathbf h_t^\top\bar{\mathbf h}_s$: the general score "
           r"is the dot score with a learned bilinear form, and the alignment weights reduce with it.",
)

# The column blocks of W_c = [W_c^(c) W_c^(h)] (n × 2n): the first and the last n columns.
WCC = define("Wcc", "matrix_of(Wc[m, j], m, j)", r"\mathbf{W}_c^{(c)}", shape=("n", "n"))
WCH = define("Wch", "matrix_of(Wc[m, j + n], m, j)", r"\mathbf{W}_c^{(h)}", shape=("n", "n"))

luong_attentional_state = Entry(
    id="luong-attentional-state",
    title="Luong attention: the attentional hidden state tanh(W_c[c_t; h_t])",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"With $\mathbf W_c = [\mathbf W_c^{(c)}\ \mathbf W_c^{(h)}] \in \mathbb R^{n\times 2n}$ split into its "
             r"first and last $n$ columns, show $\tilde{\mathbf h}_t = \tanh(\mathbf W_c[\mathbf c_t; \mathbf h_t]) "
             r"= \tanh(\mathbf W_c^{(c)}\mathbf c_t + \mathbf W_c^{(h)}\mathbf h_t)$.",
    reading=r"The reference concatenates literally: $[\mathbf c_t; \mathbf h_t]$ is the $2n$-vector with "
            r"$\mathbf c_t$ on top. $\mathbf c_t$ is any vector here (its formula is checked in "
            r"luong-context-vector). Checked component by component, $m = 1, \dots, n$.",
    notation=Notation(variables=[matrix("Wc", "n", "2*n", r"\mathbf{W}_c"), vector("c", "n", r"\mathbf{c}_t"), HT],
                      definitions=[WCC, WCH], sizes=[N23], indices=INDICES[2:]),
    asks=Value(expr="tanh(Wc*vector_of(c[q] if q <= n else ht[q - n], (q, 1, 2*n)))",
               oracle=lambda Wc, c, ht: np.tanh(Wc @ np.concatenate([c, ht])), index=("m",)),
    claims=[Claim("tanh(Wcc*c + Wch*ht)",
                  r"\tilde{\mathbf h}_t = \tanh(\mathbf W_c^{(c)}\mathbf c_t + \mathbf W_c^{(h)}\mathbf h_t)",
                  source="answer",
                  note=r"$\mathbf W_c^{(c)}$: columns $1, \dots, n$ of $\mathbf W_c$; $\mathbf W_c^{(h)}$: columns "
                       r"$n+1, \dots, 2n$.")],
    answer=r"A matrix times a stacked vector is the sum of its column blocks times the pieces: the attentional "
           r"state mixes the context (source side) and the decoder state (target side) through separate weights.",
)


# -- input feeding: the recurrence run for a few steps -----------------------------------------
STEPS = 3
SHAPE_SIZES = [Size("E", small=(3,), random=(1, 6)), Size("n", small=(2,), random=(1, 6)),
               Size("S", small=(4,), random=(1, 7)), Size("K", small=(5,), random=(2, 8))]


@lru_cache(maxsize=None)
def _decoder_shapes(E, n, S, K, steps=STEPS):
    """Run the decoder with input feeding for a few steps on random weights of the sizes the equations
    need; read the size of every vector off the arrays (a size mismatch would raise in a product)."""
    rng = np.random.default_rng(0)
    W = rng.normal(size=(4 * n, E + n)) * 0.3  # the LSTM reads [ŷ_{t−1}; h̃_{t−1}]
    U = rng.normal(size=(4 * n, n)) * 0.3
    bias = np.zeros(4 * n)
    Wa, Wc, Ws = rng.normal(size=(n, n)), rng.normal(size=(n, 2 * n)), rng.normal(size=(K, n))
    Hbar = rng.normal(size=(n, S))
    embed = rng.normal(size=(K, E))
    h, cell, htilde, y_prev = np.zeros(n), np.zeros(n), np.zeros(n), 0
    seen = []
    for _ in range(steps):
        x = np.concatenate([embed[y_prev], htilde])  # input feeding
        z = W @ x + U @ h + bias
        i, f, o, g = (1 / (1 + np.exp(-z[:n])), 1 / (1 + np.exp(-z[n:2 * n])), 1 / (1 + np.exp(-z[2 * n:3 * n])),
                      np.tanh(z[3 * n:]))
        cell = f * cell + i * g
        h = o * np.tanh(cell)
        a = _softmax(h @ Wa @ Hbar)
        context = Hbar @ a
        stacked = np.concatenate([context, h])
        htilde = np.tanh(Wc @ stacked)
        p = _softmax(Ws @ htilde)
        y_prev = int(np.argmax(p))
        seen.append(tuple(v.size for v in (x, h, a, context, stacked, htilde, p)))
    if len(set(seen)) != 1:
        raise ValueError(f"the sizes change from step to step: {seen}")
    return np.array(seen[-1], dtype=float)


luong_input_feeding_shapes = Entry(
    id="luong-input-feeding-shapes",
    title="Luong attention: the input-feeding recurrence has consistent shapes",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"With embeddings of size $E$, hidden size $n$, $S$ source positions and $K$ target words, give the "
             r"size of every vector of the decoder with input feeding: the LSTM input $[\hat{\mathbf y}_{t-1}; "
             r"\tilde{\mathbf h}_{t-1}]$, $\mathbf h_t$, $\mathbf a_t$, $\mathbf c_t$, $[\mathbf c_t; \mathbf h_t]$, "
             r"$\tilde{\mathbf h}_t$ and $\mathbf p_t = p(y_t|y_{<t}, x)$.",
    reading=r"The quantity is the tuple of sizes as the equations define them (a concatenation has the summed "
            r"size). The oracle runs the recurrence in NumPy for " + str(STEPS) + r" steps (LSTM cell, general "
            r"score, $\tilde{\mathbf h}_t$, softmax output, the previous prediction's embedding and "
            r"$\tilde{\mathbf h}_{t-1}$ fed back), on weight matrices of the sizes the equations need "
            r"($\mathbf W \in \mathbb R^{4n\times(E+n)}$, $\mathbf W_c \in \mathbb R^{n\times 2n}$, $\mathbf W_s "
            r"\in \mathbb R^{K\times n}$), and reads the sizes off the arrays; a mismatch anywhere would stop the "
            r"run, and the sizes must be the same at every step.",
    notation=Notation(sizes=SHAPE_SIZES),
    asks=Value(expr="(E + n, n, S, n, n + n, n, K)", oracle=lambda E, n, S, K: _decoder_shapes(E, n, S, K)),
    claims=[Claim("(E + n, n, S, n, 2*n, n, K)",
                  r"[\hat{\mathbf y}_{t-1}; \tilde{\mathbf h}_{t-1}] \in \mathbb R^{E+n},\ \mathbf h_t \in "
                  r"\mathbb R^{n},\ \mathbf a_t \in \mathbb R^{S},\ \mathbf c_t \in \mathbb R^{n},\ [\mathbf c_t; "
                  r"\mathbf h_t] \in \mathbb R^{2n},\ \tilde{\mathbf h}_t \in \mathbb R^{n},\ \mathbf p_t \in "
                  r"\mathbb R^{K}", source="answer",
                  note=r"So the LSTM's input weights are $4n \times (E + n)$: input feeding widens the input by $n$.")],
    answer=r"Input feeding makes the decoder's input at step $t$ the concatenation of the previous target "
           r"embedding and the previous attentional state, $E + n$ numbers instead of $E$; everything downstream of "
           r"$\mathbf h_t$ keeps its size, so the recurrence closes: $\tilde{\mathbf h}_t \in \mathbb R^n$ is "
           r"exactly what step $t+1$ expects.",
)
luong_input_feeding_shapes.asks.points_per_instance = 1


# -- input feeding: two steps of the recurrence, value by value -----------------------------------
# An RNN cell h_t = tanh(W x_t + U h_{t−1}) stands in for the LSTM: input feeding is about what x_t is,
# the same for any cell.  Sizes kept small: the reference nests two attention steps.
FEED_SIZES = [Size("E", small=(1,), random=(1, 3)), Size("n", small=(2,), random=(2, 3)),
              Size("S", small=(2,), random=(2, 4))]
FEED_INDICES = [Index("m", 1, "n"), Index("j", 1, "n"), Index("e", 1, "E")]


def _stack(top, bottom, top_size):
    """[top; bottom] as the text syntax builds it, index by index."""
    return f"vector_of({top}[q] if q <= {top_size} else {bottom}[q - {top_size}], (q, 1, {top_size} + n))"


def _feed_definitions():
    out = []
    for t in (1, 2):
        out += [
            define(f"x{t}", _stack(f"y{t - 1}", f"hh{t - 1}", "E"),
                   rf"[\hat{{\mathbf y}}_{{{t - 1}}}; \tilde{{\mathbf h}}_{{{t - 1}}}]", shape=("E + n",)),
            define(f"h{t}", f"tanh(W*x{t} + U*h{t - 1})", rf"\mathbf{{h}}_{{{t}}}", shape=("n",)),
            define(f"c{t}", f"Hbar*softmax(Hbar.T*Wa.T*h{t})", rf"\mathbf{{c}}_{{{t}}}", shape=("n",)),
            define(f"hh{t}", f"tanh(Wc*{_stack(f'c{t}', f'h{t}', 'n')})", rf"\tilde{{\mathbf h}}_{{{t}}}",
                   shape=("n",)),
        ]
    return out


def _feed_oracle(W, U, Wa, Wc, Hbar, y0, y1, h0, hh0):
    """Two decoder steps in NumPy, input feeding by np.concatenate."""
    h, htilde = h0, hh0
    for y in (y0, y1):
        h = np.tanh(W @ np.concatenate([y, htilde]) + U @ h)
        context = Hbar @ _softmax(h @ Wa @ Hbar)
        htilde = np.tanh(Wc @ np.concatenate([context, h]))
    return htilde


luong_input_feeding_step = Entry(
    id="luong-input-feeding-step",
    title="Luong attention: input feeding adds the previous attentional state to the recurrence",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"With input feeding the decoder reads $\mathbf x_t = [\hat{\mathbf y}_{t-1}; \tilde{\mathbf h}_{t-1}]$. "
             r"Splitting $\mathbf W = [\mathbf W^{(y)}\ \mathbf W^{(f)}]$ by columns, show that after two steps "
             r"$\tilde{\mathbf h}_2 = \tanh(\mathbf W_c^{(c)}\mathbf c_2 + \mathbf W_c^{(h)}\mathbf h_2)$ with "
             r"$\mathbf h_2 = \tanh(\mathbf W^{(y)}\hat{\mathbf y}_1 + \mathbf W^{(f)}\tilde{\mathbf h}_1 + \mathbf "
             r"U\mathbf h_1)$: the previous attentional state enters the recurrence through its own weights.",
    reading=r"The reference runs the recurrence with literal concatenations, from $\mathbf h_0$ and "
            r"$\tilde{\mathbf h}_0$, for two steps (general score, $\mathbf c_t = \bar{\mathbf H}\mathbf a_t$, "
            r"$\tilde{\mathbf h}_t = \tanh(\mathbf W_c[\mathbf c_t; \mathbf h_t])$); the oracle runs the same "
            r"decoder in NumPy. A cell $\mathbf h_t = \tanh(\mathbf W\mathbf x_t + \mathbf U\mathbf h_{t-1})$ stands "
            r"in for the LSTM: input feeding concerns the input $\mathbf x_t$, whatever the cell. $\mathbf W^{(y)}$ "
            r"is the first $E$ columns of $\mathbf W$, $\mathbf W^{(f)}$ the last $n$. Checked component by "
            r"component.",
    notation=Notation(
        variables=[matrix("W", "n", "E + n", r"\mathbf{W}"), matrix("U", "n", "n", r"\mathbf{U}"), WA,
                   matrix("Wc", "n", "2*n", r"\mathbf{W}_c"), HBAR,
                   vector("y0", "E", r"\hat{\mathbf{y}}_0"), vector("y1", "E", r"\hat{\mathbf{y}}_1"),
                   vector("h0", "n", r"\mathbf{h}_0"), vector("hh0", "n", r"\tilde{\mathbf{h}}_0")],
        definitions=[*_feed_definitions(), WCC, WCH,
                     define("Wy", "matrix_of(W[m, e], m, e)", r"\mathbf{W}^{(y)}", shape=("n", "E")),
                     define("Wf", "matrix_of(W[m, E + j], m, j)", r"\mathbf{W}^{(f)}", shape=("n", "n"))],
        sizes=FEED_SIZES, indices=FEED_INDICES),
    asks=Value(expr="hh2", oracle=_feed_oracle, index=("m",)),
    claims=[Claim("tanh(Wcc*c2 + Wch*tanh(Wy*y1 + Wf*hh1 + U*h1))",
                  r"\tilde{\mathbf h}_2 = \tanh\big(\mathbf W_c^{(c)}\mathbf c_2 + \mathbf W_c^{(h)}\tanh(\mathbf "
                  r"W^{(y)}\hat{\mathbf y}_1 + \mathbf W^{(f)}\tilde{\mathbf h}_1 + \mathbf U\mathbf h_1)\big)",
                  source="answer")],
)
