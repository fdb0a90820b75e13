"""Sheet 004: the answers that are explanations, not formulas.

Problems 1-8 ask for derivations (checked elsewhere in the catalogue) and for a
few explanations, answered here.  Problems 9-14 ask for summaries of papers:
they are listed as not machine-checkable, with a short answer each.  (The sheet
numbers them 9, 10, 11, 12, 14: there is no problem 13.)  Problems 9(i) and 10
also ask for mathematics: what follows from Luong et al.'s equations is checked
in derivations/luong_attention.py, the feed-forward-to-attention derivation in
derivations/persistent_memory.py; the prose here keeps the parts that are words
or definitions.
"""
from symcheck import Prose

SHEET = "004_1638b43a4d4b0ea1"
EXPLANATION = "the answer is an explanation, not a formula"
READING = "a reading summary, not a derivation"

l2_figure = Prose(
    id="l2-figure-effect",
    title="L2 regularisation: reading Figure 7.1",
    sheet=SHEET,
    problem="5(iii)",
    question=r"Explain the effect of L2 regularisation from Figure 7.1.",
    answer=r"The ellipses are level sets of the unregularised objective around $\mathbf w^*$, the circles level "
           r"sets of $\frac{\alpha}{2}\|\mathbf w\|^2$; the regularised optimum $\tilde{\mathbf w}$ is where the two "
           r"gradients balance. By eq. (7.13) the component of $\mathbf w^*$ along the $i$-th eigenvector of "
           r"$\mathbf H$ is scaled by $\lambda_i/(\lambda_i+\alpha)$. Along a direction of high curvature "
           r"($\lambda_i \gg \alpha$; the vertical axis of the figure) the objective rises quickly when $w$ moves, "
           r"so the weight stays near $w^*_i$; along a direction of low curvature ($\lambda_i \ll \alpha$; the "
           r"horizontal axis) moving $w$ costs the objective little, so the regulariser pulls the weight strongly "
           r"towards 0. L2 thus shrinks the directions that matter least for the training loss.",
    why=EXPLANATION,
)

l1_sparsity = Prose(
    id="l1-sparsity",
    title="L1 regularisation: why the solution is sparse",
    sheet=SHEET,
    problem="6(ii)",
    question=r"Discuss how L1 regularisation leads to a sparse solution.",
    answer=r"By eq. (7.23) (entry l1-optimum), $w_i = \operatorname{sign}(w_i^*)\max\{|w_i^*| - \alpha/H_{i,i}, "
           r"0\}$: whenever $|w_i^*| \le \alpha/H_{i,i}$ the optimum is exactly $w_i = 0$, not merely small. The "
           r"subgradient of $\alpha|w_i|$ at 0 is the whole interval $[-\alpha, \alpha]$, so it can balance any pull "
           r"of the quadratic term up to that size and the minimum sits on the kink. Every weight whose "
           r"unregularised value is small relative to $\alpha/H_{i,i}$ is set to zero, which is sparsity; L2 only "
           r"rescales each component by $H_{i,i}/(H_{i,i}+\alpha)$ and never makes one exactly zero.",
    why=EXPLANATION,
)

posterior_intractable = Prose(
    id="vae-posterior-intractable",
    title="VAE: why the posterior is intractable",
    sheet=SHEET,
    problem="7(i)",
    question=r"Why is the posterior probability $p_\theta(\mathbf z|\mathbf x)$ intractable?",
    answer=r"By Bayes' rule $p_\theta(\mathbf z|\mathbf x) = p_\theta(\mathbf x|\mathbf z)p_\theta(\mathbf z)/"
           r"p_\theta(\mathbf x)$ with the evidence $p_\theta(\mathbf x) = \int p_\theta(\mathbf x|\mathbf z)"
           r"p_\theta(\mathbf z)\,d\mathbf z$. When the likelihood is a neural network, this integral over the "
           r"latent space has no closed form and is too expensive to compute numerically in high dimension, so "
           r"neither the evidence nor the posterior can be evaluated or differentiated; the EM algorithm and mean-"
           r"field variational Bayes, which need these expectations in closed form, do not apply either.",
    why=EXPLANATION,
)

