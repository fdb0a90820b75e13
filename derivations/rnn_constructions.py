"""Sheet 001, sections 2 and 3: an RNN with binary threshold units, and RNN language models.

* 2 (mystery RNN): h_t = f(w1 x_t + w2 h_{t−1} + b2), y_t = w3 h_t + b3 with
  f(z) = 1 for z > 0, else 0, and h_0 = 0.  The behaviour asked for: output 1
  until the first input 0, then 0 for good (1110101 ↦ 1110000).  The sheet's
  weights are simulated on every binary sequence of length 1 to 12.  Its
  transition tables for g(x, h) = f(w1 x + w2 h + b2) and k(h) = w3 h + b3 are
  checked at its weights against the tables the behaviour itself forces (the
  oracle reads them off the specification).
* 3(a): the largest likelihood a bigram model gives the example sentence.
* 3(c): with x_{t−1} removed, h^t tracks the index t (a shift register of
  threshold units, biases −1), and a softmax output maps the index to the word.
  A softmax with finite weights never gives probability 1: the likelihood is
  (1 + (|V|−1)e^{−M})^{−8} for output weights M, 1 only in the limit M → ∞.
* 3(e)–(f): the trigram construction, simulated on every word sequence of
  length 2 to 5 over a vocabulary of |V| = 3, and compared with the sheet's
  representation concat(φ(x_{t−1}), vec(φ(x_{t−1})φ(x_{t−2})ᵀ)), vec taking
  rows.
"""
import itertools
from fractions import Fraction

import numpy as np

from ._layers import constant
from symcheck import Behaviour, Claim, Entry, Index, Notation, Optimum, Size, Value, define, domains, matrix, scalar, \
    vector

SHEET = "001_40bb9e3d6bfa7e9d"


def _step(z):
    """The binary threshold function: 1 for z > 0, else 0 (exact for Fractions)."""
    return 1 if z > 0 else 0


def _binary_sequences(longest):
    for length in range(1, longest + 1):
        yield from itertools.product((0, 1), repeat=length)


# -- 2: the mystery RNN -------------------------------------------------------------------

MYSTERY_QUESTION = (r"An RNN with binary inputs and outputs, $h_t = f(w_1 x_t + w_2 h_{t-1} + b_2)$, "
                    r"$y_t = w_3 h_t + b_3$, $f$ the binary threshold function and $h_0 = 0$, outputs 1 until it "
                    r"gets an input 0, then 0 for all later steps (1110101 gives 1110000). Give weights and biases "
                    r"it could be using.")
MYSTERY_PARAMETERS = ("w1", "w2", "b2", "w3", "b3")


def _mystery_simulate(params, inputs):
    h, out = 0, []
    for x in inputs:
        h = _step(params["w1"] * x + params["w2"] * h + params["b2"])
        out.append(params["w3"] * h + params["b3"])
    return out


def _mystery_spec(inputs):
    """1 until the first input 0, then 0 from that step on."""
    out, seen_zero = [], False
    for x in inputs:
        seen_zero = seen_zero or x == 0
        out.append(0 if seen_zero else 1)
    return out


mystery_rnn = Entry(
    id="mystery-rnn-weights",
    title="Mystery RNN: weights that switch to 0 after the first 0",
    sheet=SHEET,
    problem="2",
    question=MYSTERY_QUESTION,
    reading="Every binary input sequence of length 1 to 12 is simulated (exact rational arithmetic on a mismatch).",
    notation=Notation(variables=[scalar(p, p.replace("w", "w_").replace("b", "b_")) for p in MYSTERY_PARAMETERS]),
    asks=Behaviour(parameters=MYSTERY_PARAMETERS, simulate=_mystery_simulate, spec=_mystery_spec,
                   inputs=lambda: _binary_sequences(12), inputs_described="every binary sequence of length 1 to 12"),
    claims=[Claim("w1 = -1, w2 = 1, b2 = 0.5, w3 = -1, b3 = 1",
                  r"w_1 = -1, w_2 = 1, b_2 = 0.5, w_3 = -1, b_3 = 1", expect="confirmed",
                  note="OCR: the minus signs of w_1 and w_3 are restored from 'w_1 = -1' and 'w_3 = -1' as printed.")],
    answer="h_t becomes 1 at the first 0 and stays 1 (w2 h_{t−1} = 1 outweighs −x_t); y_t = 1 − h_t.",
)

