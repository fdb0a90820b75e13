"""Sheets 000 and 001: the answers that are explanations, not formulas.

Each item summarises the sheet's answer; where a neighbouring entry checks a
formula or a size the answer relies on, the item names it.
"""
from symcheck import Prose

SHEET_000 = "000_0faae9380a816116"
SHEET_001 = "001_40bb9e3d6bfa7e9d"


def _prose(sheet, id, problem, title, question, answer, why="the answer is an explanation, not a formula"):
    return Prose(id=id, title=title, sheet=sheet, problem=problem, question=question, answer=answer, why=why)


PROSE_000 = [
    _prose(SHEET_000, "vanishing-gradients-explanation", "2.2–2.4", "Deep linear network: why the norm is c^49",
           r"Explain why $\|\partial E/\partial h_1\|$ is 1, $2^{-49}$ and $2^{49}$ for $\Sigma = \mathbb{I}$, "
           r"$\frac12\mathbb{I}$, $2\mathbb{I}$.",
           r"U and V are orthogonal, so they do not change the norm of a vector they multiply; each backward step "
           r"through $W = cUV^\top$ therefore scales the gradient's norm by exactly $c$, and by induction over the "
           r"layers between $h_1$ and $y$ the norm is $c^{49}$. With $c = 1/2$ the gradient vanishes, with $c = 2$ it "
           r"explodes. (The sheet's intermediate $c^{49}\|\partial E/\partial h_{49}\|$ counts one layer too many; "
           r"see vanishing-sigma-half-h1-norm.)",
           why="an explanation; every formula of it is checked in the vanishing-* entries"),
    _prose(SHEET_000, "sentence-cnn-filter-sizes", "3(a)", "Sentence CNN: small against large filters",
           "Describe the effect of small against large filter sizes in the convolution. How would you select the "
           "filter sizes for classification?",
           "The second dimension of the kernel is fixed at 300, the length of a word vector; the first sets how many "
           "consecutive words (how long a phrase) one kernel sees. Larger kernels capture longer phrases (e.g. 5×300 "
           "or 7×300 for literature with long, complex sentences); smaller ones suit short texts such as chats, "
           "comments and reviews. In practice, try several sizes on a validation set and trade accuracy against "
           "training speed.",
           why="a design discussion"),
    _prose(SHEET_000, "sentence-cnn-softmax-kernel", "3(a)", "Sentence CNN: the softmax 'kernel'",
           r"Part 2 (e) lists for the softmax layer 'kernel: $\mathbb{R}^{3 \times 3}$'.",
           r"A softmax has no weights: it maps $X_f \in \mathbb{R}^{3 \times 1}$ to $X_{out} \in "
           r"\mathbb{R}^{3 \times 1}$ entrywise through $e^{X_f[i]}/\sum_j e^{X_f[j]}$. A $3 \times 3$ matrix "
           r"belongs to it only as its Jacobian, $\mathrm{diag}(X_{out}) - X_{out}X_{out}^\top$. The same holds for "
           r"the RNN's 'Softmax kernel $\in R^{4 \times 4}$' in 3(b). The input and output sizes are checked in "
           r"sentence-cnn-head-shapes and sentence-rnn-shapes-columns.",
           why="a remark on terminology; the sizes it concerns are checked elsewhere"),
    _prose(SHEET_000, "sentence-rnn-sentence-vector", "3(b)", "RNN: a sentence vector from a language model",
           "How can a simple RNN trained for language modelling be used to get the sentence vector?",
           "A language-model RNN reads one word and the previous state and outputs a word and a new state. For "
           "classification only the hidden states are needed: run the RNN over the sentence, keep the final state "
           "as the sentence vector, drop the output (V) matrix, and add a fully connected layer with a softmax on "
           "the final state to get class probabilities.",
           why="a description of a method"),
    _prose(SHEET_000, "sentence-rnn-design", "3(b)", "RNN: the design for 4 classes",
           "Design a simple RNN that maps the sentence to a vector of length 50, then to the probabilities of 4 "
           "classes with a fully connected layer and soft(arg)max.",
           r"One recurrent layer unrolled over the 10 words; the state starts at $s_0 = 0 \in \mathbb{R}^{50}$ and "
           r"$s_t = \tanh(U X_t + W s_{t-1})$ with $U$ $50 \times 300$ and $W$ $50 \times 50$; the output matrix "
           r"$V$ is not needed (it can be 0); the final state goes through an FC layer $w \in \mathbb{R}^{4 \times "
           r"50}$ and a softmax. The sizes are checked in sentence-rnn-shapes-columns and sentence-rnn-shapes-rows "
           r"(the sheet's $X_t \in \mathbb{R}^{1 \times 300}$ must be read as a column for $U X_t$ to be defined), "
           r"the softmax in sentence-rnn-softmax.",
           why="a design; its sizes and formulas are checked in the sentence-rnn-* entries"),
]

