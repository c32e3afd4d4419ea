"""Checkers of notebook 05: the reference passes, each listed slip is named, a stub is "not written yet"."""

import numpy as np
import pytest

from regcourse import penalties
from regcourse.checks import weight_decay as checks


def stub(*args):
    raise NotImplementedError  # your code here


# --- decay_factor ------------------------------------------------------------------------------

def test_decay_factor_reference_passes():
    feedback = checks.check_decay_factor(lambda a, lam, m: 1 - a * lam / m)
    assert feedback.passed
    assert repr(feedback) == "✔ decay_factor is correct on 4 fresh test cases."


def test_decay_factor_agrees_with_the_package():
    assert checks.check_decay_factor(penalties.decay_factor).passed


def test_decay_factor_cases_end_with_the_worked_example():
    assert checks._decay_factor_cases()[-1] == (0.01, 0.01, 10_000)


@pytest.mark.parametrize("slip, words", [
    (lambda a, lam, m: 1 - a * lam / (2 * m), "did you divide by 2m?"),
    (lambda a, lam, m: 1 - lam / m, "did you forget the learning rate α?"),
    (lambda a, lam, m: 1 + a * lam / m, "check the sign"),
    (lambda a, lam, m: a * lam / m, "you returned the shrinkage"),
])
def test_decay_factor_slips_are_named(slip, words):
    feedback = checks.check_decay_factor(slip)
    assert not feedback.passed
    assert words in feedback.message
    assert feedback.message.count(".") >= 1 and "\n" not in feedback.message


def test_decay_factor_seed_arithmetic_is_caught():
    # 0.999999 for α = λ = 0.01, m = 10 000 is off by a factor of 100 in the shrinkage: it is
    # exactly 1 - λ/m, the value with α left out
    feedback = checks.check_decay_factor(lambda a, lam, m: 0.999999 if m == 10_000 else 1 - a * lam / m)
    assert not feedback.passed
    assert "did you forget the learning rate α?" in feedback.message
    assert "0.999999 where 0.99999999 was expected" in feedback.message


def test_decay_factor_stub_and_errors():
    assert "decay_factor is not written yet" in repr(checks.check_decay_factor(stub))
    feedback = checks.check_decay_factor(lambda a, lam, m: a / undefined_name)  # noqa: F821
    assert not feedback.passed and "NameError" in feedback.message
    assert "should be a function" in checks.check_decay_factor(0.99).message


# --- decay_update ------------------------------------------------------------------------------

def test_decay_update_reference_passes():
    feedback = checks.check_decay_update(lambda W, g, a, lam, m: (1 - a * lam / m) * W - a * g)
    assert feedback.passed, feedback.message


def test_decay_update_agrees_with_network_weight_decay_update():
    from regcourse import network

    def via_network(W, g, a, lam, m):
        params = {"W1": W, "b1": np.zeros((W.shape[0], 1))}
        grads = {"dW1": g, "db1": np.zeros((W.shape[0], 1))}
        return network.weight_decay_update(params, grads, a, lam, m)["W1"]
    assert checks.check_decay_update(via_network).passed


@pytest.mark.parametrize("slip, words", [
    (lambda W, g, a, lam, m: (1 - a * lam / (2 * m)) * W - a * g, "did you divide by 2m?"),
    (lambda W, g, a, lam, m: (1 - lam / m) * W - a * g, "did you forget α in the decay factor?"),
    (lambda W, g, a, lam, m: (1 - a * lam / m) * W - g, "did you forget α in front of dW_bp?"),
    (lambda W, g, a, lam, m: (1 - a * lam / m) * W + a * g, "check the sign of the gradient step"),
    (lambda W, g, a, lam, m: (1 + a * lam / m) * W - a * g, "check the sign of the decay"),
    (lambda W, g, a, lam, m: (1 - a * lam / m) * W, "you returned only the decayed weights"),
])
def test_decay_update_slips_are_named(slip, words):
    feedback = checks.check_decay_update(slip)
    assert not feedback.passed
    assert words in feedback.message


def test_decay_update_wrong_shape_is_reported():
    feedback = checks.check_decay_update(lambda W, g, a, lam, m: ((1 - a * lam / m) * W - a * g).T)
    assert not feedback.passed and "(2, 3)" in feedback.message and "(3, 2)" in feedback.message


def test_decay_update_stub():
    assert "decay_update is not written yet" in repr(checks.check_decay_update(stub))


def test_checks_do_not_depend_on_global_random_state():
    np.random.seed(1)
    a = checks._decay_update_cases()
    np.random.seed(2)
    b = checks._decay_update_cases()
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x[0], y[0])