score_variance = Prose(
    id="score-function-variance",
    title="VAE: the problem of the Monte Carlo (score-function) estimator",
    sheet=SHEET,
    problem="7(v)",
    question=r"What is the problem of the Monte Carlo method to estimate "
             r"$\nabla_\phi \mathbb{E}_{q_\phi(\mathbf z|\mathbf x)}[\log p_\theta(\mathbf x|\mathbf z)]$?",
    answer=r"It is unbiased (entry score-function-estimator) but has very high variance: each sample contributes "
           r"the score $\nabla_\phi\log q_\phi(\mathbf z)$ scaled by the value $f(\mathbf z)$ only, without using "
           r"how $f$ changes with $\mathbf z$, and $f = \log p_\theta(\mathbf x|\mathbf z)$ is large in magnitude. "
           r"Many samples (or control variates) are needed for a usable gradient, which makes optimisation slow "
           r"and unstable.",
    why=EXPLANATION,
)

reparameterisation_trick = Prose(
    id="reparameterisation-trick",
    title="VAE: the reparameterisation trick",
    sheet=SHEET,
    problem="7(vi)",
    question=r"What is the reparameterisation trick of [1]?",
    answer=r"Write the random latent as a deterministic, differentiable function of the parameters and of noise "
           r"whose law does not depend on them: $\mathbf z = g_\phi(\boldsymbol\epsilon, \mathbf x)$ with "
           r"$\boldsymbol\epsilon \sim p(\boldsymbol\epsilon)$; for a diagonal Gaussian, $\mathbf z = "
           r"\boldsymbol\mu + \boldsymbol\sigma\odot\boldsymbol\epsilon$, $\boldsymbol\epsilon\sim\mathcal N(0, I)$. "
           r"Then $\mathbb E_{q_\phi}[f(\mathbf z)] = \mathbb E_{\boldsymbol\epsilon}[f(g_\phi(\boldsymbol\epsilon, "
           r"\mathbf x))]$ and the gradient moves inside the expectation: "
           r"$\nabla_\phi\mathbb E_{\boldsymbol\epsilon}[f(g_\phi(\boldsymbol\epsilon,\mathbf x))]$ is estimated by "
           r"back-propagating through $g_\phi$ (entries reparameterised-elbo and reparameterised-gradient), with "
           r"far lower variance than the score-function estimator.",
    why=EXPLANATION,
)

gan_key_idea = Prose(
    id="gan-key-idea",
    title="GAN: the key idea",
    sheet=SHEET,
    problem="8(i)",
    question=r"What is the key idea of GAN?",
    answer=r"Train a generative model by a two-player game instead of a likelihood: a generator $G$ maps noise "
           r"$\mathbf z \sim p_{\mathbf z}$ to samples, and a discriminator $D$ is trained to tell real data from "
           r"generated samples while $G$ is trained to fool it, $\min_G\max_D V(D, G)$ (eq. 15). Both are neural "
           r"networks trained by back-propagation, with no Markov chain and no approximate inference. At the "
           r"equilibrium of the game $p_g = p_{data}$ and $D = 1/2$ everywhere (entries gan-optimal-discriminator "
           r"and gan-global-minimum).",
    why=EXPLANATION,
)

gan_training = Prose(
    id="gan-training",
    title="GAN: how training proceeds (Figure 1 of [3])",
    sheet=SHEET,
    problem="8(iv)",
    question=r"Explain how to train a GAN from the figure.",
    answer=r"Training alternates $k$ steps that update $D$ by ascending $\nabla_D V$ on a minibatch of data and a "
           r"minibatch of noise, and one step that updates $G$ by descending $\nabla_G \frac1m\sum_i\log(1 - "
           r"D(G(\mathbf z^{(i)})))$ (in practice ascending $\log D(G(\mathbf z))$, whose gradient does not "
           r"vanish early in training). In the figure: (a) near convergence $p_g$ is close to $p_{data}$ and $D$ "
           r"is a partially accurate classifier; (b) in the inner loop $D$ converges to $D^*(\mathbf x) = "
           r"p_{data}(\mathbf x)/(p_{data}(\mathbf x)+p_g(\mathbf x))$; (c) after an update of $G$, the gradient of "
           r"$D$ moves $G(\mathbf z)$ towards regions more likely to be classified as data; (d) after enough steps, "
           r"$p_g = p_{data}$ and $D(\mathbf x) = 1/2$: neither can improve.",
    why=EXPLANATION,
)

