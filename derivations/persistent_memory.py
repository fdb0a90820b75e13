"""Sheet 004, problem 10: the feed-forward sublayer as an attention layer (Sukhbaatar et al., 2019, §4).

The derivation, step by step, each with its own evidence:

1. FF(x) = U ReLU(Vx + b) + c is, column by column of U and row by row of V,
   a sum over D_f key-value pairs: Σ_i ReLU(k_iᵀx + b_i) u_i + c, with k_i the
   i-th row of V and u_i the i-th column of U.  An exact identity (proved at
   small sizes, sampled at random sizes).
2. The ReLU weights are not an attention distribution: without biases they
   are positively homogeneous, w(λx) = λ w(x), so their total cannot be 1 for
   every input.  This is a fact about the ReLU form (an equality and a bound,
   both confirmed numerically; the cascade does not take λ out of max(0, ·)),
   not a step of the derivation.
3. Replacing ReLU(k_iᵀx) by softmax_i(k_iᵀx) (biases dropped) is a *choice*,
   the definition of the new layer, not a fact.  What is checked is what it
   gives: Σ_i softmax_i(k_iᵀx) u_i = U softmax(Vx), an attention layer with
   query x over D_f persistent key/value vectors, whose weights sum to 1.
4. The all-attention layer: the context's keys and values concatenated with
   the persistent ones, one softmax over both.  Checked against a reference
   built by literal concatenation ([K; M_k], [V_c, M_v]); the single softmax
   is a mixture of the two separately normalised attentions, weighted by their
   shares of the normaliser.

The oracles are plain NumPy (np.maximum, np.concatenate, a stable softmax),
written independently of the text models.  The paper's 1/√d scaling of the
scores and its relative position embeddings are left out: the scaling is a
rescaling of the query, and the embeddings add to the values, neither changes
an identity below.
"""
import numpy as np

from symcheck import Claim, Entry, Index, Notation, Size, Value, chain, define, domains, matrix, scalar, vector

SHEET = "004_1638b43a4d4b0ea1"
PROBLEM = "10"

# d: the model's width; D_f: the feed-forward sublayer's hidden width (the number of key-value pairs).
D = Size("d", small=(2,), random=(2, 5))
DF = Size("Df", small=(2, 3), random=(2, 8), latex="D_f")
FF_INDICES = [Index("i", 1, "Df"), Index("l", 1, "Df"), Index("j", 1, "d"), Index("m", 1, "d")]

U = matrix("U", "d", "Df", r"\mathbf{U}", doc="second layer; its columns are the values u_i")
V = matrix("V", "Df", "d", r"\mathbf{V}", doc="first layer; its rows are the keys k_i")
B = vector("b", "Df", r"\mathbf{b}")
C = vector("c", "d", r"\mathbf{c}")
X = vector("x", "d", r"\mathbf{x}", doc="the input at one position (the query)")

# k_iᵀx, the i-th row of V times x, spelled as the answer prints it; a second name for the index l of a
# normaliser (the LaTeX front end reads a family's LaTeX with its index letter as written).
KEY = define("kx", "Sum(V[i, j]*x[j], j)", r"\mathbf{k}_i^\top\mathbf{x}", params=("i",))
KEY_L = define("kxl", "Sum(V[l, j]*x[j], j)", r"\mathbf{k}_l^\top\mathbf{x}", params=("l",))
VALUE = define("u", "U[m, i]", r"u", params=("i", "m"))  # u[i, m]: component m of u_i, the i-th column of U
WEIGHT = define("a", "exp(kx[i])/Sum(exp(kxl[l]), l)", r"a", params=("i",), domain=domains.positive)

KV_READING = (r"Keys and values are named, not new: $\mathbf k_i = \mathbf V_{i,:}^\top$ (the $i$-th row of "
              r"$\mathbf V$) and $\mathbf u_i = \mathbf U_{:,i}$ (the $i$-th column of $\mathbf U$), $i = 1, "
              r"\dots, D_f$. Vector claims are checked component by component: $u_{i,m} = U_{mi}$ is component "
              r"$m = 1, \dots, d$ of $\mathbf u_i$.")


