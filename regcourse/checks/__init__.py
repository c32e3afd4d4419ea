"""Exercise checkers: run a student's function on fresh inputs and answer in one clear sentence.

Each notebook's checkers live in a module named after its concept (``regcourse.checks.logistic_l2``
and so on) and are built on `check_function`: it calls the student's function and a reference on
the same freshly generated arguments, compares the results, and when they differ tries a list of
known mistakes (e.g. dividing by m instead of 2m) to name the likely slip.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

PASS, FAIL = "✔", "✘"


@dataclass(frozen=True)
class Feedback:
    """The verdict of a check: `passed`, and one sentence for the student."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"{PASS if self.passed else FAIL} {self.message}"

    __str__ = __repr__


def _fmt(value, digits: int = 6) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{digits}g}"
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return f"an array of shape {value.shape} holding {value.item():.{digits}g}"
        return f"an array of shape {value.shape}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_fmt(x, digits) for x in value) + ")"
    return repr(value)


def _fmt_pair(got, expected) -> tuple[str, str]:
    """Both values with the fewest digits (6 at least) that tell them apart: 0.99999999 vs 0.999999."""
    try:
        a, b = float(np.ravel(got)[0]), float(np.ravel(expected)[0])
    except (TypeError, ValueError, IndexError):
        return _fmt(got), _fmt(expected)
    if np.size(got) != 1 or np.size(expected) != 1:
        return _fmt(got), _fmt(expected)
    for digits in range(6, 17):  # each rounding error well below the gap between the two
        if max(abs(float(f"{x:.{digits}g}") - x) for x in (a, b)) < abs(a - b) / 1000:
            break
    return _fmt(got, digits), _fmt(expected, digits)


def _same(got, expected, rtol, atol) -> bool:
    if isinstance(expected, tuple):
        return (isinstance(got, tuple) and len(got) == len(expected)
                and all(_same(g, e, rtol, atol) for g, e in zip(got, expected)))
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected_arr = np.asarray(expected, dtype=float)
    if isinstance(expected, np.ndarray) and got_arr.shape != expected_arr.shape:
        return False
    return bool(got_arr.shape == expected_arr.shape or got_arr.size == expected_arr.size == 1) and \
        bool(np.allclose(got_arr, expected_arr, rtol=rtol, atol=atol))


def check_function(student: Callable, reference: Callable, cases: Iterable[Sequence], *, name: str,
                   mistakes: dict[str, Callable] | None = None, rtol: float = 1e-7,
                   atol: float = 1e-10) -> Feedback:
    """Compare student(*args) with reference(*args) on every case; one sentence of feedback.

    `mistakes` maps a hint ("did you divide by m instead of 2m?") to a function computing what
    that slip would return; the first one matching the student's answer is named.
    """
    cases = [tuple(case) for case in cases]
    for args in cases:
        expected = reference(*_copies(args))
        got, trouble = call_student(student, args, name)
        if trouble is not None:
            return trouble
        if _same(got, expected, rtol, atol):
            continue
        shown_got, shown_expected = _fmt_pair(got, expected)
        for hint, slip in (mistakes or {}).items():
            if _same(got, slip(*_copies(args)), rtol, atol):
                return Feedback(False, f"{name} returned {shown_got} where {shown_expected} was expected "
                                       f"— {hint}")
        return Feedback(False, f"{name} returned {shown_got} where "
                               f"{shown_expected} was expected; compare your code with the formula above.")
    return Feedback(True, f"{name} is correct on {len(cases)} fresh test cases.")


def call_student(student: Callable, args: Sequence, name: str) -> tuple[object, Feedback | None]:
    """Call student(*args) on copies of args: (result, None), or (None, Feedback) if it could not run."""
    if not callable(student):
        return None, Feedback(False, f"{name} should be a function, but it is {type(student).__name__}.")
    try:
        return student(*_copies(args)), None
    except NotImplementedError:
        return None, Feedback(False, f"{name} is not written yet: replace `raise NotImplementedError` "
                                     f"with your code and run this cell again.")
    except Exception as error:  # the student's bug, reported in one line
        where = traceback.extract_tb(error.__traceback__)[-1]
        return None, Feedback(False, f"{name} raised {type(error).__name__}: {error} (line {where.lineno} "
                                     f"of your code).")


def random_params(rng: np.random.Generator, layer_dims: Sequence[int]) -> dict[str, np.ndarray]:
    """Fresh network parameters for test cases: W[l] ~ N(0, 0.8^2), b[l] ~ N(0, 0.5^2)."""
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.normal(0.0, 0.8, (layer_dims[l], layer_dims[l - 1]))
        params[f"b{l}"] = rng.normal(0.0, 0.5, (layer_dims[l], 1))
    return params


def _copies(args):
    return tuple(a.copy() if isinstance(a, np.ndarray) else
                 ({k: x.copy() for k, x in a.items()} if isinstance(a, dict) else a) for a in args)