PROSE_001 = [
    _prose(SHEET_001, "rnn-lm-no-recurrence", "3(b)", "RNN language model without h^{t−1}",
           r"Suppose we eliminate $h^{t-1}$ as input to the network. Can the remaining parameters assign likelihood "
           r"1 to the example sentence?",
           "No: without the recurrent input the prediction of x_t depends on x_{t−1} alone, a bigram model, and no "
           "bigram model gives the sentence likelihood 1 (its largest likelihood is 1/4, see "
           "bigram-sentence-max-likelihood).",
           why="a reduction to 3(a), whose quantitative answer is checked in bigram-sentence-max-likelihood"),
    _prose(SHEET_001, "rnn-lm-concatenation-insufficient", "3(d)",
           "Why concatenated one-hot vectors cannot give a trigram model",
           r"Why is $h^t = \mathrm{concat}(\phi(x_{t-1}), \phi(x_{t-2}))$ insufficient for a trigram model?",
           r"The output layer is linear, so its logits are a sum of a term for $x_{t-1}$ and a term for $x_{t-2}$: a "
           r"vector of size $2|V|$ cannot represent the $|V|^2$ arbitrary mappings from word pairs to next-word "
           r"distributions that a trigram model has.",
           why="a counting argument about representational capacity"),
    _prose(SHEET_001, "rnn-lm-trigram-representation", "3(e)", "A hidden state that replicates a trigram model",
           r"What is a possible vector representation of $h^t$ that allows the network to replicate a trigram model?",
           r"$\mathrm{concat}(\phi(x_{t-1}), \mathrm{vec}(\phi(x_{t-1})\phi(x_{t-2})^T))$, vec taking the rows of a "
           r"matrix and $\phi$ the one-hot encoding: the second block has a single 1 at the unit of the word pair, "
           r"so a linear output layer can give each pair its own distribution. The construction of 3(f) computes the "
           r"transposed pair block (trigram-rnn-sheet-representation, trigram-rnn-representation), which serves "
           r"equally well.",
           why="a choice of representation; the construction that realises it is simulated in the trigram-rnn-* "
               "entries"),
    _prose(SHEET_001, "more-exploding-rnn-orthogonal-property", "5(c)",
           "More exploding RNN: a useful property of the weights",
           "If we are looking to prevent exploding or vanishing gradients, what might be a useful property of the "
           "weight matrices W?",
           "Orthogonality: an orthogonal W does not change the operator norm of what it multiplies, so the product "
           "over the layers cannot explode through the weights, and the bound reduces to the norms of the D_k "
           "(more-exploding-rnn-orthogonal-bound, orthogonal-operator-norm).",
           why="the choice of a property; the simplified bound is checked in more-exploding-rnn-orthogonal-bound"),
    _prose(SHEET_001, "more-exploding-rnn-relu-choice", "5(d)", "More exploding RNN: why ReLU",
           "Based on the role of the matrices D, why might the ReLU be a good choice for the activation function?",
           "With ReLU, φ' is 0 or 1, so unless every activation of a layer is killed (then D = 0 and the gradient "
           "is 0) the largest entry of D_k is 1 and ‖D_k‖ = 1 (relu-derivative-norm). With orthogonal weights the "
           "gradient's norm is then at most ‖δl/δh_T‖: it cannot explode (more-exploding-rnn-relu-bound).",
           why="an argument; its two facts are checked in relu-derivative-norm and more-exploding-rnn-relu-bound"),
    _prose(SHEET_001, "multitask-related-tasks", "6(a)", "Multi-task learning: two related tasks",
           "A cat expert says breed (i) and gender (ii) can be determined from a common set of morphological "
           "features. Which approach (separate networks, or one shared network up to the last hidden layer) is "
           "preferable for predicting (i) and (ii) together? Why?",
           "Approach 2 (the shared network). Since the tasks are similar, features learned to predict both (i) and "
           "(ii) well are less prone to overfitting and should generalise better than features specialised for "
           "either task.",
           why="a judgement about generalisation"),
    _prose(SHEET_001, "multitask-unrelated-tasks", "6(b)", "Multi-task learning: two unrelated tasks",
           "If the features useful for (i) and (ii) carry no signal for the time of day (iii) and vice versa, which "
           "approach is preferable for (i) and (iii) together with proper regularisation? What could happen when "
           "overfitting?",
           "Approach 1 (separate networks): the tasks are essentially orthogonal, so nothing is gained by tackling "
           "them jointly, and a shared model may lack the capacity to extract the signals for both. But if "
           "Approach 1 is not properly regularised and overfits, Approach 2 may generalise better, its limited "
           "capacity counteracting the overfitting.",
           why="a judgement about capacity and regularisation"),
    _prose(SHEET_001, "multitask-shared-trunk", "6(c)", "Multi-task learning: a compromise architecture",
           "The first two hidden layers of a network for any of the three tasks capture rudimentary features "
           "(edges, brightness, contrast). Design a single network for all three targets using (a) and (b).",
           "Share the first two layers across all tasks, then fork into two branches: one shared by (i) and (ii) up "
           "to its last hidden layer, which outputs both predictions, and one for (iii). Signals are pooled for "
           "feature learning at each level of abstraction while task-specific behaviour remains where appropriate.",
           why="an architecture design"),
    _prose(SHEET_001, "multitask-new-dataset", "6(d)", "Multi-task learning: adding a dog-breed data set",
           "A second data set of a million dog images is annotated with the dog's breed. How would you modify the "
           "model of (c) to tackle this fourth task as well, and how would it be trained?",
           "Morphological features that predict a cat's breed are likely to be similar to those for dogs: add an "
           "output unit for the dog's breed at the end of the (i)/(ii) branch, sharing all its hidden layers. In "
           "training, the dog output is ignored in the gradient for a cat image, and for a dog image it is the only "
           "output that contributes to the gradient.",
           why="an architecture and training procedure"),
]