SHEET_WEIGHTS = {"w1": -1, "w2": 1, "b2": Fraction(1, 2), "w3": -1, "b3": 1}
WEIGHT_VARIABLES = [scalar(name, name.replace("w", "w_").replace("b", "b_"), constant(str(value)),
                            doc="the sheet's value") for name, value in SHEET_WEIGHTS.items()]


def _state_after(prefix):
    """The hidden state the behaviour forces after a prefix: 1 once an input was 0 (y = 0), else 0 (y = 1)."""
    return 1 - _mystery_spec(prefix)[-1] if prefix else 0


def _forced_transitions():
    """g(x, h) read off the specification: reach state h, feed x, read the new state."""
    reach = {0: (), 1: (0,)}  # the empty prefix leaves h_0 = 0; one 0 sets h = 1
    return np.array([float(_state_after(reach[h] + (x,))) for x, h in ((1, 0), (0, 0), (1, 1), (0, 1))])


def _forced_readout():
    """k(h) read off the specification: the output while the state is 0 (input 1 first) and once it is 1."""
    return np.array([float(_mystery_spec((1,))[-1]), float(_mystery_spec((0,))[-1])])


mystery_g = Entry(
    id="mystery-rnn-transition-table",
    title="Mystery RNN: the state transition table g(x, h)",
    sheet=SHEET,
    problem="2",
    question=MYSTERY_QUESTION + r" With $h_t = g(x_t, h_{t-1})$, which values must $g$ take?",
    reading="The quantity is (g(1,0), g(0,0), g(1,1), g(0,1)), g(x, h) = f(w1 x + w2 h + b2) at the sheet's "
            "weights. The oracle reads the table off the specified behaviour instead: the state is 0 while the "
            "output is 1 and 1 once it is 0 (h_0 = 0 and the output starts at 1).",
    notation=Notation(variables=WEIGHT_VARIABLES),
    asks=Value(expr="(heaviside(w1*1 + w2*0 + b2), heaviside(w1*0 + w2*0 + b2), heaviside(w1*1 + w2*1 + b2), "
                    "heaviside(w1*0 + w2*1 + b2))",
               oracle=lambda: _forced_transitions()),
    claims=[Claim("(0, 1, 1, 1)", r"g(1, 0) = 0,\ g(0, 0) = 1,\ g(1, 1) = 1,\ g(0, 1) = 1",
                  note="The sheet prints each value first: 0 = g(1, 0), 1 = g(0, 0), 1 = g(1, 1), 1 = g(0, 1).")],
)
mystery_g.asks.points_per_instance = 1

mystery_k = Entry(
    id="mystery-rnn-readout-table",
    title="Mystery RNN: the readout table k(h)",
    sheet=SHEET,
    problem="2",
    question=MYSTERY_QUESTION + r" With $y_t = k(h_t)$, which values must $k$ take?",
    reading="The quantity is (k(0), k(1)), k(h) = w3 h + b3 at the sheet's weights; the oracle reads the outputs "
            "the behaviour specifies in state 0 (after an input 1) and in state 1 (after an input 0).",
    notation=Notation(variables=WEIGHT_VARIABLES),
    asks=Value(expr="(w3*0 + b3, w3*1 + b3)", oracle=lambda: _forced_readout()),
    claims=[Claim("(1, 0)", r"k(0) = 1,\ k(1) = 0",
                  note="The sheet prints each value first: 1 = k(0), 0 = k(1).")],
)
mystery_k.asks.points_per_instance = 1


