"""The contract every exercise checker keeps with a student, checked once for every `check_*` found.

Each checks module declares its exercises in ``EXERCISES`` (reference, cases, named mistakes); each test here
runs over every checker: the reference passes, the stub is "not written yet", every named mistake gets its own
hint, and the sandbox holds (inputs never corrupted, endless loops stopped, printing kept short, sys.exit and
unreadable answers in one sentence, line numbers into the student's code). What is specific to one checker
lives in tests/test_checks_<module>.py; the engine's own details in tests/test_checks_engine.py.
"""

import pytest

import regcourse.checks as checks
from checks_support import (CRASH_LINE, NUMPY_CRASH_LINE, checker_modules, checker_names, checkers_with_exercises,
                            crashes, crashes_inside_numpy, exits, first_mutable_argument, interrupted, loops_forever,
                            printing, returns_unreadable, stub, vandal, with_numpy_scalars)
from regcourse.checks import Feedback
from regcourse.checks.sandbox import identical

CHECKERS = checkers_with_exercises()
MISTAKES = [(check, exercise, hint) for check, exercise in CHECKERS if exercise for hint in exercise.mistakes]


def ids(value):
    """Test ids: the checker's name and the hint's first words ("-" for the Exercise in between)."""
    if isinstance(value, str):
        return value[:40]
    return getattr(value, "__name__", "-")


def one_sentence_failure(feedback):
    assert isinstance(feedback, Feedback) and not feedback.passed
    assert repr(feedback).startswith("✘ ") and "\n" not in repr(feedback)
    assert feedback.message[-1] in ".?", feedback.message
    return feedback.message


# --- the registry -------------------------------------------------------------------------------------------

def test_every_notebook_module_has_checkers():
    modules = {module.__name__.rsplit(".", 1)[1] for module in checker_modules()}
    assert modules == {"overfitting", "logistic_l2", "l1", "frobenius", "weight_decay", "backprop", "hidden_units",
                       "tanh", "tuning", "conventions", "project"}
    assert len(CHECKERS) == 21


@pytest.mark.parametrize("module", checker_modules(), ids=lambda m: m.__name__)
def test_every_checker_is_registered_with_its_exercise(module):
    registered = [f"check_{exercise.name}" for exercise in module.EXERCISES]
    assert sorted(registered) == checker_names(module)


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_the_reference_passes_with_the_sentence_the_notebooks_store(check, exercise):
    cases = "fresh test cases" if exercise.fresh else "test cases"
    feedback = check(exercise.reference)
    assert feedback.passed, feedback
    assert repr(feedback) == f"✔ {exercise.name} is correct on {len(exercise.make_cases())} {cases}."


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_numpy_scalars_are_right_answers_too(check, exercise):
    assert check(with_numpy_scalars(exercise.reference)).passed


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_the_stub_is_not_written_yet(check, exercise):
    assert repr(check(stub)) == (f"✘ {exercise.name} is not written yet: replace `raise NotImplementedError` with "
                                 f"your code and run this cell again.")


@pytest.mark.parametrize("check, exercise, hint", MISTAKES, ids=ids)
def test_each_named_mistake_gets_its_own_hint(check, exercise, hint):
    for student in (exercise.mistakes[hint], with_numpy_scalars(exercise.mistakes[hint])):
        message = one_sentence_failure(check(student))
        assert message.endswith(f" — {hint}"), message
        difference = message[:-len(hint)]
        assert "np." not in difference and "array(" not in difference


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_mistakes_are_written_as_hints(check, exercise):
    for hint in exercise.mistakes:
        assert hint[0].islower() and hint[-1] in ".?" and "\n" not in hint, hint


# --- the sandbox --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_inputs_cannot_be_corrupted_and_changing_them_is_reported(check, exercise):
    cases_before = exercise.make_cases()
    changed = first_mutable_argument(exercise)
    feedback = check(vandal(exercise.reference))
    if changed is None:      # numbers only: nothing to change
        assert feedback.passed
    else:
        assert one_sentence_failure(feedback) == (f"{exercise.name} changed its input `{changed}`; a function "
                                                   f"should not modify its arguments.")
    assert all(identical(a, b) for a, b in zip(exercise.make_cases(), cases_before))
    assert check(exercise.reference).passed
    for hint, slip in exercise.mistakes.items():
        assert check(slip).message.endswith(hint)


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_an_endless_loop_is_stopped(check, exercise, monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT", 0.2)
    assert one_sentence_failure(check(loops_forever)) == f"{exercise.name} did not finish within 0.2 s: an endless loop?"
    assert check(exercise.reference).passed     # and nothing is left armed


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_ctrl_c_still_stops_a_check(check, exercise):
    with pytest.raises(KeyboardInterrupt):
        check(interrupted)


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_printing_is_shown_as_a_short_excerpt(check, exercise, capsys):
    feedback = check(printing(exercise.reference))
    assert feedback.passed
    shown = repr(feedback).splitlines()
    assert shown[0] == f"✔ {exercise.name} is correct on {len(exercise.make_cases())} " \
                       f"{'fresh test cases' if exercise.fresh else 'test cases'}."
    assert shown[1] == f"{exercise.name} printed {20_000 * len(exercise.make_cases()):,} lines; the first 8:"
    assert shown[2:] == [f"    debug line {i}" for i in range(8)]
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_sys_exit_is_one_sentence(check, exercise):
    message = one_sentence_failure(check(exits))
    assert message.startswith(f"{exercise.name} called sys.exit() (line ")
    assert message.endswith("a function returns its answer with `return`.")


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_an_unreadable_answer_is_one_sentence(check, exercise):
    assert one_sentence_failure(check(returns_unreadable)) == (
        f"{exercise.name} returned a value of type Unreadable, which cannot be read as a number or an array "
        f"(RuntimeError: cannot convert).")


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_a_crash_names_its_type_and_the_students_line(check, exercise):
    message = one_sentence_failure(check(crashes))
    assert message == f"{exercise.name} raised KeyError: 'missing' (line {CRASH_LINE} of your code)."
    message = one_sentence_failure(check(crashes_inside_numpy))
    assert message == f"{exercise.name} raised LinAlgError: Singular matrix (line {NUMPY_CRASH_LINE} of your code)."


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_a_wrong_def_line_is_named_without_a_line_number(check, exercise):
    message = one_sentence_failure(check(lambda: 0.5))
    assert message.startswith(f"{exercise.name} should take ") and "yours takes no arguments" in message
    assert "(line" not in message


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_a_value_instead_of_a_function_is_named(check, exercise):
    assert one_sentence_failure(check(0.5)) == f"{exercise.name} should be a function, but it is float."


@pytest.mark.parametrize("check, exercise", CHECKERS, ids=ids)
def test_forgetting_return_is_named(check, exercise):
    message = one_sentence_failure(check(lambda *args: None))
    assert " returned None where " in message and message.endswith("did you forget to `return` the result?")


def test_the_contract_covers_every_mistake():
    assert len(MISTAKES) == sum(len(exercise.mistakes) for _, exercise in CHECKERS) >= 80
    assert all(exercise is not None for _, exercise in CHECKERS)
