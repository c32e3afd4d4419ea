"""The check engine itself: how answers are compared and shown, and how the sandbox runs a student's function.

(What every notebook checker owes a student is tests/test_checks.py, run over all of them.)
"""

import signal
import sys
import threading

import numpy as np
import pytest

from checks_support import NUMPY_CRASH_LINE, Unreadable, crashes_inside_numpy, loops_forever
from regcourse.checks import Exercise, Feedback, check_function
from regcourse.checks.sandbox import Printed, changed_argument, identical, plain, run_student


def reference(w, m):
    return float(w @ w) / (2 * m)


CASES = [(np.array([1.0, 2.0, 3.0]), 5)]  # w.w = 14, so the reference is 14 / 10 = 1.4


def run(student, args=(), time_limit=5.0, printed=None):
    return run_student(student, args, "f", time_limit=time_limit, printed=printed or Printed())


# --- comparing and showing answers ----------------------------------------------------------------------

def test_right_answer_passes_and_counts_cases():
    feedback = check_function(lambda w, m: np.sum(w ** 2) / (2 * m), reference, CASES * 3, name="l2")
    assert feedback and repr(feedback) == "✔ l2 is correct on 3 fresh test cases."


def test_hand_picked_cases_are_not_called_fresh():
    feedback = check_function(lambda w, m: float(w @ w) / (2 * m), reference, CASES, name="l2", fresh=False)
    assert repr(feedback) == "✔ l2 is correct on 1 test cases."


def test_a_known_slip_is_named():
    slips = {"did you divide by m instead of 2m?": lambda w, m: float(w @ w) / m}
    feedback = check_function(lambda w, m: float(w @ w) / m, reference, CASES, name="l2", mistakes=slips)
    assert not feedback
    assert feedback.message == "l2 returned 2.8 where 1.4 was expected — did you divide by m instead of 2m?"


def test_an_unknown_slip_points_back_to_the_formula():
    feedback = check_function(lambda w, m: 0.0, reference, CASES, name="l2")
    assert feedback.message == "l2 returned 0 where 1.4 was expected; compare your code with the formula above."


def test_numpy_scalars_read_as_plain_numbers():
    feedback = check_function(lambda: np.int64(7), lambda: 8, [()], name="count")
    assert feedback.message.startswith("count returned 7 where 8 was expected")
    assert check_function(lambda: np.float32(0.5), lambda: 0.5, [()], name="half").passed


def test_enough_digits_to_see_the_gap():
    # a decay factor of 0.999999 against the right 1 - 1e-8: six digits would print both as 1
    feedback = check_function(lambda: 0.999999, lambda: 1 - 1e-8, [()], name="decay_factor")
    assert "returned 0.999999 where 0.99999999 was expected" in feedback.message


def test_numbers_as_arguments_are_shown_in_the_call():
    feedback = check_function(lambda a, lambd, m: 1.0, lambda a, lambd, m: 1 - a * lambd / m, [(0.5, 2.0, 100)],
                              name="decay_factor")
    assert feedback.message.startswith("decay_factor(0.5, 2, 100) returned 1 where 0.99 was expected")


def test_arrays_lead_with_the_first_wrong_entry_and_leave_the_shape_out():
    w = np.array([[0.5, 0.2], [0.05, 1.0], [-0.02, 2.0]])
    feedback = check_function(lambda w: w - 0.1, lambda w: np.sign(w) * np.maximum(np.abs(w) - 0.1, 0), [(w,)],
                              name="soft_threshold")
    assert feedback.message.startswith("soft_threshold returned -0.05 in entry [1, 0] where 0 was expected "
                                       "(2 of 6 entries are off)")
    assert "shape" not in feedback.message


def test_wrong_shape_is_reported_as_shapes():
    feedback = check_function(lambda: np.ones((1, 3)), lambda: np.ones((3, 1)), [()], name="dw")
    assert "an array of shape (1, 3) where an array of shape (3, 1) was expected" in feedback.message


