"""The notebook-08 checkers, beyond the contract of tests/test_checks.py: the references, other right answers,
the wording of a regime verdict, the cases."""

import numpy as np
import pytest

from regcourse.checks import Feedback
from regcourse.checks.tuning import (CHOOSE_LAMBDA, REGIME_CASES, REGIME_MISTAKES, check_choose_lambda, check_regime,
                                     choose_lambda_reference, regime_reference)


# --- the references are right ----------------------------------------------------------------------

def test_choose_lambda_hand_worked():
    # dev errors 0.3, 0.2, 0.2, 0.4 for λ = 0, 0.1, 1, 10: tie between 0.1 and 1 -> the larger, 1
    assert choose_lambda_reference(np.array([0.0, 0.1, 1.0, 10.0]), np.array([0.3, 0.2, 0.2, 0.4])) == 1.0
    # one clear minimum
    assert choose_lambda_reference([0.0, 0.1, 1.0], [0.3, 0.1, 0.2]) == 0.1
    # unsorted grid: the tie is between 3 and 0.3 -> 3
    assert choose_lambda_reference([3.0, 0.0, 0.3], [0.1, 0.5, 0.1]) == 3.0


def test_the_cases_contain_ties_and_an_unsorted_grid():
    cases = CHOOSE_LAMBDA.make_cases()
    assert any(np.sum(dev == dev.min()) > 1 for _, dev in cases)
    assert any(np.any(np.diff(lambdas) < 0) for lambdas, _ in cases)


@pytest.mark.parametrize("args, expected", [
    ((0.04, 0.25, 0.10), "overfitting"),     # memorized the noise
    ((0.45, 0.48, 0.10), "underfitting"),    # cannot even fit the training set
    ((0.11, 0.13, 0.10), "just right"),
    ((0.12, 0.06, 0.10), "just right"),      # dev below train: luck, not overfitting
])
def test_regime_hand_worked(args, expected):
    assert regime_reference(*args) == expected


# --- correct answers pass --------------------------------------------------------------------------

def choose_by_loop(lambdas, dev_errors):
    best_lambd, best_err = None, None
    for lambd, err in zip(lambdas, dev_errors):
        if best_err is None or err < best_err or (err == best_err and lambd > best_lambd):
            best_lambd, best_err = lambd, err
    return best_lambd


def choose_by_sorting(lambdas, dev_errors):
    order = np.lexsort((-np.asarray(lambdas), dev_errors))   # by error, then by λ descending
    return float(np.asarray(lambdas)[order[0]])


def regime_written_differently(train_error, dev_error, base_error, tolerance=0.03):
    bias = train_error - base_error
    variance = dev_error - train_error
    return "underfitting" if bias > tolerance else ("overfitting" if variance > tolerance else "just right")


@pytest.mark.parametrize("answer", [choose_by_loop, choose_by_sorting, choose_lambda_reference])
def test_correct_choose_lambda_passes(answer):
    feedback = check_choose_lambda(answer)
    assert isinstance(feedback, Feedback)
    assert feedback.passed, feedback
    assert repr(feedback).startswith("✔") and "is correct on 4 fresh test cases" in repr(feedback)


@pytest.mark.parametrize("answer", [regime_written_differently, regime_reference,
                                    lambda t, d, b, tol=0.03: regime_reference(t, d, b, tol).upper()])
def test_correct_regime_passes(answer):
    feedback = check_regime(answer)
    assert feedback.passed, feedback
    assert repr(feedback) == f"✔ regime is correct on {len(REGIME_CASES)} test cases."


# --- the wording of a regime verdict ----------------------------------------------------------------

def test_regime_verdicts_show_the_call():
    feedback = check_regime(REGIME_MISTAKES[next(iter(REGIME_MISTAKES))])
    assert feedback.message.startswith("regime(0.49, 0.55, 0.1, 0.03) returned 'overfitting' where 'underfitting' "
                                       "was expected — did you test for overfitting first?")


def test_regime_answers_that_are_not_a_regime_name():
    for answer in (1, "high variance"):
        assert check_regime(lambda *a: answer).message.endswith(
            "— return one of the strings 'underfitting', 'overfitting', 'just right'.")


def test_regime_unknown_wrong_answer_points_to_the_rules():
    feedback = check_regime(lambda *a: "just right")
    assert feedback.message.endswith("; compare your code with the two rules above.")
