"""The notebook-02 checkers: right answers pass, each likely slip is named, stubs are spotted."""

import numpy as np
import pytest

from regcourse import logistic
from regcourse.checks import Feedback
from regcourse.checks.logistic_l2 import (L2_COST_MISTAKES, L2_GRADIENT_MISTAKES, _cases, check_l2_cost,
                                          check_l2_gradients, l2_cost_reference, l2_gradients_reference)


def stub(*args):
    raise NotImplementedError  # your code here


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


# --- the references agree with the package and with hand-worked numbers --------------------------

def test_references_match_the_package():
    for w, b, X, Y, lambd in _cases():
        assert l2_cost_reference(w, b, X, Y, lambd) == pytest.approx(logistic.cost(w, b, X, Y, lambd).total,
                                                                      rel=1e-12)
        dw, db = l2_gradients_reference(w, b, X, Y, lambd)
        dw_pkg, db_pkg = logistic.gradients(w, b, X, Y, lambd)
        np.testing.assert_allclose(dw, dw_pkg, rtol=1e-12)
        assert db == pytest.approx(db_pkg, rel=1e-12)


def test_hand_worked_values():
    # w = 0, b = 0: every yhat = 1/2, the loss is log 2 whatever the labels, and the penalty is 0
    w, X, Y = np.zeros((2, 1)), np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[1.0, 0.0]])
    assert l2_cost_reference(w, 0.0, X, Y, 5.0) == pytest.approx(np.log(2))
    # w = (3, 4): wᵀw = 25, (λ/2m) wᵀw = 2 / 4 * 25 = 12.5 on top of the data loss
    w = np.array([[3.0], [4.0]])
    data = np.mean(-(Y * np.log(sigmoid(w.T @ X)) + (1 - Y) * np.log(1 - sigmoid(w.T @ X))))
    assert l2_cost_reference(w, 0.0, X, Y, 2.0) == pytest.approx(data + 12.5)
    # the penalty's gradient (λ/m) w = (2 / 2) * (3, 4) = (3, 4) on top of the data gradient
    dw0, db0 = l2_gradients_reference(w, 0.0, X, Y, 0.0)
    dw2, db2 = l2_gradients_reference(w, 0.0, X, Y, 2.0)
    np.testing.assert_allclose(dw2 - dw0, [[3.0], [4.0]])
    assert db2 == db0


def test_gradient_reference_is_the_derivative_of_the_cost_reference():
    w, b, X, Y, lambd = _cases()[1]
    dw, db = l2_gradients_reference(w, b, X, Y, lambd)
    eps = 1e-6
    for j in range(w.shape[0]):
        step = np.zeros_like(w)
        step[j] = eps
        numeric = (l2_cost_reference(w + step, b, X, Y, lambd) - l2_cost_reference(w - step, b, X, Y, lambd)) / (2 * eps)
        assert numeric == pytest.approx(dw[j, 0], abs=1e-8)
    numeric_b = (l2_cost_reference(w, b + eps, X, Y, lambd) - l2_cost_reference(w, b - eps, X, Y, lambd)) / (2 * eps)
    assert numeric_b == pytest.approx(db, abs=1e-8)


# --- correct answers pass -------------------------------------------------------------------------

def cost_by_hand(w, b, X, Y, lambd):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cross_entropy = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return cross_entropy + lambd / (2 * m) * np.sum(np.square(w))


def gradients_by_hand(w, b, X, Y, lambd):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    dw = np.dot(X, (A - Y).T) / m + lambd / m * w
    db = np.sum(A - Y) / m
    return dw, db


def test_correct_answers_pass():
    for feedback in (check_l2_cost(cost_by_hand),
                     check_l2_cost(lambda w, b, X, Y, lambd: logistic.cost(w, b, X, Y, lambd).total),
                     check_l2_gradients(gradients_by_hand),
                     check_l2_gradients(lambda *args: logistic.gradients(*args)),
                     check_l2_gradients(lambda *args: list(gradients_by_hand(*args))),
                     check_l2_gradients(lambda *args: (gradients_by_hand(*args)[0],
                                                       np.array([[gradients_by_hand(*args)[1]]])))):
        assert isinstance(feedback, Feedback)
        assert feedback.passed, feedback
        assert repr(feedback).startswith("✔") and "is correct on 4 fresh test cases" in repr(feedback)



@pytest.mark.parametrize("check", [check_l2_cost, check_l2_gradients])
def test_crash_and_non_function_are_reported_in_one_sentence(check):
    feedback = check(lambda w, b, X, Y, lambd: w @ X)    # (n_x, 1) @ (n_x, m): shapes do not match
    assert not feedback.passed and "raised ValueError" in feedback.message
    assert "should be a function" in check(0.5).message


# --- each listed slip is named --------------------------------------------------------------------

