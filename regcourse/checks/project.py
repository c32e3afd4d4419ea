"""Checker for notebook 08's mini-project: choose λ on the dev set, then open the test set once, for that λ.

    check_choose_and_report(choose_and_report)
        choose_and_report(lambdas, train_errors, dev_errors, open_test) -> (lambd_star, test_error)

The student's function gets the train and dev errors of a grid of networks and a `SealedTestSet`, a test set
that answers once: ``open_test(lambd)`` returns the test error of the network trained with that λ, and a second
call raises `TestSetAlreadyOpened`. So a function that looks at the test error of several λ (to choose on it,
or "just to see") fails with that error's own sentence, and the named mistakes cover the other classic slips:
choosing on the training error, reporting the dev error, the smaller λ on a tie, an index for a value.

Errors are fractions (0.15 means 15% of the examples misclassified).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Exercise, Feedback
from .tuning import choose_lambda_reference


class TestSetAlreadyOpened(Exception):
    """A second look at a sealed test set."""

    __test__ = False     # not a pytest test class, despite its name


class SealedTestSet:
    """The test set of a grid of networks, sealed: calling it with one λ of the grid returns that network's test
    error, once. Any further call raises `TestSetAlreadyOpened`; a λ that is not in the grid raises ValueError.

    `test_error` gives the errors: an array with one entry per λ of `lambdas`, or a function of the index k
    (see `from_fit`, which measures only the network that is asked for).
    """

    def __init__(self, lambdas, test_error):
        self.lambdas = np.array(lambdas, dtype=float).reshape(-1)
        if self.lambdas.size == 0:
            raise ValueError("lambdas should hold at least one λ, but it is empty")
        if callable(test_error):
            self._error = test_error
        else:
            errors = np.array(test_error, dtype=float).reshape(-1)
            if errors.shape != self.lambdas.shape:
                raise ValueError(f"test_error should hold one error per λ ({self.lambdas.size}), but it holds "
                                 f"{errors.size}")
            self._error = errors
        self.opened_for = None

    @classmethod
    def from_fit(cls, fit, X_test, Y_test) -> SealedTestSet:
        """Seal the test set (X_test, Y_test) of a batched `network.train` result: opening it for one λ measures
        only that λ's network."""
        return cls(fit.lambd, lambda k: 1.0 - fit[k].accuracy(X_test, Y_test))

    def __call__(self, lambd) -> float:
        if isinstance(lambd, bool) or not isinstance(lambd, (int, float, np.integer, np.floating)):
            raise TypeError(f"open_test takes one λ, a number from lambdas, but got {type(lambd).__name__}")
        found = np.flatnonzero(np.isclose(self.lambdas, float(lambd), rtol=1e-9, atol=0.0))
        if found.size == 0:
            grid = ", ".join(f"{x:g}" for x in self.lambdas[:8]) + (", …" if self.lambdas.size > 8 else "")
            raise ValueError(f"open_test got λ = {float(lambd):g}, which is not one of the trained λ ({grid}); "
                             f"pass a value of lambdas, not its index")
        if self.opened_for is not None:
            raise TestSetAlreadyOpened(
                f"the test set was already opened once, for λ = {self.opened_for:g}; choose λ on the dev set "
                f"first, then open the test set once, for that λ alone")
        k = int(found[0])
        self.opened_for = float(self.lambdas[k])
        return float(self._error(k) if callable(self._error) else self._error[k])

    def __eq__(self, other) -> bool:
        """Equal when sealing the same errors of the same grid (whether opened or not)."""
        if not isinstance(other, SealedTestSet) or not np.array_equal(self.lambdas, other.lambdas):
            return False
        if callable(self._error) or callable(other._error):
            return self._error is other._error
        return bool(np.array_equal(self._error, other._error))

    __hash__ = None

    def __repr__(self) -> str:
        state = "unopened" if self.opened_for is None else f"opened for λ = {self.opened_for:g}"
        return f"SealedTestSet({self.lambdas.size} values of λ, {state})"


# --- choose_and_report(lambdas, train_errors, dev_errors, open_test) ---------------------------------------

def choose_and_report_reference(lambdas, train_errors, dev_errors, open_test):
    """λ* = the λ with the lowest dev error (the largest λ on a tie), and the test error of λ*, looked at once."""
    lambd_star = choose_lambda_reference(lambdas, dev_errors)
    return lambd_star, open_test(lambd_star)


