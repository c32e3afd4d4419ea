"""The notebook-01 checkers: right answers pass, each likely slip is named, stubs are spotted."""

import numpy as np
import pytest

from regcourse import network
from regcourse.checks import Feedback
from regcourse.checks.overfitting import (ACCURACY_MISTAKES, COUNT_CASES, COUNT_MISTAKES, _accuracy_cases,
                                          accuracy_reference, check_accuracy, check_count_parameters,
                                          count_parameters_reference)


def stub(*args):
    raise NotImplementedError  # your code here


# --- the references agree with the package and with hand-worked numbers --------------------------

def test_accuracy_reference_matches_the_package_threshold():
    fit = network.train(np.array([[0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 1.0, 0.0]]), np.array([[0.0, 1.0, 0.0, 1.0]]),
                        [2, 3, 1], num_iterations=5, seed=0)
    X, Y = np.array([[0.5, -1.0, 2.0], [1.5, 0.2, -0.3]]), np.array([[1.0, 0.0, 0.0]])
    assert accuracy_reference(fit.predict_proba(X), Y) == pytest.approx(fit.accuracy(X, Y))


def test_hand_worked_values():
    # predictions 1, 0, 1, 0 against labels 1, 1, 1, 0: three of four agree
    assert accuracy_reference(np.array([[0.9, 0.2, 0.51, 0.49]]), np.array([[1.0, 1.0, 1.0, 0.0]])) == 0.75
    # [2, 50, 50, 1]: (50*2 + 50) + (50*50 + 50) + (1*50 + 1) = 150 + 2550 + 51 = 2751
    assert count_parameters_reference([2, 50, 50, 1]) == 2751
    assert count_parameters_reference([5, 1]) == 6


def test_count_reference_matches_initialized_networks():
    for (dims,) in COUNT_CASES:
        params = network.initialize(dims, seed=0)
        assert count_parameters_reference(dims) == sum(p.size for p in params.values())


# --- correct answers pass -------------------------------------------------------------------------

def accuracy_loop(A, Y):
    correct = 0
    for i in range(Y.shape[1]):
        prediction = 1.0 if A[0, i] > 0.5 else 0.0
        correct += prediction == Y[0, i]
    return correct / Y.shape[1]


def count_loop(layer_dims):
    total = 0
    for l in range(1, len(layer_dims)):
        total += layer_dims[l] * layer_dims[l - 1]   # W[l]
        total += layer_dims[l]                        # b[l]
    return total


def test_correct_answers_pass():
    for feedback in (check_accuracy(accuracy_loop),
                     check_accuracy(lambda A, Y: np.mean((A > 0.5).astype(float) == Y)),
                     check_accuracy(lambda A, Y: np.sum(np.round(A) == Y) / Y.shape[1]),
                     check_count_parameters(count_loop),
                     check_count_parameters(lambda dims: sum(p.size for p in network.initialize(dims).values()))):
        assert isinstance(feedback, Feedback)
        assert feedback.passed, feedback
        assert repr(feedback).startswith("✔") and "is correct on" in repr(feedback)



def test_crash_and_non_function_are_reported_in_one_sentence():
    feedback = check_accuracy(lambda A, Y: A[5, 5])
    assert not feedback.passed and "raised IndexError" in feedback.message
    assert "should be a function" in check_count_parameters(2751).message


# --- each listed slip is named --------------------------------------------------------------------

ACCURACY_SLIPS = {
    "compare the probabilities A with Y directly": lambda A, Y: np.mean(A == Y),
    "return the number of correct predictions": lambda A, Y: np.sum((A > 0.5) == Y),
    "return a percentage": lambda A, Y: 100 * np.mean((A > 0.5) == Y),
    "return the error rate": lambda A, Y: np.mean((A > 0.5) != Y),
    "flip the threshold": lambda A, Y: np.mean((A < 0.5) == Y),
    "arrays of different shapes": lambda A, Y: np.mean((A.T > 0.5) == Y),
}


@pytest.mark.parametrize("hint", list(ACCURACY_SLIPS))
def test_accuracy_slips_are_named(hint):
    feedback = check_accuracy(ACCURACY_SLIPS[hint])
    assert not feedback.passed
    assert hint in feedback.message, feedback.message


COUNT_SLIPS = {
    "forget the biases": lambda d: sum(d[l] * d[l - 1] for l in range(1, len(d))),
    "n[l-1] biases": lambda d: sum(d[l] * d[l - 1] + d[l - 1] for l in range(1, len(d))),
    "stop one layer early": lambda d: sum(d[l] * d[l - 1] + d[l] for l in range(1, len(d) - 1)),
    "input layer parameters": lambda d: sum(d[l] * d[l - 1] + d[l] for l in range(1, len(d))) + d[0],
    "count units": lambda d: sum(d),
    "add the layer sizes": lambda d: sum(d[l] + d[l - 1] + d[l] for l in range(1, len(d))),
}


@pytest.mark.parametrize("hint", list(COUNT_SLIPS))
def test_count_slips_are_named(hint):
    feedback = check_count_parameters(COUNT_SLIPS[hint])
    assert not feedback.passed
    assert hint in feedback.message, feedback.message


# --- the checks are well posed ---------------------------------------------------------------------

def test_accuracy_cases_have_no_ties_and_mixed_results():
    for A, Y in _accuracy_cases():
        assert A.shape == Y.shape and A.shape[0] == 1
        assert np.all(np.abs(A - 0.5) > 0.04)
        assert 0.0 < accuracy_reference(A, Y) < 1.0
        assert set(np.unique(Y)) <= {0.0, 1.0}


@pytest.mark.parametrize("mistakes, cases, reference", [
    (ACCURACY_MISTAKES, _accuracy_cases(), accuracy_reference),
    (COUNT_MISTAKES, COUNT_CASES, count_parameters_reference),
])
def test_every_mistake_differs_from_the_reference_and_from_each_other(mistakes, cases, reference):
    args = tuple(cases[0])
    expected = reference(*args)
    slips = [float(slip(*args)) for slip in mistakes.values()]
    for slip in slips:
        assert not np.isclose(slip, expected)
    for i, a in enumerate(slips):
        for b in slips[i + 1:]:
            assert not np.isclose(a, b)


def test_the_checker_does_not_let_the_student_change_its_inputs():
    def destructive(A, Y):
        result = accuracy_reference(A, Y)
        A[:] = 0.0
        return result

    assert check_accuracy(destructive).passed
    assert check_accuracy(destructive).passed
