"""Sums and products with closed forms (finite with a symbolic bound, and infinite)."""
from ._items import F, POWER_SUMS, SERIES_UV, T, WIKI_SERIES, pair

P, U, W = POWER_SUMS, SERIES_UV, WIKI_SERIES
N = ("n integer", "n >= 0")
N1 = ("n integer", "n >= 1")
S = r"\sum_{k=1}^{n}"
PAIRS = [
    pair("Sum(k, (k, 1, n))", "n*(n + 1)/2", (S + " k", r"\frac{n(n+1)}{2}"), P, T, T, assume=N),
    pair("Sum(k, (k, 1, n))", "n**2/2", (S + " k", r"\frac{n^2}{2}"), P, F, F, assume=N, note="planted"),
    pair("Sum(k**2, (k, 1, n))", "n*(n + 1)*(2*n + 1)/6", (S + " k^2", r"\frac{n(n+1)(2n+1)}{6}"), P, T, T, assume=N),
    pair("Sum(k**2, (k, 1, n))", "n*(n + 1)*(2*n + 1)/3", (S + " k^2", r"\frac{n(n+1)(2n+1)}{3}"), P, F, F, assume=N, note="planted: factor of 2"),
    pair("Sum(k**3, (k, 1, n))", "n**2*(n + 1)**2/4", (S + " k^3", r"\frac{n^2(n+1)^2}{4}"), P, T, T, assume=N),
    pair("Sum(k**3, (k, 1, n))", "Sum(k, (k, 1, n))**2", (S + " k^3", r"\Bigl(" + S + r" k\Bigr)^2"), P, T, T, assume=N, note="Nicomachus"),
    pair("Sum(2*k - 1, (k, 1, n))", "n**2", (S + " (2k-1)", "n^2"), W, T, T, assume=N),
    pair("Sum(r**k, (k, 0, n))", "(r**(n + 1) - 1)/(r - 1)", (r"\sum_{k=0}^{n} r^k", r"\frac{r^{n+1}-1}{r-1}"), U, F, F, assume=N, note="trap: the right side is undefined at r = 1"),
    pair("Sum(r**k, (k, 0, n))", "(r**(n + 1) - 1)/(r - 1)", (r"\sum_{k=0}^{n} r^k", r"\frac{r^{n+1}-1}{r-1}"), U, T, T, assume=N + ("r != 1",)),
    pair("Sum(r**k, (k, 0, n))", "(r**n - 1)/(r - 1)", (r"\sum_{k=0}^{n} r^k", r"\frac{r^{n}-1}{r-1}"), U, F, F, assume=N + ("r != 1",), note="planted: off by one"),
    pair("Sum(k*r**k, (k, 0, n))", "r*(1 - (n + 1)*r**n + n*r**(n + 1))/(1 - r)**2", (r"\sum_{k=0}^{n} kr^k", r"\frac{r\left(1-(n+1)r^n+nr^{n+1}\right)}{(1-r)^2}"), W, T, T, assume=N + ("r != 1",)),
    pair("Sum(1/(k*(k + 1)), (k, 1, n))", "n/(n + 1)", (S + r" \frac{1}{k(k+1)}", r"\frac{n}{n+1}"), W, T, T, assume=N, note="telescoping"),
    pair("Sum(1/(k*(k + 1)), (k, 1, n))", "1/(n + 1)", (S + r" \frac{1}{k(k+1)}", r"\frac{1}{n+1}"), W, F, F, assume=N, note="planted"),
    pair("Sum(k*(k + 1), (k, 1, n))", "n*(n + 1)*(n + 2)/3", (S + " k(k+1)", r"\frac{n(n+1)(n+2)}{3}"), W, T, T, assume=N),
    pair("Sum((-1)**k, (k, 0, n))", "(1 + (-1)**n)/2", (r"\sum_{k=0}^{n}(-1)^k", r"\frac{1+(-1)^n}{2}"), W, T, T, assume=N),
    pair("Sum(x**k, (k, 0, oo))", "1/(1 - x)", (r"\sum_{k=0}^{\infty} x^k", r"\frac{1}{1-x}"), U, T, T, assume=("-1/2 < x < 1/2",), note="inside the disc of convergence"),
    pair("Sum(1/k**2, (k, 1, oo))", "pi**2/6", (r"\sum_{k=1}^{\infty}\frac{1}{k^2}", r"\frac{\pi^2}{6}"), W, T, T, note="Basel"),
    pair("Sum(1/k**2, (k, 1, oo))", "pi**2/8", (r"\sum_{k=1}^{\infty}\frac{1}{k^2}", r"\frac{\pi^2}{8}"), W, F, F, note="planted: the odd-k sum"),
    pair("Sum(1/2**k, (k, 1, oo))", "1", (r"\sum_{k=1}^{\infty} 2^{-k}", "1"), W, T, T),
    pair("Sum((-1)**(k + 1)/k, (k, 1, oo))", "log(2)", (r"\sum_{k=1}^{\infty}\frac{(-1)^{k+1}}{k}", r"\ln 2"), W, T, T),
    pair("Product(k, (k, 1, n))", "n**n", (r"\prod_{k=1}^{n} k", "n^n"), W, F, F, assume=N1, note="planted: n! is not n^n"),
    pair("Product(1 + 1/k, (k, 1, n))", "n + 1", (r"\prod_{k=1}^{n}\left(1+\frac1k\right)", "n+1"), W, T, T, assume=N1, note="telescoping product"),
    pair("Product(1 - 1/k**2, (k, 2, n))", "(n + 1)/(2*n)", (r"\prod_{k=2}^{n}\left(1-\frac{1}{k^2}\right)", r"\frac{n+1}{2n}"), W, T, T, assume=("n integer", "n >= 2")),
    pair("Product(2, (k, 1, n))", "2**n", (r"\prod_{k=1}^{n} 2", "2^n"), W, T, T, assume=N),
    pair("Sum(k, (k, 1, n))", "n*(n - 1)/2", (S + " k", r"\frac{n(n-1)}{2}"), P, F, F, assume=N, note="planted: off by one"),
]