# -- 3(a): a bigram model and the example sentence ----------------------------------------------

SENTENCE = ["<start>", "This", "is", "a", "very", "very", "unimaginative", "example", "sentence"]
SENTENCE_QUESTION = (r"Is it possible for a bigram model to assign a likelihood of 1 to the sentence "
                     r"'<start> This is a very very unimaginative example sentence' ($t = 0, \dots, 8$)?")


def _bigram_likelihood(q):
    """The sentence's likelihood under the bigram model: 'very' is followed by 'very' with probability q and by
    'unimaginative' with 1 − q; every other word by its successor in the sentence with probability 1."""
    table = {prev: {nxt: 1.0} for prev, nxt in zip(SENTENCE, SENTENCE[1:]) if prev != "very"}
    table["very"] = {"very": q, "unimaginative": 1.0 - q}
    likelihood = 1.0
    for prev, nxt in zip(SENTENCE, SENTENCE[1:]):
        likelihood *= table[prev].get(nxt, 0.0)
    return likelihood


bigram_max = Entry(
    id="bigram-sentence-max-likelihood",
    title="Bigram model: the largest likelihood of the example sentence",
    sheet=SHEET,
    problem="3(a)",
    question=SENTENCE_QUESTION,
    reading="Every context but 'very' has one successor in the sentence, so a bigram model can give it "
            "probability 1. 'very' is followed once by 'very' (q) and once by 'unimaginative'; putting mass on any "
            "third word only lowers the likelihood, so p(unimaginative | very) = 1 − q. The quantity is the "
            "largest likelihood, the product of the 8 transition probabilities maximised over q.",
    notation=Notation(variables=[scalar("q", "p(\\text{very} | \\text{very})", domains.interval(0.0, 1.0))]),
    asks=Optimum(objective="1*1*1*1*q*(1 - q)*1*1", over="q", sense="max", value=True,
                 oracle=lambda q: _bigram_likelihood(float(q))),
    claims=[Claim("1/4", r"\max p(x_1, \dots, x_8) = \tfrac14", source="answer",
                  note="The sheet answers 'No'; the largest likelihood is 1/4 < 1, at q = 1/2.")],
    answer="No: p(very | very) + p(unimaginative | very) ≤ 1 caps their product at 1/4, so no bigram model gives "
           "the sentence likelihood 1.",
)

WORD_IDS = [SENTENCE.index(w) + 1 for w in SENTENCE]  # 'very' twice gets the same id


def _repeat_position(shift):
    """The label t of the first word that equals the next one (x_t = x_{t+1}), labels starting at shift."""
    return float(next(t for t in range(len(SENTENCE) - 1) if SENTENCE[t] == SENTENCE[t + 1]) + shift)


def _repeat_entry(shifted):
    labels = ("t = 0 is 'This' (<start> unlabelled; the printed labels shifted by one)" if shifted else
              "t = 0 is <start>, as the labels under the sentence are printed")
    tokens = constant(WORD_IDS[1:] if shifted else WORD_IDS)
    n = len(SENTENCE) - (1 if shifted else 0)
    return Entry(
        id="bigram-repeated-word-shifted" if shifted else "bigram-repeated-word-printed",
        title=f"Bigram model: where the sentence repeats a word ({'shifted' if shifted else 'printed'} labels)",
        sheet=SHEET,
        problem="3(a)",
        question=SENTENCE_QUESTION + r" The sheet: 'No because $p(x_4|x_3)$ and $p(x_5|x_4)$ cannot both be 1 "
                                     r"since $x_4 = x_3$'.",
        reading=f"Labels: {labels}. The quantity is the t with x_t = x_(t+1) (the repeated 'very'); the conflicting "
                "probabilities are then p(x_(t+1) | x_t) and p(x_(t+2) | x_(t+1)).",
        notation=Notation(variables=[vector("x", n, "x", tokens, origin=0, doc="word ids of the sentence")],
                          indices=[Index("t", 0, n - 2)]),
        asks=Value(expr=f"Sum(t*delta(x[t], x[t + 1]), (t, 0, {n - 2}))",
                   oracle=lambda x: _repeat_position(-1 if shifted else 0)),
        claims=([Claim("3", r"t = 3", label="sheet",
                       note="The sheet writes 'x_4 = x_3': the repeat x_t = x_(t+1) at t = 3. With the labels shifted "
                            "the sheet's indices hold: x_3 = x_4 = 'very'.")] if shifted else
                [Claim("3", r"t = 3", label="sheet", expect="refuted",
                       note="The sheet writes 'x_4 = x_3': the repeat x_t = x_(t+1) at t = 3. With <start> at t = 0, "
                            "x_3 = 'a' and x_4 = x_5 = 'very': the sheet's indices are one too small. The argument "
                            "is unchanged."),
                 Claim("4", r"t = 4",
                       label="corrected", source="correction", corrects="sheet",
                       note="x_5 = x_4: p(x_5|x_4) and p(x_6|x_5) cannot both be 1.")]),
    )