def cost_slip(w, b, X, Y, lambd, *, data="mean", penalty=None):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    losses = -(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return (np.sum(losses) if data == "sum" else np.mean(losses)) + penalty(w, b, lambd, m)


COST_SLIPS = {
    "divide by m instead of 2m": lambda *a: cost_slip(*a, penalty=lambda w, b, l, m: l / m * np.sum(w ** 2)),
    "penalize b": lambda *a: cost_slip(*a, penalty=lambda w, b, l, m: l / (2 * m) * (np.sum(w ** 2) + b ** 2)),
    "sum of the losses instead of their mean": lambda *a: cost_slip(
        *a, data="sum", penalty=lambda w, b, l, m: l / (2 * m) * np.sum(w ** 2)),
    "forget the L2 term": lambda *a: cost_slip(*a, penalty=lambda w, b, l, m: 0.0),
    "forget to divide the L2 term by m": lambda *a: cost_slip(*a, penalty=lambda w, b, l, m: l / 2 * np.sum(w ** 2)),
    "‖w‖ instead of ‖w‖²": lambda *a: cost_slip(*a, penalty=lambda w, b, l, m: l / (2 * m) * np.linalg.norm(w)),
}


@pytest.mark.parametrize("hint", list(COST_SLIPS))
def test_l2_cost_slips_are_named(hint):
    feedback = check_l2_cost(COST_SLIPS[hint])
    assert not feedback.passed
    assert hint in feedback.message, feedback.message


def gradient_slip(w, b, X, Y, lambd, *, w_term, b_term=0.0, per_m=True):
    m = X.shape[1]
    dZ = sigmoid(w.T @ X + b) - Y
    scale = 1 / m if per_m else 1.0
    return X @ dZ.T * scale + w_term(lambd, m) * w, float(np.sum(dZ) * scale + b_term * lambd / m * b)


GRADIENT_SLIPS = {
    "forget the (λ/m) w term": lambda *a: gradient_slip(*a, w_term=lambda l, m: 0.0),
    "penalize b": lambda *a: gradient_slip(*a, w_term=lambda l, m: l / m, b_term=1.0),
    "add (λ/2m) w": lambda *a: gradient_slip(*a, w_term=lambda l, m: l / (2 * m)),
    "forget the 1/m of the data part": lambda *a: gradient_slip(*a, w_term=lambda l, m: l / m, per_m=False),
    "add λ w instead of (λ/m) w": lambda *a: gradient_slip(*a, w_term=lambda l, m: l),
}


@pytest.mark.parametrize("hint", list(GRADIENT_SLIPS))
def test_l2_gradient_slips_are_named(hint):
    feedback = check_l2_gradients(GRADIENT_SLIPS[hint])
    assert not feedback.passed
    assert hint in feedback.message, feedback.message


def test_gradient_feedback_says_which_part_is_wrong():
    only_db = check_l2_gradients(lambda *a: (l2_gradients_reference(*a)[0], 0.0))
    assert not only_db.passed and "returned db = 0 where" in only_db.message
    only_dw = check_l2_gradients(lambda *a: (2 * l2_gradients_reference(*a)[0], l2_gradients_reference(*a)[1]))
    assert not only_dw.passed and "returned dw[" in only_dw.message and "db is off" not in only_dw.message


def test_gradient_shape_and_return_type_mistakes():
    transposed = check_l2_gradients(lambda *a: (l2_gradients_reference(*a)[0].T, l2_gradients_reference(*a)[1]))
    assert not transposed.passed and "transpose it" in transposed.message
    only_dw = check_l2_gradients(lambda *a: l2_gradients_reference(*a)[0])
    assert not only_dw.passed and "should return the pair (dw, db)" in only_dw.message
    db_array = check_l2_gradients(lambda *a: (l2_gradients_reference(*a)[0], np.zeros((1, 3))))
    assert not db_array.passed and "db is one number" in db_array.message


# --- the checks are well posed ---------------------------------------------------------------------

def test_cases_have_a_bias_far_from_zero_and_both_labels():
    for w, b, X, Y, lambd in _cases():
        assert abs(b) > 0.5 and lambd > 0
        assert w.shape == (X.shape[0], 1) and Y.shape == (1, X.shape[1])
        assert set(np.unique(Y)) == {0.0, 1.0}


def test_every_cost_mistake_differs_from_the_reference_and_from_each_other():
    args = _cases()[0]
    expected = l2_cost_reference(*args)
    slips = [slip(*args) for slip in L2_COST_MISTAKES.values()]
    assert not any(np.isclose(s, expected) for s in slips)
    assert all(not np.isclose(a, b) for i, a in enumerate(slips) for b in slips[i + 1:])


def test_every_gradient_mistake_differs_from_the_reference_and_from_each_other():
    args = _cases()[0]
    expected = np.append(*l2_gradients_reference(*args))
    slips = [np.append(*slip(*args)) for slip in L2_GRADIENT_MISTAKES.values()]
    assert not any(np.allclose(s, expected) for s in slips)
    assert all(not np.allclose(a, b) for i, a in enumerate(slips) for b in slips[i + 1:])


def test_the_checker_does_not_let_the_student_change_its_inputs():
    def destructive(w, b, X, Y, lambd):
        result = l2_gradients_reference(w, b, X, Y, lambd)
        w[:] = 0.0
        X[:] = 0.0
        return result

    assert check_l2_gradients(destructive).passed
    assert check_l2_gradients(destructive).passed
