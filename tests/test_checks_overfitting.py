"""The notebook-01 checkers, beyond the contract of tests/test_checks.py: the references, other right answers,
slips a hint must cover, the mutation trick of issue 10, the cases."""

import numpy as np
import pytest

from regcourse import network
from regcourse.checks import Feedback
from regcourse.checks.overfitting import (ACCURACY, NETWORKS, accuracy_reference, check_accuracy,
                                          check_count_parameters, count_parameters_reference)


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
    for dims in NETWORKS:
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


# --- slips a hint must cover, and the mutation trick --------------------------------------------------

def test_a_flipped_threshold_is_named_with_the_error_rate():
    feedback = check_accuracy(lambda A, Y: np.mean((A < 0.5) == Y))
    assert "did you return the error rate, or flip the threshold?" in feedback.message


def forgets_biases(layer_dims):
    return sum(layer_dims[l] * layer_dims[l - 1] for l in range(1, len(layer_dims)))


def test_a_function_that_changes_layer_dims_cannot_corrupt_the_next_check():
    # issue 10: the right count, then layer_dims.pop(): this used to shorten the module's own cases, so
    # that forgets_biases then passed on the corrupted ones
    feedback = check_count_parameters(lambda d: (count_parameters_reference(list(d)), d.pop())[0])
    assert repr(feedback) == ("✘ count_parameters changed its input `layer_dims`; a function should not modify "
                              "its arguments.")
    assert check_count_parameters(forgets_biases).message == (
        "count_parameters returned 2650 where 2751 was expected — did you forget the biases? Each layer l also "
        "has b[l], of shape (n[l], 1): n[l] more numbers.")


def test_a_count_must_be_exact():
    assert not check_count_parameters(lambda dims: count_parameters_reference(dims) + 1e-6).passed


# --- the checks are well posed ---------------------------------------------------------------------

def test_accuracy_cases_have_no_ties_and_mixed_results():
    for A, Y in ACCURACY.make_cases():
        assert A.shape == Y.shape and A.shape[0] == 1
        assert np.all(np.abs(A - 0.5) > 0.04)
        assert 0.0 < accuracy_reference(A, Y) < 1.0
        assert set(np.unique(Y)) <= {0.0, 1.0}