repeat_printed = _repeat_entry(False)
repeat_shifted = _repeat_entry(True)
for _e in (repeat_printed, repeat_shifted):
    _e.asks.points_per_instance = 1


# -- 3(c): h^t tracks the index t ---------------------------------------------------------------

UNITS = 9  # h^0, ..., h^8: one unit per index


def _tracker_simulate(params, length):
    """h^t = f(a · shift(h^{t−1}) + b) with h^0 = e_1: the index of the single active unit at t = 1..length
    (0 when the state is not one-hot)."""
    a, b = params["a"], params["b"]
    h = [1] + [0] * (UNITS - 1)
    out = []
    for _ in range(length):
        h = [_step((a * h[j - 1] if j > 0 else 0) + b) for j in range(UNITS)]
        out.append(h.index(1) + 1 if sum(h) == 1 else 0)
    return out


index_tracker = Entry(
    id="rnn-lm-index-tracker",
    title="RNN language model without x_{t−1}: h^t tracks the index t",
    sheet=SHEET,
    problem="3(c)",
    question=r"Suppose we eliminate $x_{t-1}$ as input. Is it still possible to set the remaining parameters so that "
             r"the network assigns likelihood 1 to the example sentence? (Threshold units, biases $-1$, "
             r"$h^0 = e_1$.)",
    reading="The sheet: 'set h^t to keep track of the index t'. Construction checked: m = 9 units, recurrent weights "
            "a on the sub-diagonal (unit j feeds unit j + 1), biases b; h^t should be e_{t+1} for t = 1..8.",
    notation=Notation(variables=[scalar("a", "W_{j+1, j}", doc="the recurrent weight from unit j to unit j + 1"),
                                 scalar("b", "b", doc="the biases")]),
    asks=Behaviour(parameters=("a", "b"), fixed={"b": -1}, simulate=_tracker_simulate,
                   spec=lambda T: list(range(2, T + 2)), inputs=lambda: range(1, UNITS),
                   inputs_described="every sentence length 1 to 8"),
    claims=[Claim("a = 2, b = -1", r"W_{j+1, j} = 2,\ b = -1", source="answer",
                  expect="confirmed",
                  note="Our weights for the sheet's construction, which makes h^t = e_{t+1}: z_{j+1} = 2 h_j − 1 > 0 "
                       "exactly when h_j = 1; the biases are the question's −1.")],
)

VOCAB = ["This", "is", "a", "very", "unimaginative", "example", "sentence"]
TARGETS = [VOCAB.index(w) + 1 for w in SENTENCE[1:]]  # x_1..x_8 as 1-based word ids
SHIFT = [[2 if i == j + 1 else 0 for j in range(UNITS)] for i in range(UNITS)]
READOUT = [[1 if (j >= 1 and TARGETS[j - 1] == k + 1) else 0 for j in range(UNITS)] for k in range(len(VOCAB))]