def _relu_ff(U, V, b, c, x):
    return U @ np.maximum(0.0, V @ x + b) + c


def _softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


ff_key_value_sum = Entry(
    id="ff-key-value-sum",
    title="Persistent memory: the feed-forward sublayer as a sum over key-value pairs",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"Write the feed-forward sublayer $\operatorname{FF}(\mathbf x) = \mathbf U\,\operatorname{ReLU}"
             r"(\mathbf V\mathbf x + \mathbf b) + \mathbf c$ ($\mathbf V \in \mathbb R^{D_f\times d}$, $\mathbf U "
             r"\in \mathbb R^{d\times D_f}$) as a sum over $D_f$ key-value pairs.",
    reading=KV_READING,
    notation=Notation(variables=[U, V, B, C, X], definitions=[KEY, VALUE], sizes=[D, DF],
                      indices=FF_INDICES),
    asks=Value(expr="U*relu(V*x + b) + c", oracle=_relu_ff, index=("m",)),
    claims=chain(
        Claim("Sum(U[m, i]*relu(Sum(V[i, j]*x[j], j) + b[i]), i) + c[m]",
              r"\operatorname{FF}(\mathbf x)_m = \sum_{i=1}^{D_f} U_{mi}\,\operatorname{ReLU}\Big(\sum_{j=1}^{d} "
              r"V_{ij}x_j + b_i\Big) + c_m", source="answer",
              note="The matrix products written out: ReLU acts entrywise on the D_f pre-activations."),
        Claim("Sum(relu(kx[i] + b[i])*u[i, m], i) + c[m]",
              r"\sum_{i=1}^{D_f} \operatorname{ReLU}(\mathbf k_i^\top\mathbf x + b_i)\,u_{i,m} + c_m",
              source="answer", note=r"Component $m$ of $\sum_i \operatorname{ReLU}(\mathbf k_i^\top\mathbf x + "
                                    r"b_i)\,\mathbf u_i + \mathbf c$."),
    ),
    answer=r"Entry $m$ of $\mathbf U\mathbf h$ is $\sum_i U_{mi}h_i$, and $h_i = \operatorname{ReLU}(\mathbf "
           r"k_i^\top\mathbf x + b_i)$ depends on $\mathbf V$ only through its $i$-th row. So each hidden unit $i$ "
           r"is a key-value pair: the key $\mathbf k_i$ is compared with the input by a dot product, and the value "
           r"$\mathbf u_i$ is added to the output with weight $\operatorname{ReLU}(\mathbf k_i^\top\mathbf x + b_i)$. "
           r"This is an exact rewriting, not an approximation.",
)


relu_weights_unnormalised = Entry(
    id="ff-relu-weights-unnormalised",
    title="Persistent memory: the ReLU weights are not an attention distribution",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"In $\sum_i \operatorname{ReLU}(\mathbf k_i^\top\mathbf x)\,\mathbf u_i$ (biases dropped, as in the "
             r"step to attention), are the weights $w_i(\mathbf x) = \operatorname{ReLU}(\mathbf k_i^\top\mathbf x)$ "
             r"a distribution over $i$, as attention weights are?",
    reading=r"The quantity is the total weight $\sum_i w_i(\lambda\mathbf x)$ at the scaled input $\lambda\mathbf x$, "
            r"$\lambda > 0$. The answer is a negative one; it is stated by two checked facts, not by a false "
            r"equality: an equality (homogeneity) and an inequality (nonnegativity), each marked as what it is.",
    notation=Notation(variables=[V, X, scalar("lam", r"\lambda", domains.positive, doc="a positive scale")],
                      definitions=[KEY], sizes=[D, DF], indices=FF_INDICES),
    asks=Value(expr="Sum(relu(Sum(V[i, j]*lam*x[j], j)), i)",
               oracle=lambda V, x, lam: np.maximum(0.0, V @ (lam * x)).sum()),
    claims=[
        Claim("lam*Sum(relu(kx[i]), i)",
              r"\sum_{i=1}^{D_f} w_i(\lambda\mathbf x) = \lambda \sum_{i=1}^{D_f} \operatorname{ReLU}(\mathbf "
              r"k_i^\top\mathbf x)", source="answer",
              label="homogeneous", expect="confirmed",
              note=r"$\operatorname{ReLU}(\lambda z) = \lambda\operatorname{ReLU}(z)$ for $\lambda > 0$: the total "
                   r"weight scales with the input, so it is not 1 for every $\mathbf x$. No symbolic proof: the "
                   r"cascade does not take $\lambda$ out of $\max(0, \cdot)$."),
        Claim("0", r"\sum_{i=1}^{D_f} w_i(\lambda\mathbf x) \ge 0", source="answer", relation=">=",
              label="nonnegative", expect="confirmed",
              note="A bound, not an equality: the weights are nonnegative, like attention weights, but nothing "
                   "normalises them."),
    ],
    answer=r"No. The weights are nonnegative, but not normalised: if $\sum_i w_i(\mathbf x) = 1$ at some $\mathbf x$, "
           r"then $\sum_i w_i(2\mathbf x) = 2$. (With biases, $\sum_i w_i(\mathbf 0) = \sum_i "
           r"\operatorname{ReLU}(b_i)$ is arbitrary too.) The ReLU form is therefore attention-like, a weighted sum "
           r"of values selected by key-input similarity, but not an attention layer; the softmax of the next "
           r"entry is what normalises it.",
)


