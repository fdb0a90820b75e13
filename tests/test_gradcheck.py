"""check_grads, the finite-difference oracle users can call on their own code."""
import numpy as np
import pytest

from symcheck import check_grads, numeric_gradient, numeric_jacobian


def _batchnorm(G, gamma, eps=1e-5):
    def loss(X):
        mu = X.mean(-2, keepdims=True)
        var = ((X - mu) ** 2).mean(-2, keepdims=True)
        return (G * gamma * (X - mu) / np.sqrt(var + eps)).sum(axis=(-2, -1))

    def grad(X):
        n = X.shape[0]
        s = np.sqrt(X.var(0) + eps)
        xh, d = (X - X.mean(0)) / s, G * gamma
        return (n * d - d.sum(0) - xh * (d * xh).sum(0)) / (n * s)

    return loss, grad


@pytest.mark.parametrize("mode, shape", [("full", (6, 4)), ("directional", (64, 32))])
def test_accepts_a_correct_gradient_and_catches_one_wrong_entry(mode, shape):
    rng = np.random.default_rng(0)
    X, G, gamma = rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape[1])
    loss, grad = _batchnorm(G, gamma)
    assert check_grads(loss, grad, X, mode=mode).ok
    wrong = grad(X)
    wrong[3, 2] = -wrong[3, 2]
    result = check_grads(loss, wrong, X, mode=mode)
    assert not result.ok
    assert result.index == (3, 2)


def test_a_wrong_shape_is_caught():
    assert not check_grads(lambda x: (x**2).sum(-1), np.zeros(2), np.ones(3)).ok


def test_numeric_gradient_and_jacobian_are_accurate():
    x = np.array([0.3, -1.2, 2.0])
    assert np.allclose(numeric_gradient(lambda v: np.sin(v).sum(-1), x), np.cos(x), rtol=1e-10)
    jac = numeric_jacobian(lambda v: np.stack([v[..., 0] * v[..., 1], np.exp(v[..., 2])], axis=-1), x)
    assert np.allclose(jac, [[x[1], x[0], 0], [0, 0, np.exp(x[2])]], rtol=1e-10)


def test_the_batch_contract_is_enforced():
    with pytest.raises(ValueError, match="batch contract"):
        numeric_gradient(lambda v: float(np.sum(v)), np.ones(3))
