"""Exercise checkers: run a student's function on fresh inputs and answer in one clear sentence.

Each notebook's checkers live in a module named after its concept (``regcourse.checks.logistic_l2`` and so
on). The module describes each exercise once, as an `Exercise` (the reference, a function building the test
cases, the likely mistakes), lists them in ``EXERCISES`` and gives each a ``check_<name>(student)``.

`Exercise.check` runs the student's function in a sandbox (`regcourse.checks.sandbox`: fresh deep copies of
the inputs, at most `TIME_LIMIT` seconds per call, printing kept short, any error in one sentence), compares
its answer with the reference's, says what differs and names the likely slip. Where the default does not fit,
an exercise plugs in:

    compare(got, expected) -> bool         is the answer right? (default: numbers and arrays within rtol/atol)
    describe(got, expected) -> str | None  names a mistake seen in the answer itself ("return a string")
    mistakes = {hint: slip}                a slip returns what a function with that mistake returns; the first
                                           one matching the student's answer is named
    parts = ("dw", "db")                   the names of the values a function returns, to say which is off
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .sandbox import Printed, changed_argument, run_student, short

PASS, FAIL = "✔", "✘"
TIME_LIMIT = 5.0    # seconds one call of a student's function may take (e.g. `checks.TIME_LIMIT = 20` on a slow machine)


@dataclass(frozen=True)
class Feedback:
    """The verdict of a check: `passed`, one sentence for the student, and an excerpt of what the
    student's function printed (shown under the sentence)."""

    passed: bool
    message: str
    printed: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        verdict = f"{PASS if self.passed else FAIL} {self.message}"
        return f"{verdict}\n{self.printed}" if self.printed else verdict

    __str__ = __repr__


@dataclass(frozen=True)
class Exercise:
    """One exercise: its name, the reference solution, the test cases and the likely mistakes.

    `cases` is a function building the list of argument tuples (or the list itself); the check calls it
    afresh and hands every call its own deep copy, so nothing a student's function does can change a case.
    `otherwise` ends the sentence when the answer is wrong but matches no known mistake. `fresh=False` says
    "N test cases" rather than "N fresh test cases", for hand-picked cases.
    """

    name: str
    reference: Callable
    cases: Callable[[], Iterable[Sequence]] | Iterable[Sequence]
    mistakes: Mapping[str, Callable] = field(default_factory=dict)
    compare: Callable[[object, object], bool] | None = None
    describe: Callable[[object, object], str | None] | None = None
    parts: tuple[str, ...] = ()
    rtol: float = 1e-7
    atol: float = 1e-10
    otherwise: str = "compare your code with the formula above."
    fresh: bool = True

    def check(self, student: Callable, *, time_limit: float | None = None) -> Feedback:
        """Run student(*args) on every case, each call limited to `time_limit` s (default `TIME_LIMIT`)."""
        name = self.name
        if not callable(student):
            return Feedback(False, f"{name} should be a function, but it is {type(student).__name__}.")
        cases = self.make_cases()
        names = list(inspect.signature(self.reference).parameters)
        wrong_def = _signature_problem(student, names[:len(cases[0])], name)
        if wrong_def:
            return Feedback(False, wrong_def)
        printed = Printed()
        for case in cases:
            expected = self.reference(*copy.deepcopy(case))
            given = copy.deepcopy(case)
            got, verdict = run_student(student, given, name, printed=printed,
                                       time_limit=TIME_LIMIT if time_limit is None else time_limit)
            if verdict is None:
                verdict = self._judge(got, expected, case)
            if verdict is None and (changed := changed_argument(case, given, names)):
                verdict = f"{name} changed its input `{changed}`; a function should not modify its arguments."
            if verdict is not None:
                return Feedback(False, verdict, printed.excerpt(name))
        cases_word = "fresh test cases" if self.fresh else "test cases"
        return Feedback(True, f"{name} is correct on {len(cases)} {cases_word}.", printed.excerpt(name))

    def make_cases(self) -> list[tuple]:
        """The test cases, built afresh: a list of argument tuples."""
        return [tuple(case) for case in (self.cases() if callable(self.cases) else self.cases)]

    def _same(self, got, expected) -> bool:
        return self.compare(got, expected) if self.compare else _close(got, expected, self.rtol, self.atol)

    def _judge(self, got, expected, args) -> str | None:
        """None if `got` is right; else what differs, then the likely mistake."""
        if self._same(got, expected):
            return None
        difference = self._difference(got, expected, args)
        hint = ("did you forget to `return` the result?" if got is None else None) or \
            (self.describe(got, expected) if self.describe else None) or \
            next((hint for hint, slip in self.mistakes.items() if self._same(got, slip(*copy.deepcopy(args)))), None)
        return f"{difference} — {hint}" if hint else f"{difference}; {self.otherwise}"

    def _difference(self, got, expected, args) -> str:
        subject = _subject(self.name, args)
        if not self.parts:
            return _returned(subject, got, expected, "", self.rtol, self.atol)
        if not isinstance(got, (tuple, list)) or len(got) != len(self.parts):
            kind = "the pair" if len(self.parts) == 2 else f"the {len(self.parts)} values"
            return f"{subject} returned {fmt(got)} where {kind} ({', '.join(self.parts)}) was expected"
        wrong = [k for k in range(len(self.parts)) if not _close(got[k], expected[k], self.rtol, self.atol)] or [0]
        text = _returned(subject, got[wrong[0]], expected[wrong[0]], self.parts[wrong[0]], self.rtol, self.atol)
        others = [self.parts[k] for k in wrong[1:]]
        if not others:
            return text
        also = f"{' and '.join(others)} {'is' if len(others) == 1 else 'are'} off too"
        return f"{text[:-1]}; {also})" if text.endswith(")") else f"{text} ({also})"