persistent_attention = Entry(
    id="persistent-vector-attention",
    title="Persistent memory: ReLU replaced by a softmax gives attention over persistent vectors",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"In $\sum_i \operatorname{ReLU}(\mathbf k_i^\top\mathbf x)\,\mathbf u_i$, replace each weight "
             r"$\operatorname{ReLU}(\mathbf k_i^\top\mathbf x)$ by "
             r"$\operatorname{softmax}_i(\mathbf k_i^\top\mathbf x) = "
             r"\exp(\mathbf k_i^\top\mathbf x)/\sum_{l}\exp(\mathbf k_l^\top\mathbf x)$. Show that the result is an "
             r"attention layer with query $\mathbf x$ whose keys and values are the persistent vectors "
             r"$\mathbf k_i$, $\mathbf u_i$.",
    reading=r"The replacement itself is a definition (the new layer), not a fact, and is not checked. The quantity "
            r"is the attention layer in matrix form, $\mathbf U\operatorname{softmax}(\mathbf V\mathbf x)$: "
            r"query $\mathbf x$, key matrix $\mathbf V$ (rows $\mathbf k_i$), value matrix $\mathbf U$ (columns "
            r"$\mathbf u_i$). " + KV_READING,
    notation=Notation(variables=[U, V, X],
                      definitions=[KEY, VALUE,
                                   KEY_L, WEIGHT],
                      sizes=[D, DF], indices=FF_INDICES),
    asks=Value(expr="U*softmax(V*x)", oracle=lambda U, V, x: U @ _softmax(V @ x), index=("m",)),
    claims=chain(
        Claim("Sum(a[i]*u[i, m], i)",
              r"(\mathbf U\operatorname{softmax}(\mathbf V\mathbf x))_m = \sum_{i=1}^{D_f} a_i\,u_{i,m}",
              source="answer",
              note=r"With $a_i = \operatorname{softmax}_i(\mathbf k_i^\top\mathbf x)$: component $m$ of "
                   r"$\sum_i a_i\mathbf u_i$."),
        Claim("Sum(exp(kx[i])*u[i, m], i)/Sum(exp(kxl[l]), l)",
              r"\frac{\sum_{i=1}^{D_f} \exp(\mathbf k_i^\top\mathbf x)\,u_{i,m}}{\sum_{l=1}^{D_f}"
              r"\exp(\mathbf k_l^\top\mathbf x)}", source="answer"),
    ),
    answer=r"With $\mathbf M_k = \mathbf V$ (persistent keys as rows) and $\mathbf M_v = \mathbf U$ (persistent "
           r"values as columns), the layer is $\mathbf M_v\operatorname{softmax}(\mathbf M_k\mathbf x)$, i.e. "
           r"unscaled dot-product attention of the query $\mathbf x$ over $D_f$ learned key-value pairs that do "
           r"not depend on the input. Its weights sum to 1 (next entry), which the ReLU weights do not.",
)