def test_an_array_where_one_number_was_expected():
    feedback = check_function(lambda: np.ones(4), lambda: 4.0, [()], name="total")
    assert feedback.message.startswith("total returned an array of shape (4,) where one number was expected")


def test_one_number_may_come_as_a_size_one_array():
    assert check_function(lambda: np.array([[0.25]]), lambda: 0.25, [()], name="cost").passed


def test_parts_say_which_value_is_off():
    expected = (np.array([[1.0], [2.0]]), 0.5)
    exercise = Exercise("grads", lambda: expected, [()], parts=("dw", "db"))
    assert exercise.check(lambda: [expected[0], np.float64(0.5)]).passed          # a list will do
    assert exercise.check(lambda: (expected[0], 0.0)).message.startswith("grads returned db = 0 where 0.5 was")
    both = exercise.check(lambda: (expected[0] * 2, 0.0)).message
    assert both.startswith("grads returned dw[0, 0] = 2 where 1 was expected (all 2 entries are off; db is off too)")
    assert exercise.check(lambda: (expected[0].T, 0.5)).message.startswith(
        "grads returned dw of shape (1, 2) where shape (2, 1) was expected")
    assert exercise.check(lambda: expected[0]).message.startswith(
        "grads returned an array of shape (2, 1) where the pair (dw, db) was expected")


def test_compare_and_describe_hooks():
    exercise = Exercise("answer", lambda: "yes", [()], compare=lambda got, expected: str(got).lower() == expected,
                        describe=lambda got, expected: None if isinstance(got, str) else "return a string.")
    assert exercise.check(lambda: "YES").passed
    assert exercise.check(lambda: 1).message == "answer returned 1 where 'yes' was expected — return a string."
    assert exercise.check(lambda: "no").message.endswith("'yes' was expected; compare your code with the formula above.")


def test_forgetting_return_is_named():
    feedback = check_function(lambda w, m: None, reference, CASES, name="l2")
    assert feedback.message == "l2 returned None where 1.4 was expected — did you forget to `return` the result?"


def test_a_check_stops_at_the_first_wrong_case():
    calls = []

    def student(w, m):
        calls.append(m)
        return 0.0
    check_function(student, reference, CASES * 3, name="l2")
    assert calls == [5]


# --- the sandbox: inputs ------------------------------------------------------------------------------------

def test_every_call_gets_its_own_copy_and_changes_are_reported():
    cases = [({"W1": np.ones((2, 2))}, [2, 2])]

    def changes_params(params, dims):
        params["W1"][0, 0] = 5.0
        return 4.0
    feedback = check_function(changes_params, lambda params, dims: 4.0, cases, name="f")
    assert feedback.message == "f changed its input `params`; a function should not modify its arguments."
    assert cases[0][0]["W1"][0, 0] == 1.0


def test_identical_sees_every_kind_of_change():
    a = {"W": np.array([1.0, np.nan]), "dims": [2, 3]}
    assert identical(a, {"W": np.array([1.0, np.nan]), "dims": [2, 3]})          # NaN equals NaN here
    assert not identical(a, {"W": np.array([1.0, np.nan], dtype=np.float32), "dims": [2, 3]})
    assert not identical(a, {"W": np.array([1.0, np.nan]), "dims": [2]})
    assert not identical(a, {"W": np.array([1.0, np.nan])})
    assert not identical([1, 2], (1, 2))
    assert changed_argument((1.0, [2, 3]), (1.0, [2]), ["lambd", "layer_dims"]) == "layer_dims"
    assert changed_argument((1.0, [2, 3]), (1.0, [2, 3]), ["lambd", "layer_dims"]) is None


# --- the sandbox: answers ---------------------------------------------------------------------------------

def test_plain_turns_numpy_types_into_python_ones():
    assert plain(np.float64(0.5)) == 0.5 and type(plain(np.float64(0.5))) is float
    assert type(plain(np.int64(3))) is int and type(plain(np.bool_(True))) is bool
    assert plain((np.float64(1.0), [np.int64(2)])) == (1.0, [2])
    assert plain(np.array([1, 2], dtype=object)).dtype == float
    with pytest.raises(RuntimeError):
        plain([Unreadable()])


