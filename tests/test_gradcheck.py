"""regcourse.gradcheck: the checker itself is checked on functions whose gradients are known exactly.

(The checks of the course's costs live beside them, in test_network.py and test_logistic.py.)
"""

import numpy as np
import pytest

from regcourse import gradcheck

rng = np.random.default_rng(0)
W = rng.standard_normal((3, 4))
b = rng.standard_normal((3, 1))


def quadratic(p):
    # J = sum W^2 + 3 sum b: dJ/dW = 2W, dJ/db = 3
    return np.sum(p["W"] ** 2) + 3 * np.sum(p["b"])


def test_numerical_gradient_of_a_quadratic():
    grads = gradcheck.numerical_gradient(quadratic, {"W": W, "b": b})
    assert sorted(grads) == ["dW", "db"]
    # a centred difference is exact for a quadratic up to rounding: error ~ 1e-16 / 1e-6
    np.testing.assert_allclose(grads["dW"], 2 * W, rtol=0, atol=1e-8)
    np.testing.assert_allclose(grads["db"], 3.0, rtol=0, atol=1e-8)


def test_the_error_of_a_centred_difference_is_of_order_eps_squared():
    # (sin(x + e) - sin(x - e)) / 2e = cos(x) sin(e) / e ~ cos(x) (1 - e^2 / 6)
    x, eps = 0.7, 1e-3
    grads = gradcheck.numerical_gradient(lambda p: np.sin(p["x"]).sum(), {"x": np.array([x])}, eps=eps)
    error = np.cos(x) - grads["dx"][0]
    assert error == pytest.approx(np.cos(x) * eps ** 2 / 6, rel=1e-3)


def test_numerical_gradient_leaves_params_alone():
    params = {"W": W.copy(), "b": b.copy()}
    gradcheck.numerical_gradient(quadratic, params)
    np.testing.assert_array_equal(params["W"], W)
    np.testing.assert_array_equal(params["b"], b)


def test_gradient_check_passes_the_right_gradient_and_fails_wrong_ones():
    params = {"W": W, "b": b}
    right = {"dW": 2 * W, "db": np.full_like(b, 3.0)}
    assert gradcheck.gradient_check(quadratic, params, right) < 1e-9
    # the classic slips: a factor 2 too small, a sign, a transposed entry
    half = {"dW": W, "db": right["db"]}
    flipped = {"dW": -2 * W, "db": right["db"]}
    swapped = {"dW": (2 * W)[:, ::-1], "db": right["db"]}
    for wrong in (half, flipped, swapped):
        assert gradcheck.gradient_check(quadratic, params, wrong) > 0.05


def test_relative_difference_hand_worked():
    a = np.array([3.0, 4.0])  # ||a|| = 5
    assert gradcheck.relative_difference(a, a) == 0.0
    assert gradcheck.relative_difference(a, -a) == 1.0  # ||2a|| / (5 + 5)
    assert gradcheck.relative_difference(a, np.zeros(2)) == 1.0  # 5 / (5 + 0)
    assert gradcheck.relative_difference(a, 2 * a) == pytest.approx(1 / 3, rel=1e-15)  # 5 / (5 + 10)
    assert gradcheck.relative_difference(np.zeros(2), np.zeros(2)) == 0.0
    # dicts compare key by key, whatever the order the keys were written in
    d1 = {"dW": np.array([[3.0]]), "db": np.array([[4.0]])}
    d2 = {"db": np.array([[4.0]]), "dW": np.array([[3.0]])}
    assert gradcheck.relative_difference(d1, d2) == 0.0
