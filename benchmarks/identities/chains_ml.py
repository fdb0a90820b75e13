"""Multi-step ML derivations in scalars, each right or with one planted wrong step.
Step k relates line k to line k + 1 (numbered from 1)."""
from ._items import (BN_PAPER, CE_SE, KL_SE, LSE_PAGE, RELU, SIGMOID_NAPA,
                     SIGMOID_NN, SIGMOID_TY, SOFTPLUS, chain)

SEED_000 = "../shared/seeds/000 §2.3 (scalar analogue: 48 layers scale the gradient by c each)"
SEED_003E = "../shared/seeds/003 1.2.2(e) (scalar analogue: attention over three values)"
SEED_003D = "../shared/seeds/003 1.3(d) (initial cross-entropy loss of a 4-class guess)"
DX = r"\frac{d}{dx}"
S3 = "(exp(a) + exp(b) + exp(c))"
LSE3 = f"log{S3}"
SIG_E = "(1 + exp(-x))"
MEAN = "((x1 + x2 + x3)/3)"
VAR = f"((x1 - {MEAN})**2 + (x2 - {MEAN})**2 + (x3 - {MEAN})**2)/3"
SW = "(exp(w0) + exp(w1) + exp(w2))"
H = f"(exp(w0)*v0 + exp(w1)*v1 + exp(w2)*v2)/{SW}"
ATT_L3 = f"-exp(w0)*exp(w1)*v0/{SW}**2 + (exp(w1)/{SW} - exp(w1)**2/{SW}**2)*v1 - exp(w2)*exp(w1)*v2/{SW}**2"
ATT_TEX = [r"\frac{\partial h}{\partial w_1}",
           r"\sum_i \frac{\partial}{\partial w_1}\frac{e^{w_i}v_i}{\sum_j e^{w_j}}",
           r"-\frac{e^{w_0}e^{w_1}v_0}{S^2} + \Bigl(\frac{e^{w_1}}{S}-\frac{e^{2w_1}}{S^2}\Bigr)v_1 - \frac{e^{w_2}e^{w_1}v_2}{S^2}"]


def _sig_deriv(third, third_tex, wrong):
    return chain([f"diff(sigmoid(x), x)", f"exp(-x)/{SIG_E}**2", third,
                  f"sigmoid(x)*(1 - 1/{SIG_E})", "sigmoid(x)*(1 - sigmoid(x))"],
                 ["="] * 4,
                 [DX + r"\sigma(x)", r"\frac{e^{-x}}{(1+e^{-x})^2}", third_tex,
                  r"\sigma(x)\Bigl(1-\frac{1}{1+e^{-x}}\Bigr)", r"\sigma(x)(1-\sigma(x))"],
                 SIGMOID_NN, wrong)


