"""The notebook-07 checkers, beyond the contract of tests/test_checks.py: the references, other right answers,
the cases."""

import numpy as np
import pytest

from regcourse import network, plots
from regcourse.checks import Feedback
from regcourse.checks.tanh import (COLLAPSE_LINEAR, FRACTION_LINEAR, check_collapse_linear, check_fraction_linear,
                                   collapse_linear_reference, fraction_linear_reference)


# --- the references are right ----------------------------------------------------------------------

def test_fraction_reference_matches_the_package_and_a_hand_count():
    for Z, band in FRACTION_LINEAR.make_cases():
        assert fraction_linear_reference(Z, band) == pytest.approx(plots.linear_fraction(Z, band))
    # |z| <= 0.5 holds for -0.5, 0.2, 0.5 (the edges count) but not for -0.75 or 2: 3 of 5
    assert fraction_linear_reference(np.array([[-0.5, 0.2, 0.5, -0.75, 2.0]]), 0.5) == pytest.approx(0.6)


def test_the_cases_put_values_on_the_band_edge():
    assert any(np.any(np.abs(Z) == band) for Z, band in FRACTION_LINEAR.make_cases())


def linear_forward(X, params):
    A = X
    for l in range(1, len(params) // 2 + 1):
        A = params[f"W{l}"] @ A + params[f"b{l}"]
    return A


def test_collapse_reference_equals_the_stack_of_linear_layers():
    for (params,) in COLLAPSE_LINEAR.make_cases():
        W, b = collapse_linear_reference(params)
        n_x = params["W1"].shape[1]
        X = np.random.default_rng(n_x).normal(size=(n_x, 7))
        assert W.shape == (params[f"W{len(params) // 2}"].shape[0], n_x) and b.shape == (W.shape[0], 1)
        np.testing.assert_allclose(W @ X + b, linear_forward(X, params), rtol=1e-12, atol=1e-12)


def test_collapse_hand_worked():
    # W1 = [[1, 2]], b1 = [[1]]; W2 = [[3]], b2 = [[-1]]: W = 3 [1 2] = [3 6], b = 3 * 1 - 1 = 2
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[1.0]]),
              "W2": np.array([[3.0]]), "b2": np.array([[-1.0]])}
    W, b = collapse_linear_reference(params)
    np.testing.assert_array_equal(W, [[3.0, 6.0]])
    np.testing.assert_array_equal(b, [[2.0]])


def test_collapse_works_on_a_trained_network_slice():
    params = network.initialize([2, 5, 4, 1], activation="tanh", seed=3)
    W, b = collapse_linear_reference(params)
    assert W.shape == (1, 2) and b.shape == (1, 1)


# --- correct answers pass --------------------------------------------------------------------------

def fraction_loops(Z, band):
    inside = sum(1 for z in np.ravel(Z) if -band <= z <= band)
    return inside / np.size(Z)


def collapse_by_probing(params):
    """Another correct way: f(x) = W x + b, so b = f(0) and the columns of W are f(e_j) - f(0)."""
    n_x = params["W1"].shape[1]
    b = linear_forward(np.zeros((n_x, 1)), params)
    W = linear_forward(np.eye(n_x), params) - b
    return W, b


def collapse_backwards(params):
    L = len(params) // 2
    W, b = params[f"W{L}"], params[f"b{L}"]
    for l in range(L - 1, 0, -1):
        b = W @ params[f"b{l}"] + b
        W = W @ params[f"W{l}"]
    return W, b


@pytest.mark.parametrize("check, answer", [
    (check_fraction_linear, fraction_loops),
    (check_fraction_linear, lambda Z, band: np.count_nonzero(np.abs(Z) <= band) / Z.size),
    (check_fraction_linear, plots.linear_fraction),
    (check_collapse_linear, collapse_by_probing),
    (check_collapse_linear, collapse_backwards),
])
def test_correct_answers_pass(check, answer):
    feedback = check(answer)
    assert isinstance(feedback, Feedback)
    assert feedback.passed, feedback
    assert repr(feedback).startswith("✔") and "is correct on 4 fresh test cases" in repr(feedback)


# --- feedback --------------------------------------------------------------------------------------

def test_wrong_order_of_the_product_reports_the_error_in_one_line():
    def wrong_order(params):
        W, b = params["W1"], params["b1"]
        for l in range(2, len(params) // 2 + 1):
            W = W @ params[f"W{l}"]
            b = params[f"W{l}"] @ b + params[f"b{l}"]
        return W, b

    feedback = check_collapse_linear(wrong_order)
    assert not feedback.passed and "collapse_linear raised ValueError" in feedback.message


def test_an_unknown_wrong_answer_points_to_the_formula():
    feedback = check_fraction_linear(lambda Z, band: 0.123)
    assert not feedback.passed and "compare your code with the formula above" in feedback.message