input_feeding = Prose(
    id="input-feeding",
    title="NMT: the input-feeding approach of Luong et al., and the decoder's equations",
    sheet=SHEET,
    problem="9(i)",
    question=r"What is the input-feeding method of [5]? Give the decoder's equations with the general score, in the "
             r"notation of [5].",
    answer=r"Luong et al.'s global attention decides its alignments at each target step independently of the "
           r"previous ones. Input feeding passes the previous attentional state $\tilde{\mathbf h}_{t-1}$ to the "
           r"next step: it is concatenated with the embedding $\hat{\mathbf y}_{t-1}$ of the previous target word "
           r"and fed as the decoder's input, so each alignment is made knowing the past ones (Figure 5). "
           r"The decoder, as definitions (source states $\bar{\mathbf h}_s$, $s = 1, \dots, S$, from the "
           r"encoder; $\mathbf h_0$, $\tilde{\mathbf h}_0$ given): "
           r"$\mathbf h_t = \operatorname{LSTM}(\mathbf h_{t-1}, [\hat{\mathbf y}_{t-1}; \tilde{\mathbf "
           r"h}_{t-1}])$ (input feeding); "
           r"$\operatorname{score}(\mathbf h_t, \bar{\mathbf h}_s) = \mathbf h_t^\top \mathbf W_a "
           r"\bar{\mathbf h}_s$ (general); "
           r"$a_t(s) = \exp(\operatorname{score}(\mathbf h_t,\bar{\mathbf h}_s))/\sum_{s'}"
           r"\exp(\operatorname{score}(\mathbf h_t,\bar{\mathbf h}_{s'}))$; "
           r"$\mathbf c_t = \sum_s a_t(s)\bar{\mathbf h}_s$; "
           r"$\tilde{\mathbf h}_t = \tanh(\mathbf W_c[\mathbf c_t; \mathbf h_t])$; "
           r"$p(y_t|y_{<t}, x) = \operatorname{softmax}(\mathbf W_s\tilde{\mathbf h}_t)$. "
           r"These define the model and are not checked; the entries above check what follows from them: the "
           r"weights sum to 1 and are nonnegative, $\mathbf c_t$ is their convex combination of the source states, "
           r"the general score is the dot score at $\mathbf W_a = \mathbf I$, $\mathbf W_c$ splits into a "
           r"context part and a state part, the fed-back $\tilde{\mathbf h}_{t-1}$ enters the recurrence through its "
           r"own block of the input weights, and the recurrence's shapes close ($\mathbf W \in \mathbb R^{4n\times"
           r"(E+n)}$ for the LSTM input).",
    why="the method in words and the model's definitions; the facts they imply are checked in the luong- entries",
)

input_feeding_advantage = Prose(
    id="input-feeding-advantage",
    title="NMT: the advantage of input feeding",
    sheet=SHEET,
    problem="9(ii)",
    question=r"What is the advantage of the input-feeding method?",
    answer=r"The decoder is told which source words it attended to before, so alignment decisions can depend on "
           r"past alignments (a form of coverage, as in phrase-based translation); the network also becomes deeper "
           r"both horizontally and vertically. Luong et al. report gains in BLEU from it.",
    why=READING,
)

persistent_memory = Prose(
    id="persistent-memory",
    title="Transformers: the key idea of persistent memory",
    sheet=SHEET,
    problem="10",
    question=r"What is the key idea of [7]?",
    answer=r"A Transformer layer is a self-attention sublayer followed by a feed-forward sublayer, and the "
           r"feed-forward sublayer is itself almost an attention layer: its hidden units are key-value pairs "
           r"(entry ff-key-value-sum), weighted by a ReLU instead of a softmax (ff-relu-weights-unnormalised). "
           r"Replacing the ReLU by a softmax turns it into attention over learned, input-independent "
           r"persistent vectors (persistent-vector-attention). [7] therefore adds such persistent key and "
           r"value vectors to every self-attention sublayer, one softmax over the context and the persistent "
           r"memory together (all-attention-layer), and removes the feed-forward sublayers: an all-attention "
           r"network that matches the Transformer's performance on language modelling with fewer parameters. "
           r"In the derivation above, the key-value rewriting, the softmax form and the all-attention mixture are "
           r"equalities (proved); replacing the ReLU by a softmax is a definition (a choice, not checked); that the "
           r"ReLU weights are not normalised is shown by a homogeneity identity and a bound (confirmed numerically).",
    why=READING,
)