# --- the sandbox: errors and where they happened ----------------------------------------------------------

def test_an_error_in_numpy_points_to_the_students_line():
    _, verdict = run(crashes_inside_numpy)
    assert verdict == f"f raised LinAlgError: Singular matrix (line {NUMPY_CRASH_LINE} of your code)."


def test_a_library_function_passed_as_the_answer_gets_no_line_number():
    _, verdict = run(np.linalg.inv, (np.zeros((2, 2)),))
    assert verdict == "f raised LinAlgError: Singular matrix."


def test_a_long_error_message_is_cut_to_one_line():
    def raises_long():
        raise ValueError("first line " + "x" * 500 + "\nsecond line")
    _, verdict = run(raises_long)
    assert "\n" not in verdict and "second line" not in verdict and len(verdict) < 250


# --- the sandbox: the time limit ----------------------------------------------------------------------------

def no_timer_left():
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and signal.getsignal(signal.SIGALRM) == signal.SIG_DFL


def test_an_endless_loop_is_stopped_and_nothing_is_left_armed():
    assert run(loops_forever, time_limit=0.1) == (None, "f did not finish within 0.1 s: an endless loop?")
    assert no_timer_left()


def test_catching_the_first_time_out_does_not_keep_a_function_alive():
    def swallows_once():
        try:
            loops_forever()
        except BaseException:  # noqa: BLE001 — what a student might write
            pass
        loops_forever()
    assert run(swallows_once, time_limit=0.1)[1] == "f did not finish within 0.1 s: an endless loop?"


def test_ctrl_c_stops_the_check_and_disarms_the_timer():
    def interrupted_later():
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        run(interrupted_later, time_limit=0.1)
    assert no_timer_left()


def test_a_timer_and_handler_set_by_someone_else_are_given_back():
    def handler(signum, frame):
        raise AssertionError("the old alarm rang during the check")
    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 100.0)
    try:
        assert run(lambda: 1.0, time_limit=0.5) == (1.0, None)
        assert signal.getsignal(signal.SIGALRM) is handler
        assert 90.0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_a_watchdog_stops_the_loop():
    verdicts = []
    worker = threading.Thread(target=lambda: verdicts.append(run(loops_forever, time_limit=0.2)[1]))
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert verdicts == ["f did not finish within 0.2 s: an endless loop?"]
    assert run(lambda: 2.0, time_limit=0.2) == (2.0, None)


def test_outside_the_main_thread_a_quick_function_is_not_disturbed():
    results = []
    worker = threading.Thread(target=lambda: results.append([run(lambda: k, time_limit=0.05) for k in range(3)]))
    worker.start()
    worker.join(timeout=30)
    assert results == [[(0, None), (1, None), (2, None)]]


# --- the sandbox: printing ----------------------------------------------------------------------------------

def test_printing_is_captured_counted_and_cut(capsys):
    printed = Printed()

    def chatty():
        for i in range(20_000):
            print(i, "x" * 300 if i == 1 else "")
        print("to stderr", file=sys.stderr)
        return 1.0
    assert run(chatty, printed=printed) == (1.0, None)
    assert printed.lines == 20_001
    assert capsys.readouterr() == ("", "")
    excerpt = printed.excerpt("f").splitlines()
    assert excerpt[0] == "f printed 20,001 lines; the first 8:"
    assert excerpt[1] == "    0 " and len(excerpt) == 9 and excerpt[2].endswith("…") and len(excerpt[2]) <= 104


def test_a_few_printed_lines_are_all_shown_with_the_verdict():
    def debug(w, m):
        print("w =", w)
        return 0.0
    feedback = check_function(debug, reference, CASES, name="l2")
    assert repr(feedback).splitlines() == [
        "✘ l2 returned 0 where 1.4 was expected; compare your code with the formula above.",
        "l2 printed 1 line:", "    w = [1. 2. 3.]"]
    assert "\n" not in feedback.message
    assert Feedback(True, "ok").printed == "" and Printed().excerpt("f") == ""