def check_function(student: Callable, reference: Callable, cases, *, name: str, time_limit: float | None = None,
                   **hooks) -> Feedback:
    """Check student(*args) against reference(*args) on every case: `Exercise(...).check` in one call.

    `hooks` are the other fields of `Exercise`: mistakes, compare, describe, parts, rtol, atol, otherwise, fresh.
    """
    return Exercise(name, reference, cases, **hooks).check(student, time_limit=time_limit)


def random_params(rng: np.random.Generator, layer_dims: Sequence[int]) -> dict[str, np.ndarray]:
    """Fresh network parameters for test cases: W[l] ~ N(0, 0.8^2), b[l] ~ N(0, 0.5^2)."""
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = rng.normal(0.0, 0.8, (layer_dims[l], layer_dims[l - 1]))
        params[f"b{l}"] = rng.normal(0.0, 0.5, (layer_dims[l], 1))
    return params


# --- comparing and showing answers -------------------------------------------------------------------------

def _close(got, expected, rtol: float, atol: float) -> bool:
    """Numbers and arrays within rtol/atol (an array must have the expected shape; one number may come as a
    size-1 array); tuples part by part (a list will do); anything else by ==."""
    if isinstance(expected, tuple):
        return (isinstance(got, (tuple, list)) and len(got) == len(expected)
                and all(_close(g, e, rtol, atol) for g, e in zip(got, expected)))
    got_array, expected_array = _array(got), _array(expected)
    if got_array is None or expected_array is None:
        return type(got) is type(expected) and got == expected
    if got_array.shape != expected_array.shape and not got_array.size == expected_array.size == 1:
        return False
    return bool(np.allclose(got_array, expected_array, rtol=rtol, atol=atol))


def _array(value) -> np.ndarray | None:
    """`value` as a float array if it is a number, an array or a list/tuple of numbers; else None."""
    if value is None or isinstance(value, (str, bool, dict)):
        return None
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _number(value) -> float | None:
    array = _array(value)
    return float(array.reshape(-1)[0]) if array is not None and array.size == 1 else None


