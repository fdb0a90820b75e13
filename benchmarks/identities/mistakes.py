"""Published lists of common student mistakes: each wrong "identity" as the
list prints it (false), next to a correct neighbour where the list gives one."""
from ._items import F, T, pair

BROWN = "http://math.brown.edu/help/pitfalls.html"
MIF = "http://www.mathsisfun.com/algebra/algebra-mistakes.html"
SINS = "https://www.coursehero.com/file/6295186/SDAS/ (Seven Deadly Algebra Sins)"
PT = "https://public-textbooks.pages.dev/grades/10/math/algebra-ii-start/common-mistakes"
FMH = "https://freemathhelp.com/forum/threads/if-i-had-a-penny-for-every-time-i-saw-this-mathematical-mistake-id-be-a-billionaire.80261"

PAIRS = [
    pair("(x + y)**2", "x**2 + y**2", (r"(x+y)^2", r"x^2+y^2"), BROWN, F, F),
    pair("sqrt(x + y)", "sqrt(x) + sqrt(y)", (r"\sqrt{x+y}", r"\sqrt x+\sqrt y"), BROWN, F, F),
    pair("(x + y)**3", "x**3 + y**3", (r"(x+y)^3", r"x^3+y^3"), BROWN, F, F),
    pair("(x**2 + 3*x + 4)/x", "x + 3 + 4", (r"\frac{x^2+3x+4}{x}", r"x+3+4"), BROWN, F, F, note="partial cancelling"),
    pair("(x**2 + 3*x + 4)/x", "x + 3 + 4/x", (r"\frac{x^2+3x+4}{x}", r"x+3+\frac4x"), BROWN, T, T),
    pair("(x - 5)**2", "x**2 - 25", (r"(x-5)^2", r"x^2-25"), MIF, F, F),
    pair("sqrt(x**2 + y**2)", "x + y", (r"\sqrt{x^2+y^2}", "x+y"), MIF, F, F),
    pair("x**2*x**4", "x**8", (r"x^2x^4", "x^8"), MIF, F, F),
    pair("(x**2)**4", "x**6", (r"(x^2)^4", "x^6"), MIF, F, F),
    pair("2*x**(-1)", "1/(2*x)", (r"2x^{-1}", r"\frac{1}{2x}"), MIF, F, F),
    pair("2*x**(-1)", "2/x", (r"2x^{-1}", r"\frac2x"), MIF, T, T),
    pair("-x**2", "x**2", (r"-x^2", "x^2"), MIF, F, F, note="-5^2 read as 25"),
    pair("x**(1/2)", "1/x**2", (r"x^{1/2}", r"\frac{1}{x^2}"), MIF, F, F),
    pair("x**(a/b)", "x**a/x**b", (r"x^{a/b}", r"\frac{x^a}{x^b}"), MIF, F, F),
    pair("x - (5 + a)", "x - 5 + a", (r"x-(5+a)", "x-5+a"), MIF, F, F),
    pair("x/(x + y)", "x/x + x/y", (r"\frac{x}{x+y}", r"\frac xx+\frac xy"), MIF, F, F),
    pair("(x + y)/x", "x/x + y/x", (r"\frac{x+y}{x}", r"\frac xx+\frac yx"), MIF, T, T),
    pair("(a*b)**2", "a*b**2", (r"(ab)^2", r"ab^2"), SINS, F, F),
    pair("1/(a + b)", "1/a + 1/b", (r"\frac{1}{a+b}", r"\frac1a+\frac1b"), SINS, F, F),
    pair("(a - b)/b", "a - 1", (r"\frac{a-b}{b}", "a-1"), SINS, F, F),
    pair("log(x)/x", "log(1)", (r"\frac{\ln x}{x}", r"\ln 1"), SINS, F, F, note="ln read as a factor"),
    pair("a**(-b)", "-a*b", (r"a^{-b}", "-ab"), SINS, F, F),
    pair("(2*x + 5)**2", "4*x**2 + 25", (r"(2x+5)^2", r"4x^2+25"), PT, F, F),
    pair("sqrt(4) + sqrt(9)", "sqrt(13)", (r"\sqrt4+\sqrt9", r"\sqrt{13}"), PT, F, F),
    pair("(3*x - 5) - (2*x + 4)", "3*x - 5 - 2*x + 4", (r"(3x-5)-(2x+4)", r"3x-5-2x+4"), PT, F, F),
    pair("2*x**2 + 3*x**2", "6*x**4", (r"2x^2+3x^2", r"6x^4"), PT, F, F),
    pair("sqrt(72)", "6*sqrt(2)", (r"\sqrt{72}", r"6\sqrt2"), PT, T, T),
    pair("sqrt(x**2 + 9)", "x + 3", (r"\sqrt{x^2+9}", "x+3"), FMH, F, F),
    pair("x/(x + 5)", "1/5", (r"\frac{x}{x+5}", r"\frac15"), FMH, F, F),
    pair("5**(-2)", "-25", (r"5^{-2}", "-25"), FMH, F, F),
    pair("5**(-2)", "1/25", (r"5^{-2}", r"\frac1{25}"), FMH, T, T),
]
