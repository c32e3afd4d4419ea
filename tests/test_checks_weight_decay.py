"""The notebook-05 checkers, beyond the contract of tests/test_checks.py: agreement with the package, the worked
example and its digits, the cases."""

import numpy as np

from regcourse import penalties
from regcourse.checks import weight_decay as checks


# --- decay_factor ------------------------------------------------------------------------------

def test_decay_factor_agrees_with_the_package():
    assert checks.check_decay_factor(penalties.decay_factor).passed


def test_decay_factor_cases_end_with_the_worked_example():
    assert checks.DECAY_FACTOR.make_cases()[-1] == (0.01, 0.01, 10_000)


def test_decay_factor_seed_arithmetic_is_caught():
    # 0.999999 for α = λ = 0.01, m = 10 000 is off by a factor of 100 in the shrinkage: it is
    # exactly 1 - λ/m, the value with α left out
    feedback = checks.check_decay_factor(lambda a, lam, m: 0.999999 if m == 10_000 else 1 - a * lam / m)
    assert not feedback.passed
    assert "did you forget the learning rate α?" in feedback.message
    assert "0.999999 where 0.99999999 was expected" in feedback.message


def test_decay_factor_names_the_call():
    feedback = checks.check_decay_factor(lambda a, lam, m: 1 - lam / m)
    assert feedback.message.startswith("decay_factor(0.773, 14.22, 376) returned ")


# --- decay_update ------------------------------------------------------------------------------

def test_decay_update_agrees_with_network_weight_decay_update():
    from regcourse import network

    def via_network(W, g, a, lam, m):
        params = {"W1": W, "b1": np.zeros((W.shape[0], 1))}
        grads = {"dW1": g, "db1": np.zeros((W.shape[0], 1))}
        return network.weight_decay_update(params, grads, a, lam, m)["W1"]
    assert checks.check_decay_update(via_network).passed


def test_decay_update_wrong_shape_is_reported():
    feedback = checks.check_decay_update(lambda W, g, a, lam, m: ((1 - a * lam / m) * W - a * g).T)
    assert not feedback.passed and "(2, 3)" in feedback.message and "(3, 2)" in feedback.message


def test_checks_do_not_depend_on_global_random_state():
    np.random.seed(1)
    a = checks.DECAY_UPDATE.make_cases()
    np.random.seed(2)
    b = checks.DECAY_UPDATE.make_cases()
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x[0], y[0])