persistent_weights_sum = Entry(
    id="persistent-attention-weights-sum",
    title="Persistent memory: the softmax weights over the persistent keys sum to 1",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"Show $\sum_{i=1}^{D_f}\operatorname{softmax}_i(\mathbf k_i^\top\mathbf x) = 1$ for every input "
             r"$\mathbf x$.",
    reading=r"The quantity is $\mathbf 1^\top\operatorname{softmax}(\mathbf V\mathbf x)$, the total weight; compare "
            r"the ReLU weights, whose total scales with $\mathbf x$ (entry ff-relu-weights-unnormalised).",
    notation=Notation(variables=[V, X],
                      definitions=[KEY, KEY_L, WEIGHT],
                      sizes=[D, DF], indices=FF_INDICES),
    asks=Value(expr="ones(Df).T*softmax(V*x)", oracle=lambda V, x: _softmax(V @ x).sum()),
    claims=chain(
        Claim("Sum(a[i], i)", r"\mathbf 1^\top\operatorname{softmax}(\mathbf V\mathbf x) = \sum_{i=1}^{D_f} a_i",
              source="answer",
              note=r"$a_i = \operatorname{softmax}_i(\mathbf k_i^\top\mathbf x) = \exp(\mathbf k_i^\top\mathbf x)/"
                   r"\sum_l \exp(\mathbf k_l^\top\mathbf x)$."),
        Claim("1", "1", source="answer"),
    ),
    answer=r"$\sum_i \exp(\mathbf k_i^\top\mathbf x)/\sum_l\exp(\mathbf k_l^\top\mathbf x) = 1$: the common "
           r"denominator is the sum of the numerators. Each weight is positive, so the output is a convex "
           r"combination of the persistent values $\mathbf u_i$.",
)


# -- the all-attention layer -------------------------------------------------------------------
# T context positions (keys k_s as rows of K, values v_s as columns of Vc) and N persistent vectors
# (keys as rows of Mk, values as columns of Mv); one query q.
AD = Size("d", small=(2,), random=(2, 4))
AT = Size("T", small=(1, 2), random=(1, 5))
AN = Size("N", small=(2,), random=(1, 5))
ALL_INDICES = [Index("s", 1, "T"), Index("i", 1, "N"), Index("j", 1, "d"), Index("m", 1, "d")]


def _all_attention(K, Vc, Mk, Mv, q):
    """Concatenate, then one softmax: the layer as [7] defines it."""
    keys = np.concatenate([K, Mk], axis=0)
    values = np.concatenate([Vc, Mv], axis=1)
    return values @ _softmax(keys @ q)


