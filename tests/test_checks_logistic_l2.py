"""The notebook-02 checkers, beyond the contract of tests/test_checks.py: the references, other right answers,
which of dw and db is off, the cases."""

import numpy as np
import pytest

from regcourse import logistic
from regcourse.checks import Feedback
from regcourse.checks.logistic_l2 import (L2_COST, check_l2_cost, check_l2_gradients, l2_cost_reference,
                                          l2_gradients_reference)


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


# --- the references agree with the package and with hand-worked numbers --------------------------

def test_references_match_the_package():
    for w, b, X, Y, lambd in L2_COST.make_cases():
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
    w, b, X, Y, lambd = L2_COST.make_cases()[1]
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


# --- which part is off -----------------------------------------------------------------------------

def test_gradient_feedback_says_which_part_is_wrong():
    only_db = check_l2_gradients(lambda *a: (l2_gradients_reference(*a)[0], 0.0))
    assert only_db.message.startswith("l2_gradients returned db = 0 where -0.208746 was expected")
    only_dw = check_l2_gradients(lambda *a: (2 * l2_gradients_reference(*a)[0], l2_gradients_reference(*a)[1]))
    assert only_dw.message.startswith("l2_gradients returned dw[0, 0] = -0.216428 where -0.108214 was expected "
                                      "(all 3 entries are off);")
    both = check_l2_gradients(lambda *a: (2 * l2_gradients_reference(*a)[0], 0.0))
    assert "(all 3 entries are off; db is off too)" in both.message


def test_a_db_that_is_not_one_number_is_reported_by_its_shape():
    feedback = check_l2_gradients(lambda *a: (l2_gradients_reference(*a)[0], np.zeros((1, 3))))
    assert feedback.message.startswith("l2_gradients returned db of shape (1, 3) where one number was expected")


# --- the checks are well posed ---------------------------------------------------------------------

def test_cases_have_a_bias_far_from_zero_and_both_labels():
    for w, b, X, Y, lambd in L2_COST.make_cases():
        assert abs(b) > 0.5 and lambd > 0
        assert w.shape == (X.shape[0], 1) and Y.shape == (1, X.shape[1])
        assert set(np.unique(Y)) == {0.0, 1.0}
