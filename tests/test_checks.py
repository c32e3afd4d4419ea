"""The exercise-check engine, and what every checker of every notebook owes a student.

Each checker module (regcourse.checks.<concept>) has its own tests for its slips; the behaviour
common to all of them is checked here once, for every `check_*` function found.
"""

import importlib
import pkgutil

import numpy as np
import pytest

import regcourse.checks as checks
from regcourse.checks import Feedback, call_student, check_function


def all_checkers():
    found = []
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"regcourse.checks.{info.name}")
        found += [getattr(module, name) for name in sorted(vars(module))
                  if name.startswith("check_") and callable(getattr(module, name))
                  and getattr(module, name).__module__ == module.__name__]
    return found


CHECKERS = all_checkers()


def test_every_notebook_module_has_checkers():
    modules = {c.__module__.rsplit(".", 1)[1] for c in CHECKERS}
    assert modules == {"overfitting", "logistic_l2", "l1", "frobenius", "weight_decay", "hidden_units",
                       "tanh", "tuning"}
    assert len(CHECKERS) >= 16


def stub(*args):
    raise NotImplementedError  # your code here


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_stub_says_not_written_yet_in_one_sentence(check):
    feedback = check(stub)
    assert isinstance(feedback, Feedback) and not feedback.passed
    assert "is not written yet" in feedback.message
    assert repr(feedback).startswith("✘") and "\n" not in repr(feedback)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_a_value_instead_of_a_function_is_named(check):
    feedback = check(0.5)
    assert not feedback.passed and "should be a function" in feedback.message


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_a_crash_is_one_sentence_with_its_type(check):
    def broken(*args):
        return {}["missing"]
    feedback = check(broken)
    assert not feedback.passed and "raised KeyError" in feedback.message and "\n" not in repr(feedback)


# --- the engine -------------------------------------------------------------------------------------

def reference(w, m):
    return float(w @ w) / (2 * m)


CASES = [(np.array([1.0, 2.0, 3.0]), 5)]  # w.w = 14, so the reference is 14 / 10 = 1.4


def test_right_answer_passes_and_counts_cases():
    feedback = check_function(lambda w, m: np.sum(w ** 2) / (2 * m), reference, CASES * 3, name="l2")
    assert feedback and repr(feedback) == "✔ l2 is correct on 3 fresh test cases."


def test_a_known_slip_is_named():
    slips = {"did you divide by m instead of 2m?": lambda w, m: float(w @ w) / m}
    feedback = check_function(lambda w, m: float(w @ w) / m, reference, CASES, name="l2", mistakes=slips)
    assert not feedback
    assert feedback.message == "l2 returned 2.8 where 1.4 was expected — did you divide by m instead of 2m?"


def test_an_unknown_slip_points_back_to_the_formula():
    feedback = check_function(lambda w, m: 0.0, reference, CASES, name="l2")
    assert "returned 0 where 1.4 was expected; compare your code" in feedback.message


def test_enough_digits_to_see_the_gap():
    # seed 001's decay factor 0.999999 against the right 1 - 1e-8: six digits would print both as 1
    feedback = check_function(lambda: 0.999999, lambda: 1 - 1e-8, [()], name="decay_factor")
    assert "returned 0.999999 where 0.99999999 was expected" in feedback.message


def test_wrong_shape_is_reported_as_shapes():
    feedback = check_function(lambda: np.ones((1, 3)), lambda: np.ones((3, 1)), [()], name="dw")
    assert "an array of shape (1, 3) where an array of shape (3, 1) was expected" in feedback.message


def test_student_gets_copies_so_cannot_corrupt_the_cases():
    w = np.array([1.0, 2.0])

    def vandal(x):
        x[:] = 0.0
        return 0.0
    got, trouble = call_student(vandal, (w,), "vandal")
    assert trouble is None and got == 0.0 and w.tolist() == [1.0, 2.0]