all_attention = Entry(
    id="all-attention-layer",
    title="Persistent memory: the all-attention layer, one softmax over context and persistent vectors",
    sheet=SHEET,
    problem=PROBLEM,
    question=r"In the all-attention layer the persistent keys $\mathbf M_k$ and values $\mathbf M_v$ are "
             r"concatenated with the context's keys $\mathbf K$ and values $\mathbf V_c$ ($T$ positions), "
             r"and one softmax is taken over both: $\mathbf y = [\mathbf V_c, \mathbf M_v]\operatorname{softmax}"
             r"([\mathbf K; \mathbf M_k]\,\mathbf q)$. Write $\mathbf y$ as sums over the two sets, and relate it to "
             r"the two attentions taken separately.",
    reading=r"The reference concatenates literally: $[\mathbf K; \mathbf M_k]$ stacks the $T$ context keys "
            r"$\mathbf k_s$ (rows of $\mathbf K$) on the $N$ persistent keys $\mathbf m_i$ (rows of $\mathbf "
            r"M_k$), $[\mathbf V_c, \mathbf M_v]$ puts the values (columns) side by side, in the same order. "
            r"$Z_c = \sum_s \exp(\mathbf k_s^\top\mathbf q)$ and $Z_p = \sum_i \exp(\mathbf m_i^\top\mathbf q)$ "
            r"are the two parts of the normaliser; $\mathbf y_{\mathrm{ctx}} = \mathbf V_c\operatorname{softmax}"
            r"(\mathbf K\mathbf q)$ and $\mathbf y_{\mathrm{pers}} = \mathbf M_v\operatorname{softmax}(\mathbf "
            r"M_k\mathbf q)$ the two attentions, each normalised on its own. The paper's $1/\sqrt d$ scaling (a "
            r"rescaled $\mathbf q$) and position embeddings are left out.",
    notation=Notation(
        variables=[matrix("K", "T", "d", r"\mathbf{K}", doc="context keys k_s as rows"),
                   matrix("Vc", "d", "T", r"\mathbf{V}_c", doc="context values v_s as columns"),
                   matrix("Mk", "N", "d", r"\mathbf{M}_k", doc="persistent keys as rows"),
                   matrix("Mv", "d", "N", r"\mathbf{M}_v", doc="persistent values as columns"),
                   vector("q", "d", r"\mathbf{q}", doc="the query")],
        definitions=[
            define("Kall", "matrix_of(K[r, j] if r <= T else Mk[r - T, j], (r, 1, T + N), j)",
                   r"[\mathbf K; \mathbf M_k]", shape=("T + N", "d")),
            define("Vall", "matrix_of(Vc[m, r] if r <= T else Mv[m, r - T], m, (r, 1, T + N))",
                   r"[\mathbf V_c, \mathbf M_v]", shape=("d", "T + N")),
            define("ks", "Sum(K[s, j]*q[j], j)", r"\mathbf{k}_s^\top\mathbf{q}", params=("s",)),
            define("mq", "Sum(Mk[i, j]*q[j], j)", r"\mathbf{m}_i^\top\mathbf{q}", params=("i",)),
            define("Zc", "Sum(exp(ks[s]), s)", "Z_c", domain=domains.positive),
            define("Zp", "Sum(exp(mq[i]), i)", "Z_p", domain=domains.positive),
            define("lam", "Zc/(Zc + Zp)", r"\lambda", domain=domains.positive),
            define("yctx", "Vc*softmax(K*q)", r"\mathbf{y}_{\mathrm{ctx}}", shape=("d",)),
            define("ypers", "Mv*softmax(Mk*q)", r"\mathbf{y}_{\mathrm{pers}}", shape=("d",)),
        ],
        sizes=[AD, AT, AN], indices=ALL_INDICES),
    asks=Value(expr="Vall*softmax(Kall*q)", oracle=_all_attention, index=("m",)),
    claims=chain(
        Claim("(Sum(exp(ks[s])*Vc[m, s], s) + Sum(exp(mq[i])*Mv[m, i], i))/(Zc + Zp)",
              r"y_m = \frac{\sum_{s=1}^{T} \exp(\mathbf k_s^\top\mathbf q)\,(\mathbf V_c)_{ms} + \sum_{i=1}^{N}"
              r"\exp(\mathbf m_i^\top\mathbf q)\,(\mathbf M_v)_{mi}}{Z_c + Z_p}", source="answer",
              note="One softmax over both sets: a single normaliser $Z_c + Z_p$ (component $m$ of $\\mathbf y$)."),
        Claim("lam*yctx + (1 - lam)*ypers",
              r"\lambda\,\mathbf y_{\mathrm{ctx}} + (1 - \lambda)\,\mathbf y_{\mathrm{pers}}",
              source="answer",
              note=r"With $\lambda = Z_c/(Z_c + Z_p)$: a convex mixture of the two separately normalised "
                   r"attentions."),
    ),
    answer=r"A softmax over the concatenation is a softmax over the union: every score is exponentiated and divided "
           r"by the one normaliser $Z_c + Z_p$. Hence the layer is a convex mixture of context attention and "
           r"persistent-memory attention, the share $\lambda$ decided by the scores themselves; it is not the sum "
           r"of two separately normalised attentions. With no context ($T = 0$) it is the persistent-vector "
           r"attention of the previous entries, i.e. the feed-forward sublayer with ReLU replaced by a softmax; "
           r"this is why [7] can drop the feed-forward sublayers.",
)