def _tracker_definitions():
    out = []
    for t in range(1, 9):
        out.append(define(f"h{t}", f"heaviside(A*h{t - 1} - 1)", f"h^{{{t}}}", shape=(UNITS,)))
        out.append(define(f"p{t}", f"softmax(M*R*h{t})", f"p^{{{t}}}", shape=(len(VOCAB),)))
    return out


def _tracker_likelihood(M):
    h = np.zeros(UNITS)
    h[0] = 1.0
    shift, readout = np.array(SHIFT, float), np.array(READOUT, float)
    likelihood = 1.0
    for t in range(1, 9):
        h = (shift @ h - 1.0 > 0).astype(float)
        logits = M * (readout @ h)
        p = np.exp(logits - logits.max())
        p = p / p.sum()
        likelihood *= p[TARGETS[t - 1] - 1]
    return likelihood


tracker_likelihood = Entry(
    id="rnn-lm-index-tracker-likelihood",
    title="RNN language model without x_{t−1}: the likelihood of the sentence",
    sheet=SHEET,
    problem="3(c)",
    question=index_tracker.question,
    reading="The index tracker of rnn-lm-index-tracker (shift weights 2, biases −1) with a linear output layer "
            "M·R h^t followed by a softmax over the |V| = 7 words of the sentence; R maps unit t + 1 (active at "
            "step t) to the word x_t. The sheet's 'likelihood 1' read with finite weights M: the quantity is "
            "Π_t softmax(M R h^t)[x_t].",
    notation=Notation(
        variables=[scalar("M", "M", domains.Positive(0.2, 5.0), doc="the output weights' scale"),
                   matrix("A", UNITS, UNITS, "A", constant(SHIFT), doc="recurrent weights: 2 on the sub-diagonal"),
                   matrix("R", len(VOCAB), UNITS, "R", constant(READOUT), doc="readout: unit t + 1 to word x_t"),
                   vector("h0", UNITS, "h^0", constant([1] + [0] * (UNITS - 1)), doc="h^0 = e_1")],
        definitions=_tracker_definitions() + [define("V", str(len(VOCAB)), "|V|")]),
    asks=Value(expr="*".join(f"p{t}[{TARGETS[t - 1]}]" for t in range(1, 9)), oracle=_tracker_likelihood),
    claims=[
        Claim("1", r"\text{likelihood } 1", label="sheet", expect="refuted",
              note="A softmax gives every word positive probability: with finite weights the likelihood is below "
                   "1. The sheet's 'Yes' holds in the limit M → ∞ (the likelihood tends to 1), not for any "
                   "parameter setting."),
        Claim("(1 + 6*exp(-M))**(-8)", r"\left(1 + (|V| - 1) e^{-M}\right)^{-8}", label="corrected",
              source="correction", corrects="sheet",
              note="→ 1 as M → ∞; the argmax prediction is right at every step for every M > 0."),
    ],
)


# -- 3(e)–(f): the trigram construction -----------------------------------------------------------

VOCAB_SIZE = 3
HIDDEN = VOCAB_SIZE + VOCAB_SIZE**2
TRIGRAM_PARAMETERS = ("a1", "a2", "c2", "a3", "c3", "r", "b")
TRIGRAM_QUESTION = (r"Give a parameterisation of the network (inputs $\phi(x_{t-1})$ and $h^{t-1}$, threshold units, "
                    r"biases $-1$) whose hidden state is "
                    r"$h^t = \mathrm{concat}(\phi(x_{t-1}), \mathrm{vec}(\phi(x_{t-1})\phi(x_{t-2})^T))$, vec taking "
                    r"the rows of a matrix, so that it replicates a trigram model.")