def fmt(value, digits: int = 6) -> str:
    """A value as a student reads it: 0.25, 7 (never np.int64(7)), an array by its shape."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    if isinstance(value, np.ndarray):
        if value.size == 1 and value.dtype.kind in "biuf":
            return f"an array of shape {value.shape} holding {fmt(value.item(), digits)}"
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        if len(value) <= 4 and all(isinstance(x, (int, float, str)) for x in value):
            return short(repr(type(value)(_Shown(fmt(x, digits)) for x in value)), 80)
        return f"a {type(value).__name__} of {len(value)} item{'s' if len(value) != 1 else ''}"
    return short(repr(value), 80)


class _Shown(str):
    def __repr__(self) -> str:
        return str(self)


def _fmt_pair(got, expected) -> tuple[str, str]:
    """Two numbers with the fewest digits (6 at least) that tell them apart: 0.999999 vs 0.99999999; whole
    numbers as they are; anything else by `fmt`."""
    a, b = _number(got), _number(expected)
    if a is None or b is None or not np.isfinite(a - b):
        return fmt(got), fmt(expected)
    for digits in range(6, 17):  # each rounding error well below the gap between the two
        if max(abs(float(f"{x:.{digits}g}") - x) for x in (a, b)) < abs(a - b) / 1000:
            break
    return tuple(f"{x:.0f}" if x.is_integer() and abs(x) < 1e15 else f"{x:.{digits}g}" for x in (a, b))


def _subject(name: str, args: Sequence) -> str:
    """'regime(0.04, 0.25, 0.1, 0.03)' when every argument is a number or a string, else just the name."""
    if args and all(isinstance(a, (int, float, str)) and not isinstance(a, bool) for a in args):
        return f"{name}({', '.join(fmt(a) if not isinstance(a, str) else repr(a) for a in args)})"
    return name


def _returned(subject: str, got, expected, part: str, rtol: float, atol: float) -> str:
    """'<subject> returned <what differs> where <what> was expected', leading with the difference: the first
    wrong entry of an array (shapes only when they differ), or the two numbers."""
    got_array, expected_array = _array(got), _array(expected)
    named = f"{part} = " if part else ""
    if expected_array is not None and expected_array.size > 1:
        if got_array is not None and got_array.shape == expected_array.shape:
            off = np.argwhere(~np.isclose(got_array, expected_array, rtol=rtol, atol=atol))
            at = tuple(int(k) for k in off[0]) if len(off) else ()
            g, e = _fmt_pair(got_array[at], expected_array[at]) if at else (fmt(got), fmt(expected))
            what = f"{part}{list(at)} = {g}" if part else f"{g} in entry {list(at)}"
            count = "all" if len(off) == expected_array.size else f"{len(off)} of"
            more = f" ({count} {expected_array.size} entries are off)" if len(off) > 1 else ""
            return f"{subject} returned {what} where {e} was expected{more}"
        if got_array is not None and got_array.size > 1:
            shapes = (f"{part} of shape {got_array.shape} where shape" if part else
                      f"an array of shape {got_array.shape} where an array of shape")
            return f"{subject} returned {shapes} {expected_array.shape} was expected"
        return f"{subject} returned {named}{fmt(got)} where an array of shape {expected_array.shape} was expected"
    if got_array is not None and got_array.size > 1 and expected_array is not None:
        return f"{subject} returned {part or 'an array'} of shape {got_array.shape} where one number was expected"
    g, e = _fmt_pair(got, expected)
    return f"{subject} returned {named}{g} where {e} was expected"


def _signature_problem(student: Callable, names: Sequence[str], name: str) -> str | None:
    """A sentence if student cannot be called with these arguments (judged from its `def` line), else None."""
    try:
        signature = inspect.signature(student)
    except (TypeError, ValueError):  # a builtin without a signature: just call it
        return None
    try:
        signature.bind(*names)
    except TypeError:
        takes = f"({', '.join(signature.parameters)})" if signature.parameters else "no arguments"
        count = f"{len(names)} argument{'s' if len(names) != 1 else ''}"
        return f"{name} should take {count} ({', '.join(names)}), but yours takes {takes}: check its `def` line."
    return None