knn_lm_idea = Prose(
    id="knn-lm-idea",
    title="kNN-LM: the key idea",
    sheet=SHEET,
    problem="11(i)",
    question=r"What is the key idea of [8]?",
    answer=r"Interpolate a trained language model with a nearest-neighbour model over a datastore of (context "
           r"representation, next token) pairs built from the training data: $p(y|x) = \lambda\,p_{kNN}(y|x) + "
           r"(1-\lambda)\,p_{LM}(y|x)$, with $p_{kNN}(y|x) \propto \sum_{(k_i, v_i)\in\mathcal N} \mathbb 1\{y = "
           r"v_i\}\exp(-d(k_i, f(x)))$ over the $k$ nearest keys to the context's representation $f(x)$. No "
           r"further training is needed, and rare patterns are memorised explicitly.",
    why=READING,
)

knn_lm_copying = Prose(
    id="knn-lm-copying",
    title="kNN-LM as a copying mechanism",
    sheet=SHEET,
    problem="11(ii)",
    question=r"Can the method of [8] be viewed as a copying mechanism? How does it differ from copying?",
    answer=r"Yes, loosely: it copies the next tokens of similar contexts into the prediction. A copy mechanism "
           r"attends over the current input (source sentence or recent context) and copies tokens from it with "
           r"learned attention; kNN-LM retrieves from an external datastore of the whole training corpus, by "
           r"distance between fixed pretrained representations, with no learned copying parameters.",
    why=READING,
)

knn_lm_retrieval = Prose(
    id="knn-lm-retrieval",
    title="kNN-LM: efficient retrieval",
    sheet=SHEET,
    problem="11(iii)",
    question=r"What method is used for dense retrieval in [8], and how can its efficiency be improved?",
    answer=r"Approximate nearest-neighbour search with FAISS: keys are clustered and product-quantised (an "
           r"inverted-file index with quantised vectors), so a query is compared with a few clusters' compressed "
           r"keys instead of all $N$. Further gains come from coarser quantisation, smaller keys (dimension "
           r"reduction), searching fewer clusters, GPU search, and pruning or caching the datastore, at some cost in "
           r"recall.",
    why=READING,
)

lime = Prose(
    id="lime",
    title="LIME: local interpretable model-agnostic explanations",
    sheet=SHEET,
    problem="12",
    question=r"Summarise [9]. How is LIME applied to text and to image classification?",
    answer=r"LIME explains one prediction of any classifier $f$ by an interpretable model $g$ (a sparse linear "
           r"model) that is faithful near the instance: $\xi(x) = \operatorname{argmin}_g \mathcal L(f, g, \pi_x) + "
           r"\Omega(g)$, with $\pi_x$ a proximity kernel and $\Omega$ the complexity. It samples perturbations of the "
           r"interpretable representation, labels them with $f$, and fits $g$ weighted by proximity; SP-LIME picks "
           r"a few diverse explanations to describe the whole model. For text the interpretable components are the "
           r"words present (perturbations delete words) and the explanation lists words with their weights; for "
           r"images they are superpixels (perturbations grey them out) and the explanation shows the superpixels "
           r"that support the class.",
    why=READING,
)

logical_neural_networks = Prose(
    id="logical-neural-networks",
    title="Logical neural networks",
    sheet=SHEET,
    problem="14",
    question=r"Summarise [10]. How are logical neural networks applied to NLP and to vision? Give one example each.",
    answer=r"Each neuron of an LNN is a logical formula (a connective over its inputs) evaluated in a weighted "
           r"real-valued logic, carrying lower and upper bounds on its truth value; inference propagates bounds "
           r"upward and downward through the formula graph, so the network is both a logical theory and a "
           r"differentiable model that learns weights from data, handles incomplete knowledge (open world) and "
           r"stays interpretable. NLP example: question answering over a knowledge base, where a parsed question "
           r"becomes logical rules whose truth bounds are inferred from the KB facts. Vision example: scene "
           r"understanding with rules over detected objects and relations (for instance inferring an activity or "
           r"answering a visual question from detector outputs combined with common-sense rules).",
    why=READING,
)