TRIGRAM_READING = ("|V| = 3, h^t has 3 + 9 units, h^0 = e_1. W1 = a1·I (φ(x_{t−1}) to the first block); "
                   "W2 = a2·S + c2·B (φ(x_{t−1}) to the pair block), W3 = a3·B + c3·S (the first block of h^{t−1} "
                   "to the pair block), where S stacks |V| identities and B stacks |V| blocks, block i all ones in "
                   "column i (the sheet's W2 = S, W3 = B); an extra recurrent weight r·I from h^{t−1} to h^t; biases "
                   "b. Every word sequence of length 2 to 5 is simulated and h^t compared for t ≥ 2 (both previous "
                   "words exist).")


def _one_hot(k):
    return [1 if i == k else 0 for i in range(VOCAB_SIZE)]


def _trigram_simulate(params, words):
    a1, a2, c2, a3, c3, r, b = (params[p] for p in TRIGRAM_PARAMETERS)
    h = [1] + [0] * (HIDDEN - 1)
    states = []
    for x in words:
        phi, prev = _one_hot(x), h[:VOCAB_SIZE]
        z = [a1 * phi[i] for i in range(VOCAB_SIZE)]
        for block in range(VOCAB_SIZE):
            for row in range(VOCAB_SIZE):
                from_input = a2 * phi[row] + c2 * phi[block]  # S picks φ[row], B's block `block` picks φ[block]
                from_state = a3 * prev[block] + c3 * prev[row]
                z.append(from_input + from_state)
        h = [_step(z[k] + r * h[k] + b) for k in range(HIDDEN)]
        states.append(h)
    return [v for state in states[1:] for v in state]


def _vec_rows(u, v):
    """vec(u vᵀ) with the rows concatenated: entry (i, j) at position i·|V| + j."""
    return [u[i] * v[j] for i in range(VOCAB_SIZE) for j in range(VOCAB_SIZE)]


def _trigram_spec(transposed):
    def spec(words):
        out = []
        for t in range(1, len(words)):  # h^{t+1} sees x_t (latest) and x_{t−1}
            latest, earlier = _one_hot(words[t]), _one_hot(words[t - 1])
            pair = _vec_rows(earlier, latest) if transposed else _vec_rows(latest, earlier)
            out.extend(latest + pair)
        return out

    return spec


def _all_word_sequences():
    for length in range(2, 6):
        yield from itertools.product(range(VOCAB_SIZE), repeat=length)


SHEET_W = "a1 = 2, a2 = 1, c2 = 0, a3 = 1, c3 = 0, r = 0, b = -1"
SHEET_W_PRINTED = (r"W_1 = 2I, W_2 = [I; \dots; I], W_3 = [B_1; \dots; B_{|V|}] (B_i ones in column i), biases "
                   r"-1")
SHEET_W_TEX = r"a_1 = 2,\ a_2 = 1,\ c_2 = 0,\ a_3 = 1,\ c_3 = 0,\ r = 0,\ b = -1"
SHEET_W_NOTE = ("The sheet prints '" + SHEET_W_PRINTED + "'; in the reading's parameters W_1 = a_1 I, "
                "W_2 = a_2 S + c_2 B, W_3 = a_3 B + c_3 S (S = [I; …; I], B = [B_1; …; B_{|V|}]), no extra "
                "recurrent weight (r = 0), biases b.")
TRIGRAM_LATEX = {"a1": "a_1", "a2": "a_2", "c2": "c_2", "a3": "a_3", "c3": "c_3", "r": "r", "b": "b"}


def _trigram_entry(id, title, problem, reading, transposed, claims, answer=""):
    return Entry(
        id=id, title=title, sheet=SHEET, problem=problem, question=TRIGRAM_QUESTION,
        reading=TRIGRAM_READING + " " + reading,
        notation=Notation(variables=[scalar(p, TRIGRAM_LATEX[p]) for p in TRIGRAM_PARAMETERS]),
        asks=Behaviour(parameters=TRIGRAM_PARAMETERS, simulate=_trigram_simulate, spec=_trigram_spec(transposed),
                       inputs=_all_word_sequences, inputs_described="every word sequence of length 2 to 5 (|V| = 3)"),
        claims=claims, answer=answer)