def _case(lambdas, train_counts, dev_counts, test_counts, m_train=180, m_dev=60, m_test=60):
    """Errors are counts / m, so ties are exact, as in a real dev set."""
    lambdas = np.array(lambdas, dtype=float)
    return (lambdas, np.array(train_counts) / m_train, np.array(dev_counts) / m_dev,
            SealedTestSet(lambdas, np.array(test_counts) / m_test))


def _cases():
    coarse = [0.0, 0.01, 0.1, 1.0, 10.0, 100.0]
    fine = np.round(np.logspace(-2, 2, 13), 4)
    shuffled = [3.0, 0.0, 30.0, 0.3, 1.0, 0.03, 0.1]
    return [
        # a tie on dev between 0.1 and 1: the larger, 1
        _case(coarse, [16, 16, 18, 22, 25, 86], [15, 13, 9, 9, 11, 30], [14, 13, 7, 8, 12, 29]),
        # one clear minimum on a fine grid, where the test set would prefer a neighbour
        _case(fine, [10, 10, 11, 11, 12, 14, 17, 20, 22, 24, 27, 60, 86],
              [14, 14, 13, 12, 12, 11, 10, 11, 12, 13, 15, 29, 30],
              [15, 13, 13, 12, 11, 9, 11, 10, 13, 14, 16, 28, 31], m_dev=80, m_test=80),
        # an unsorted grid, with a tie on dev between 0.3 and 1
        _case(shuffled, [30, 12, 85, 19, 23, 15, 17], [11, 16, 30, 8, 8, 12, 10], [12, 15, 29, 6, 8, 13, 12]),
    ]


def _smallest_on_tie(lambdas, train_errors, dev_errors, open_test):
    lambdas, dev_errors = np.asarray(lambdas), np.asarray(dev_errors)
    lambd = float(lambdas[dev_errors == dev_errors.min()].min())
    return lambd, open_test(lambd)


def _on_training_error(lambdas, train_errors, dev_errors, open_test):
    lambd = choose_lambda_reference(lambdas, train_errors)
    return lambd, open_test(lambd)


def _index_of_best(lambdas, train_errors, dev_errors, open_test):
    lambd = choose_lambda_reference(lambdas, dev_errors)
    return int(np.flatnonzero(np.asarray(lambdas) == lambd)[0]), open_test(lambd)


def _worst_on_dev(lambdas, train_errors, dev_errors, open_test):
    lambd = float(np.asarray(lambdas)[np.argmax(dev_errors)])
    return lambd, open_test(lambd)


def _reported(errors: str):
    """λ* with its train or dev error in place of the test error."""
    def slip(lambdas, train_errors, dev_errors, open_test):
        lambd = choose_lambda_reference(lambdas, dev_errors)
        k = int(np.flatnonzero(np.asarray(lambdas) == lambd)[0])
        return lambd, float(np.asarray(train_errors if errors == "train" else dev_errors)[k])
    return slip


def _in_percent(lambdas, train_errors, dev_errors, open_test):
    lambd, test_error = choose_and_report_reference(lambdas, train_errors, dev_errors, open_test)
    return lambd, 100 * test_error


CHOOSE_AND_REPORT_MISTAKES = {
    "did you choose λ by the training error? It always prefers the smallest λ, the one that fits the noise "
    "best; choose on the dev set.": _on_training_error,
    "did you report λ*'s dev error? It helped choose λ*, so it flatters it: report the test error, "
    "open_test(λ*).": _reported("dev"),
    "did you report λ*'s training error? Report its test error, open_test(λ*).": _reported("train"),
    "on a tie you picked the smaller λ; prefer the larger λ, the simpler model, among the tied ones.":
        _smallest_on_tie,
    "did you return the index of λ*? Return the λ value itself.": _index_of_best,
    "did you pick the largest dev error? We want the smallest.": _worst_on_dev,
    "did you report the test error in percent? Keep it a fraction, like the errors you were given.": _in_percent,
}


CHOOSE_AND_REPORT = Exercise(
    "choose_and_report", choose_and_report_reference, _cases, mistakes=CHOOSE_AND_REPORT_MISTAKES,
    parts=("lambd_star", "test_error"), fresh=False,
    otherwise="choose λ on the dev errors (the largest λ on a tie), then return it with open_test(λ).")


def check_choose_and_report(choose_and_report: Callable) -> Feedback:
    """Check choose_and_report(lambdas, train_errors, dev_errors, open_test) on three grids: λ* chosen on the dev
    errors, and its test error from one look at the sealed test set."""
    return CHOOSE_AND_REPORT.check(choose_and_report)


EXERCISES = (CHOOSE_AND_REPORT,)
