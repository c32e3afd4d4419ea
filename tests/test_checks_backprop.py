"""The notebook-05 backward-pass checker, beyond the contract of tests/test_checks.py: the cases are what the
exercise promises, the gradient check separates right from wrong by a wide margin, the feedback quotes it, and
the notebook's reference solution (an independent loop, not network.backward) passes."""

import numpy as np
import pytest

from regcourse import gradcheck, network
from regcourse.checks import backprop as checks


def solution(Y, params, cache, lambd):
    """The reference solution shown in notebook 05, written out."""
    L, m = len(params) // 2, Y.shape[1]
    grads = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        W, A_prev = params[f"W{l}"], cache[f"A{l - 1}"]
        grads[f"dW{l}"] = dZ @ A_prev.T / m + lambd / m * W
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:
            dZ = (W.T @ dZ) * (A_prev > 0)
    return grads


def relative_differences(student):
    """The gradient-check relative difference of student's gradients on each case."""
    out = []
    for Y, params, cache, lambd in checks.BACKWARD_L2.make_cases():
        X = cache["A0"]
        grads = student(Y, params, cache, lambd)
        out.append(gradcheck.gradient_check(lambda p: network.cost(X, Y, p, lambd=lambd).total, params, grads))
    return out


def test_the_notebook_solution_passes():
    assert checks.check_backward_l2(solution).passed


def test_cases_are_trained_networks_with_nonzero_biases_and_a_square_layer():
    cases = checks.BACKWARD_L2.make_cases()
    shapes = [params[f"W{l}"].shape for _, params, _, _ in cases for l in range(1, len(params) // 2 + 1)]
    assert any(r == c for r, c in shapes) and any(r != c for r, c in shapes)
    for Y, params, cache, lambd in cases:
        assert lambd > 0 and set(np.unique(Y)) == {0.0, 1.0}
        assert all(np.all(params[key] != 0) for key in params if key.startswith("b"))
        assert sorted(cache) == sorted([f"A{l}" for l in range(len(params) // 2 + 1)] +
                                       [f"Z{l}" for l in range(1, len(params) // 2 + 1)])


def test_the_gradient_check_separates_right_from_every_slip_by_a_wide_margin():
    assert max(relative_differences(checks.backward_l2_reference)) < checks.GRADCHECK_TOL / 100
    for hint, slip in checks.MISTAKES.items():
        if slip is checks._transposed:
            continue     # a different shape: told before any gradient check
        assert min(relative_differences(slip)) > 1000 * checks.GRADCHECK_TOL, hint


def test_the_feedback_quotes_the_gradient_check():
    message = checks.check_backward_l2(checks.MISTAKES[next(iter(checks.MISTAKES))]).message
    assert message.startswith("backward_l2 on a [2, 4, 3, 1] network (30 examples, λ = 5) fails the gradient check: "
                              "relative difference ")
    quoted = float(message.split("relative difference ")[1].split(",")[0])
    assert quoted == pytest.approx(relative_differences(checks.MISTAKES[next(iter(checks.MISTAKES))])[0], rel=0.05)
    assert "dW1, dW2, dW3 are off" in message


def test_a_transposed_penalty_on_the_square_layer_only_is_caught_by_value():
    def square_transposed(Y, params, cache, lambd):
        grads = solution(Y, params, cache, lambd)
        m = Y.shape[1]
        for l in range(1, len(params) // 2 + 1):
            W = params[f"W{l}"]
            if W.shape[0] == W.shape[1]:
                grads[f"dW{l}"] = grads[f"dW{l}"] - lambd / m * W + lambd / m * W.T
        return grads
    feedback = checks.check_backward_l2(square_transposed)
    assert not feedback.passed
    assert feedback.message.startswith("backward_l2 on a [3, 4, 4, 1] network") and "dW2 is off" in feedback.message


def test_a_missing_gradient_and_a_wrong_bias_shape_are_named():
    def no_db1(Y, params, cache, lambd):
        grads = solution(Y, params, cache, lambd)
        del grads["db1"]
        return grads
    assert "where a dict of gradients with keys dW1, db1, dW2, db2, dW3, db3 was expected" in \
        checks.check_backward_l2(no_db1).message

    def flat_db(Y, params, cache, lambd):
        grads = solution(Y, params, cache, lambd)
        return {key: (g.ravel() if key.startswith("db") else g) for key, g in grads.items()}
    assert checks.check_backward_l2(flat_db).message.startswith("backward_l2 returned db1 of shape (4,) where shape "
                                                                "(4, 1) was expected")


def test_changing_the_cache_in_place_is_reported():
    def in_place(Y, params, cache, lambd):
        grads = solution(Y, params, cache, lambd)
        cache[f"A{len(params) // 2}"] -= Y
        return grads
    assert checks.check_backward_l2(in_place).message == ("backward_l2 changed its input `cache`; a function should "
                                                          "not modify its arguments.")