trigram_sheet = _trigram_entry(
    "trigram-rnn-sheet-representation", "Trigram RNN: the sheet's weights and the sheet's representation", "3(f)",
    "The 2I sentence read as a description of h^t becoming h^{t−1} (r = 0). The behaviour asked for is the "
    "representation of 3(e): concat(φ(x_{t−1}), vec(φ(x_{t−1})φ(x_{t−2})ᵀ)), rows concatenated.",
    False,
    [Claim(SHEET_W, SHEET_W_TEX, label="sheet", expect="refuted",
           note=SHEET_W_NOTE + " Pair unit (i, r) of the sheet's W2, W3 fires when x_{t−2} = i and x_{t−1} = r: "
                "the block is vec(φ(x_{t−2})φ(x_{t−1})ᵀ), the transpose of the sheet's (see "
                "trigram-rnn-representation)."),
     Claim("a1 = 2, a2 = 0, c2 = 1, a3 = 0, c3 = 1, r = 0, b = -1",
           r"a_1 = 2,\ a_2 = 0,\ c_2 = 1,\ a_3 = 0,\ c_3 = 1,\ r = 0,\ b = -1", label="corrected",
           source="correction", corrects="sheet", expect="confirmed",
           note="W_2 = [B_1; …; B_{|V|}], W_3 = [I; …; I]: swapping the roles of W2 and W3 gives the sheet's "
                "representation.")],
    "The sheet's weights build the pair block with x_{t−2} as the row index; to get its vec(φ(x_{t−1})φ(x_{t−2})ᵀ) "
    "swap W2 and W3. Either block identifies the word pair, so either replicates a trigram model.",
)

trigram_corrected = _trigram_entry(
    "trigram-rnn-representation", "Trigram RNN: the representation the sheet's weights compute", "3(f)",
    "The 2I sentence read as a description (r = 0). The behaviour asked for is the corrected representation "
    "concat(φ(x_{t−1}), vec(φ(x_{t−2})φ(x_{t−1})ᵀ)), rows concatenated (= vec of φ(x_{t−1})φ(x_{t−2})ᵀ with its "
    "columns concatenated).",
    True,
    [Claim(SHEET_W, SHEET_W_TEX, label="sheet", expect="confirmed",
           note=SHEET_W_NOTE + " The sheet's weights, against the corrected statement of the representation.")],
)

trigram_extra = _trigram_entry(
    "trigram-rnn-extra-recurrent-weight", "Trigram RNN: 2I as an extra recurrent weight", "3(f)",
    "'The h^t nodes are connected to the h^{t−1} nodes via a weight matrix equal to 2I' read as an extra weight "
    "r·I = 2I from every unit of h^{t−1} to the same unit of h^t, added to W1, W2, W3. The behaviour asked for is "
    "the corrected representation (as in trigram-rnn-representation).",
    True,
    [Claim("a1 = 2, a2 = 1, c2 = 0, a3 = 1, c3 = 0, r = 2, b = -1",
           r"a_1 = 2,\ a_2 = 1,\ c_2 = 0,\ a_3 = 1,\ c_3 = 0,\ r = 2,\ b = -1",
           label="sheet", expect="refuted",
           note="The sheet's weights with its '2I: h^{t−1} → h^t' read as the extra recurrent weight r I = 2I; "
                "the rest as in trigram-rnn-sheet-representation (" + SHEET_W_PRINTED + "). With 2I a unit that "
                "fired keeps firing (2·1 − 1 > 0): the state accumulates every word and pair seen."),
     Claim(SHEET_W, SHEET_W_TEX, label="corrected",
           source="correction", corrects="sheet", expect="confirmed",
           note="No weight from h^{t−1} to itself beyond W_3 (r = 0): the sentence describes h^t being fed back "
                "as h^{t−1} at the next step, not a weight.")],
)