CHAINS = [
    _sig_deriv(f"1/{SIG_E}*exp(-x)/{SIG_E}", r"\frac{1}{1+e^{-x}}\cdot\frac{e^{-x}}{1+e^{-x}}", None),
    chain(["diff(sigmoid(x), x)", f"exp(-x)/{SIG_E}**2", f"1/{SIG_E}*exp(x)/{SIG_E}", f"sigmoid(x)*exp(x)/{SIG_E}", "sigmoid(x)**2*exp(x)"],
          ["="] * 4, [DX + r"\sigma(x)", r"\frac{e^{-x}}{(1+e^{-x})^2}", r"\frac{1}{1+e^{-x}}\cdot\frac{e^{x}}{1+e^{-x}}",
                      r"\sigma(x)\frac{e^{x}}{1+e^{-x}}", r"\sigma(x)^2e^x"], SIGMOID_NN, 2, note="e^{-x} copied as e^{x}; carried on consistently"),
    chain(["diff(sigmoid(x), x)", f"-exp(-x)/{SIG_E}**2", f"-sigmoid(x)*exp(-x)/{SIG_E}", "-sigmoid(x)*(1 - sigmoid(x))"],
          ["="] * 3, [DX + r"\sigma(x)", r"-\frac{e^{-x}}{(1+e^{-x})^2}", r"-\sigma(x)\frac{e^{-x}}{1+e^{-x}}", r"-\sigma(x)(1-\sigma(x))"],
          SIGMOID_TY, 1, note="the inner derivative's sign lost"),
    chain(["diff(tanh(x), x)", "diff(sinh(x)/cosh(x), x)", "(cosh(x)**2 - sinh(x)**2)/cosh(x)**2", "1 - tanh(x)**2"],
          ["="] * 3, [DX + r"\tanh x", DX + r"\frac{\sinh x}{\cosh x}", r"\frac{\cosh^2x-\sinh^2x}{\cosh^2 x}", r"1-\tanh^2 x"],
          SIGMOID_NAPA, None),
    chain(["tanh(x)", "(exp(x) - exp(-x))/(exp(x) + exp(-x))", "(1 - exp(-2*x))/(1 + exp(-2*x))", "2/(1 + exp(-2*x)) - 1", "2*sigmoid(2*x) - 1"],
          ["="] * 4, [r"\tanh x", r"\frac{e^x-e^{-x}}{e^x+e^{-x}}", r"\frac{1-e^{-2x}}{1+e^{-2x}}", r"\frac{2}{1+e^{-2x}}-1", r"2\sigma(2x)-1"],
          SIGMOID_NAPA, None),
    chain(["tanh(x)", "(exp(x) - exp(-x))/(exp(x) + exp(-x))", "(1 - exp(-2*x))/(1 + exp(-2*x))", "2/(1 + exp(-2*x)) + 1", "2*sigmoid(2*x) + 1"],
          ["="] * 4, [r"\tanh x", r"\frac{e^x-e^{-x}}{e^x+e^{-x}}", r"\frac{1-e^{-2x}}{1+e^{-2x}}", r"\frac{2}{1+e^{-2x}}+1", r"2\sigma(2x)+1"],
          SIGMOID_NAPA, 3),
    chain(["diff(softplus(x), x)", "exp(x)/(1 + exp(x))", "1/(exp(-x) + 1)", "sigmoid(x)"],
          ["="] * 3, [DX + r"\log(1+e^x)", r"\frac{e^x}{1+e^x}", r"\frac{1}{e^{-x}+1}", r"\sigma(x)"], SOFTPLUS, None),
    chain(["log(exp(a) + exp(b))", "log(exp(Max(a, b))*(exp(a - Max(a, b)) + exp(b - Max(a, b))))", "Max(a, b) + log(exp(a - Max(a, b)) + exp(b - Max(a, b)))"],
          ["="] * 2, [r"\log(e^a+e^b)", r"\log\bigl(e^m(e^{a-m}+e^{b-m})\bigr)", r"m+\log(e^{a-m}+e^{b-m})"], LSE_PAGE, None, note="m = max(a, b)"),
    chain(["log(exp(a) + exp(b))", "log(exp(Max(a, b))*(exp(a - Max(a, b)) + exp(b - Max(a, b))))", "Max(a, b)*log(exp(a - Max(a, b)) + exp(b - Max(a, b)))"],
          ["="] * 2, [r"\log(e^a+e^b)", r"\log\bigl(e^m(e^{a-m}+e^{b-m})\bigr)", r"m\log(e^{a-m}+e^{b-m})"], LSE_PAGE, 2),
    chain(["Max(a, b)", "log(exp(a) + exp(b))", "Max(a, b) + log(2)"], ["<=", "<="],
          [r"\max(a,b)", r"\log(e^a+e^b)", r"\max(a,b)+\log 2"], LSE_PAGE, None),
    chain(["Max(a, b)", "log(exp(a) + exp(b))", "Max(a, b) + log(2)/2"], ["<=", "<="],
          [r"\max(a,b)", r"\log(e^a+e^b)", r"\max(a,b)+\tfrac12\log 2"], LSE_PAGE, 2),
    chain([f"diff(-log(exp(a)/{S3}), a)", f"diff(-a + {LSE3}, a)", f"-1 + exp(a)/{S3}", f"exp(a)/{S3} - 1"],
          ["="] * 3, [r"\frac{\partial}{\partial z_1}\Bigl(-\log\frac{e^{z_1}}{\sum_j e^{z_j}}\Bigr)", r"\frac{\partial}{\partial z_1}\Bigl(-z_1+\log\sum_j e^{z_j}\Bigr)", r"-1+\frac{e^{z_1}}{\sum_j e^{z_j}}", r"p_1-1"],
          CE_SE, None, note="softmax cross-entropy, true class 1"),
    chain([f"diff(-log(exp(a)/{S3}), a)", f"diff(-a + {LSE3}, a)", f"1 - exp(a)/{S3}", f"1 - exp(a)/{S3}"],
          ["="] * 3, [r"\frac{\partial}{\partial z_1}\Bigl(-\log\frac{e^{z_1}}{\sum_j e^{z_j}}\Bigr)", r"\frac{\partial}{\partial z_1}\Bigl(-z_1+\log\sum_j e^{z_j}\Bigr)", r"1-\frac{e^{z_1}}{\sum_j e^{z_j}}", r"1-p_1"],
          CE_SE, 2),
    chain([f"diff(-log(exp(a)/{S3}), b)", f"diff(-a + {LSE3}, b)", f"exp(b)/{S3}"],
          ["="] * 2, [r"\frac{\partial}{\partial z_2}\Bigl(-\log p_1\Bigr)", r"\frac{\partial}{\partial z_2}\Bigl(-z_1+\log\sum_j e^{z_j}\Bigr)", r"p_2"], CE_SE, None),
    chain(["diff(-y*log(sigmoid(z)) - (1 - y)*log(1 - sigmoid(z)), z)", "-y*(1 - sigmoid(z)) + (1 - y)*sigmoid(z)", "sigmoid(z) - y"],
          ["="] * 2, [r"\frac{\partial}{\partial z}\bigl[-y\log\sigma(z)-(1-y)\log(1-\sigma(z))\bigr]", r"-y(1-\sigma(z))+(1-y)\sigma(z)", r"\sigma(z)-y"], CE_SE, None),
    chain(["diff(-y*log(sigmoid(z)) - (1 - y)*log(1 - sigmoid(z)), z)", "-y*(1 - sigmoid(z)) - (1 - y)*sigmoid(z)", "-y - sigmoid(z) + 2*y*sigmoid(z)"],
          ["="] * 2, [r"\frac{\partial}{\partial z}\bigl[-y\log\sigma(z)-(1-y)\log(1-\sigma(z))\bigr]", r"-y(1-\sigma(z))-(1-y)\sigma(z)", r"-y-\sigma(z)+2y\sigma(z)"], CE_SE, 1),
    chain([VAR, f"(x1**2 + x2**2 + x3**2)/3 - 2*{MEAN}*(x1 + x2 + x3)/3 + {MEAN}**2", f"(x1**2 + x2**2 + x3**2)/3 - ({MEAN})**2"],
          ["="] * 2, [r"\frac13\sum_i (x_i-\mu)^2", r"\frac13\sum_i x_i^2 - 2\mu\frac13\sum_i x_i + \mu^2", r"\frac13\sum_i x_i^2-\mu^2"], BN_PAPER, None, note="batch variance, N = 3"),
    chain([VAR, f"(x1**2 + x2**2 + x3**2)/3 - 2*{MEAN}*(x1 + x2 + x3)/3 + {MEAN}**2", "(x1**2 + x2**2 + x3**2)/3 - (x1 + x2 + x3)**2/3"],
          ["="] * 2, [r"\frac13\sum_i (x_i-\mu)^2", r"\frac13\sum_i x_i^2 - 2\mu\frac13\sum_i x_i + \mu^2", r"\frac13\sum_i x_i^2-\frac13\Bigl(\sum_i x_i\Bigr)^2"], BN_PAPER, 2, note="missing 1/N inside the square"),
    chain([f"(x1 - {MEAN})/sqrt({VAR} + e) + (x2 - {MEAN})/sqrt({VAR} + e) + (x3 - {MEAN})/sqrt({VAR} + e)",
           f"(x1 + x2 + x3 - 3*{MEAN})/sqrt({VAR} + e)", "0"],
          ["="] * 2, [r"\sum_i \frac{x_i-\mu}{\sqrt{\sigma^2+\epsilon}}", r"\frac{\sum_i x_i - 3\mu}{\sqrt{\sigma^2+\epsilon}}", "0"], BN_PAPER, None, assume=("e > 0",), note="normalised values sum to zero",
          latex_assume=(r"\epsilon > 0",)),
    chain([f"diff({VAR}, x1)", f"(2*(x1 - {MEAN})*(2/3) - 2*(x2 - {MEAN})/3 - 2*(x3 - {MEAN})/3)/3",
           f"(2*(x1 - {MEAN}) - 2*((x1 - {MEAN}) + (x2 - {MEAN}) + (x3 - {MEAN}))/3)/3", f"2*(x1 - {MEAN})/3"],
          ["="] * 3, [r"\frac{\partial\sigma^2}{\partial x_1}", r"\frac13\Bigl[2(x_1-\mu)\tfrac23-\tfrac23(x_2-\mu)-\tfrac23(x_3-\mu)\Bigr]",
                      r"\frac13\Bigl[2(x_1-\mu)-\tfrac23\sum_i(x_i-\mu)\Bigr]", r"\frac23(x_1-\mu)"], BN_PAPER, None),
    chain(["log(1/s) + (s**2 + m**2)/2 - 1/2", "-log(s) + s**2/2 + m**2/2 - 1/2", "(m**2 + s**2 - log(s**2) - 1)/2", "0"],
          ["=", "=", ">="], [r"\log\frac1\sigma+\frac{\sigma^2+\mu^2}{2}-\frac12", r"-\log\sigma+\frac{\sigma^2}2+\frac{\mu^2}2-\frac12", r"\frac12\bigl(\mu^2+\sigma^2-\log\sigma^2-1\bigr)", "0"],
          KL_SE, None, assume=("s > 0",), note="KL(N(m, s^2) || N(0, 1)), the ELBO's regulariser",
          latex_assume=(r"\sigma > 0",)),
    chain(["log(1/s) + (s**2 + m**2)/2 - 1/2", "-log(s) + s**2/2 + m**2/2 - 1/2", "(m**2 + s**2 - log(s) - 1)/2", "0"],
          ["=", "=", ">="], [r"\log\frac1\sigma+\frac{\sigma^2+\mu^2}{2}-\frac12", r"-\log\sigma+\frac{\sigma^2}2+\frac{\mu^2}2-\frac12", r"\frac12\bigl(\mu^2+\sigma^2-\log\sigma-1\bigr)", "0"],
          KL_SE, 2, assume=("s > 0",), latex_assume=(r"\sigma > 0",)),
    chain(["log(s2/s1) + (s1**2 + (m1 - m2)**2)/(2*s2**2) - 1/2", "(log(s2**2/s1**2) + (s1**2 + (m1 - m2)**2)/s2**2 - 1)/2", "log(s2**2/s1**2) + (s1**2 + (m1 - m2)**2)/s2**2 - 1"],
          ["="] * 2, [r"\log\frac{\sigma_2}{\sigma_1}+\frac{\sigma_1^2+(\mu_1-\mu_2)^2}{2\sigma_2^2}-\frac12", r"\frac12\Bigl[\log\frac{\sigma_2^2}{\sigma_1^2}+\frac{\sigma_1^2+(\mu_1-\mu_2)^2}{\sigma_2^2}-1\Bigr]", r"\log\frac{\sigma_2^2}{\sigma_1^2}+\frac{\sigma_1^2+(\mu_1-\mu_2)^2}{\sigma_2^2}-1"],
          KL_SE, 2, assume=("s1 > 0", "s2 > 0"), note="the 1/2 dropped",
          latex_assume=(r"\sigma_1 > 0", r"\sigma_2 > 0")),
    chain(["log(exp(-(x - m)**2/(2*s**2))/sqrt(2*pi*s**2))", "-(x - m)**2/(2*s**2) - log(2*pi*s**2)/2", "-(x - m)**2/(2*s**2) - log(2*pi)/2 - log(s)"],
          ["="] * 2, [r"\log\frac{e^{-(x-\mu)^2/2\sigma^2}}{\sqrt{2\pi\sigma^2}}", r"-\frac{(x-\mu)^2}{2\sigma^2}-\frac12\log 2\pi\sigma^2", r"-\frac{(x-\mu)^2}{2\sigma^2}-\frac12\log2\pi-\log\sigma"],
          KL_SE, None, assume=("s > 0",), latex_assume=(r"\sigma > 0",)),
    chain(["-log(1/4)", "log(4)", "2*log(2)", "1.39"], ["=", "=", "approx"],
          [r"-\log\frac14", r"\log 4", r"2\log 2", "1.39"], SEED_003D, None),
    chain(["-log(1/4)", "log(4)", "2*log(2)", "1.38"], ["=", "=", "approx"],
          [r"-\log\frac14", r"\log 4", r"2\log 2", "1.38"], SEED_003D, 3),
    chain([f"diff({H}, w1)", f"diff(exp(w0)*v0/{SW}, w1) + diff(exp(w1)*v1/{SW}, w1) + diff(exp(w2)*v2/{SW}, w1)", ATT_L3,
           f"exp(w1)/{SW}*(v1 - {H})"], ["="] * 3, ATT_TEX + [r"a_1(v_1-h)"], SEED_003E, None),
    chain([f"diff({H}, w1)", f"diff(exp(w0)*v0/{SW}, w1) + diff(exp(w1)*v1/{SW}, w1) + diff(exp(w2)*v2/{SW}, w1)", ATT_L3,
           "v1/(w0 + w1 + w2) - (w0*v0 + w1*v1 + w2*v2)/(w0 + w1 + w2)**2"], ["="] * 3,
          ATT_TEX + [r"\frac{v_1}{\sum_i w_i}-\frac{\sum_i w_iv_i}{(\sum_i w_i)^2}"], SEED_003E, 3, note="normalised by the scores instead of their exponentials, as the sheet does"),
    chain(["sqrt((c**48*g)**2)", "sqrt(c**96*g**2)", "c**48*sqrt(g**2)", "c**48*abs(g)"], ["="] * 3,
          [r"\bigl\|c^{48}g\bigr\|", r"\sqrt{c^{96}g^2}", r"c^{48}\sqrt{g^2}", r"c^{48}|g|"], SEED_000, None, assume=("0 < c < 2",)),
    chain(["sqrt((c**48*g)**2)", "sqrt(c**96*g**2)", "c**49*sqrt(g**2)", "c**49*abs(g)"], ["="] * 3,
          [r"\bigl\|c^{48}g\bigr\|", r"\sqrt{c^{96}g^2}", r"c^{49}\sqrt{g^2}", r"c^{49}|g|"], SEED_000, 2, assume=("0 < c < 2",), note="the sheet's c^49: invisible at c = 1"),
    chain(["relu(x)", "Max(x, 0)", "(x + abs(x))/2"], ["="] * 2, [r"\operatorname{ReLU}(x)", r"\max(x,0)", r"\frac{x+|x|}{2}"], RELU, None),
    chain(["diff(relu(x), x)", "diff((x + abs(x))/2, x)", "(1 + x/abs(x))/2"], ["="] * 2,
          [DX + r"\operatorname{ReLU}(x)", DX + r"\frac{x+|x|}{2}", r"\frac{1+\operatorname{sgn}x}{2}"], RELU, None, assume=("x != 0",)),
    chain(["log(sigmoid(z)/(1 - sigmoid(z)))", "log(exp(z))", "z"], ["="] * 2,
          [r"\log\frac{\sigma(z)}{1-\sigma(z)}", r"\log e^z", "z"], SIGMOID_TY, None, note="log-odds of the logistic"),
    chain(["exp(a - t)/(exp(a - t) + exp(b - t))", "exp(a)*exp(-t)/((exp(a) + exp(b))*exp(-t))", "exp(a)/(exp(a) + exp(b))", "sigmoid(a - b)"],
          ["="] * 3, [r"\frac{e^{a-t}}{e^{a-t}+e^{b-t}}", r"\frac{e^ae^{-t}}{(e^a+e^b)e^{-t}}", r"\frac{e^a}{e^a+e^b}", r"\sigma(a-b)"], LSE_PAGE, None),
    chain(["exp(a - t)/(exp(a - t) + exp(b - t))", "exp(a)*exp(-t)/((exp(a) + exp(b))*exp(-t))", "exp(a)/(exp(a) + exp(b))", "sigmoid(b - a)"],
          ["="] * 3, [r"\frac{e^{a-t}}{e^{a-t}+e^{b-t}}", r"\frac{e^ae^{-t}}{(e^a+e^b)e^{-t}}", r"\frac{e^a}{e^a+e^b}", r"\sigma(b-a)"], LSE_PAGE, 3),
]
