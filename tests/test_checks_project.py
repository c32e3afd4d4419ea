"""The mini-project checker of notebook 08, beyond the contract of tests/test_checks.py: the sealed test set
answers once, a peek is named, correct answers written differently pass, the cases keep every slip apart."""

import copy

import numpy as np
import pytest

from regcourse import network
from regcourse.checks.project import (CHOOSE_AND_REPORT, SealedTestSet, TestSetAlreadyOpened,
                                      check_choose_and_report, choose_and_report_reference)


# --- the sealed test set ---------------------------------------------------------------------------

def test_a_sealed_test_set_answers_once():
    sealed = SealedTestSet([0.0, 0.1, 1.0], [0.3, 0.2, 0.25])
    assert repr(sealed) == "SealedTestSet(3 values of λ, unopened)"
    assert sealed(1.0) == 0.25
    assert repr(sealed) == "SealedTestSet(3 values of λ, opened for λ = 1)"
    with pytest.raises(TestSetAlreadyOpened, match="already opened once, for λ = 1;"):
        sealed(0.1)
    with pytest.raises(TestSetAlreadyOpened):
        sealed(1.0)          # even for the same λ


def test_a_lambda_outside_the_grid_is_named():
    sealed = SealedTestSet([0.0, 0.1, 1.0], [0.3, 0.2, 0.25])
    with pytest.raises(ValueError, match=r"open_test got λ = 2, which is not one of the trained λ \(0, 0.1, 1\)"):
        sealed(2)
    assert sealed(0.1) == 0.2        # a refused call does not open it


def test_anything_but_one_number_is_refused():
    sealed = SealedTestSet([0.0, 0.1, 1.0], [0.3, 0.2, 0.25])
    for wrong in ([0.0, 0.1], np.array([1.0]), "1", True):
        with pytest.raises(TypeError, match="open_test takes one λ, a number from lambdas, but got "):
            sealed(wrong)
    assert sealed(np.float64(0.1)) == 0.2 and sealed.opened_for == 0.1


def test_bad_construction_is_named():
    with pytest.raises(ValueError, match="one error per λ"):
        SealedTestSet([0.0, 1.0], [0.1])
    with pytest.raises(ValueError, match="empty"):
        SealedTestSet([], [])


def test_a_copy_is_equal_and_sealed_on_its_own():
    sealed = SealedTestSet([0.0, 1.0], [0.3, 0.2])
    copied = copy.deepcopy(sealed)
    assert copied == sealed
    copied(0.0)
    assert copied == sealed and sealed(1.0) == 0.2       # opening one does not open the other
    assert SealedTestSet([0.0, 1.0], [0.3, 0.1]) != sealed


def test_from_fit_measures_only_the_network_asked_for():
    X = np.array([[0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 1.0, 0.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    fit = network.train(X, Y, [2, 3, 1], lambd=np.array([0.0, 0.1, 1.0]), learning_rate=0.5, num_iterations=20,
                        seed=0)
    expected = 1 - fit.accuracy(X, Y)
    for k, lambd in enumerate(fit.lambd):
        assert SealedTestSet.from_fit(fit, X, Y)(lambd) == pytest.approx(expected[k])


# --- the checker -----------------------------------------------------------------------------------

def peeks_at_every_test_error(lambdas, train_errors, dev_errors, open_test):
    tests = [open_test(lambd) for lambd in lambdas]
    k = int(np.argmin(tests))
    return float(lambdas[k]), tests[k]


def looks_at_the_test_error_after_choosing(lambdas, train_errors, dev_errors, open_test):
    lambd, test_error = choose_and_report_reference(lambdas, train_errors, dev_errors, open_test)
    open_test(lambd)       # "just to see it again"
    return lambd, test_error


@pytest.mark.parametrize("student", [peeks_at_every_test_error, looks_at_the_test_error_after_choosing])
def test_a_second_look_at_the_test_set_is_named(student):
    message = check_choose_and_report(student).message
    assert message.startswith("choose_and_report raised TestSetAlreadyOpened: the test set was already opened "
                              "once, for λ = ")
    assert "choose λ on the dev set first, then open the test set once, for that λ alone (line " in message


def test_an_index_passed_to_the_test_set_is_named():
    def passes_the_index(lambdas, train_errors, dev_errors, open_test):
        k = len(dev_errors) - 1 - int(np.argmin(dev_errors[::-1]))
        return float(lambdas[k]), open_test(k)
    message = check_choose_and_report(passes_the_index).message
    assert "raised ValueError: open_test got λ = " in message and "pass a value of lambdas, not its index" in message


def choose_by_loop(lambdas, train_errors, dev_errors, open_test):
    best = None
    for lambd, dev in zip(lambdas, dev_errors):
        if best is None or dev < best[1] or (dev == best[1] and lambd > best[0]):
            best = (lambd, dev)
    return best[0], open_test(best[0])


def choose_with_lexsort_as_a_list(lambdas, train_errors, dev_errors, open_test):
    k = np.lexsort((-np.asarray(lambdas), dev_errors))[0]
    return [lambdas[k], open_test(lambdas[k])]


@pytest.mark.parametrize("student", [choose_by_loop, choose_with_lexsort_as_a_list, choose_and_report_reference])
def test_correct_answers_pass(student):
    assert repr(check_choose_and_report(student)) == "✔ choose_and_report is correct on 3 test cases."


def test_the_cases_hold_a_tie_an_unsorted_grid_and_a_test_set_that_disagrees_with_dev():
    cases = CHOOSE_AND_REPORT.make_cases()
    assert any(np.sum(dev == dev.min()) > 1 for _, _, dev, _ in cases)
    assert any(np.any(np.diff(lambdas) < 0) for lambdas, *_ in cases)
    for lambdas, train, dev, sealed in cases:
        assert np.argmin(train) != np.argmin(dev)          # the training error would choose another λ
    # choosing on the test set would report less (so a peek that got through would show)
    for lambdas, train, dev, sealed in cases:
        best_test = min(copy.deepcopy(sealed)(lambd) for lambd in lambdas)     # a fresh copy for every look
        assert choose_and_report_reference(lambdas, train, dev, copy.deepcopy(sealed))[1] > best_test


def test_every_slip_differs_from_the_answer_on_the_first_case():
    case = CHOOSE_AND_REPORT.make_cases()[0]
    answers = [choose_and_report_reference(*copy.deepcopy(case))]
    answers += [slip(*copy.deepcopy(case)) for slip in CHOOSE_AND_REPORT.mistakes.values()]
    for i, a in enumerate(answers):
        for b in answers[i + 1:]:
            assert not np.allclose(a, b), (a, b)


def test_a_wrong_pair_names_which_part_is_off():
    feedback = check_choose_and_report(lambda lambdas, tr, dev, open_test: (1.0, 0.5))
    assert feedback.message.startswith("choose_and_report returned test_error = 0.5 where 0.133333 was expected; ")
    assert feedback.message.endswith("then return it with open_test(λ).")
