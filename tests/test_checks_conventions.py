"""The conventions checkers of notebook 08, beyond the contract of tests/test_checks.py: the references agree with
the package and with what the frameworks do, the batch size never matters, and the cases keep every slip apart."""

import numpy as np
import pytest

from regcourse import conventions
from regcourse.checks.conventions import (KERAS_L2_FOR, LAMBD_FROM_SGD, check_keras_l2_for, check_lambd_from_sgd,
                                          keras_l2_for_reference, lambd_from_sgd_reference)


def test_hand_worked_conversions():
    # PyTorch SGD(weight_decay=1e-4) on m = 50 000 examples in batches of 128: λ = 50 000 · 1e-4 = 5
    assert lambd_from_sgd_reference(1e-4, 50_000, 128) == pytest.approx(5.0)
    # λ = 5 on m = 50 000 examples: Keras l2 = 5 / 100 000 = 5e-5, half of PyTorch's weight_decay
    assert keras_l2_for_reference(5.0, 50_000, 128) == pytest.approx(5e-5)


def test_sgd_weight_decay_is_the_gradient_of_the_course_penalty_for_any_batch():
    # one SGD step on a batch of B examples, written as PyTorch does it (g := g + weight_decay · W), against the
    # course's step on the same batch's mean loss plus the gradient (λ/m) W of its penalty
    rng = np.random.default_rng(0)
    W, g_batch = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    for weight_decay, m, batch_size in LAMBD_FROM_SGD.make_cases():
        lambd = lambd_from_sgd_reference(weight_decay, m, batch_size)
        np.testing.assert_allclose(g_batch + weight_decay * W, g_batch + lambd / m * W, rtol=1e-12)


def test_keras_l2_is_the_course_penalty_on_the_mean_loss():
    # Keras: mean batch loss + l2 · ΣW²; the course: mean loss + (λ/2m) ΣW². Same penalty term for any W.
    W = np.random.default_rng(1).standard_normal((5, 2))
    for lambd, m, batch_size in KERAS_L2_FOR.make_cases():
        l2 = keras_l2_for_reference(lambd, m, batch_size)
        assert l2 * np.sum(W ** 2) == pytest.approx(lambd / (2 * m) * np.sum(W ** 2), rel=1e-12)


def test_the_round_trip_through_both_frameworks_is_the_identity():
    for weight_decay, m, batch_size in LAMBD_FROM_SGD.make_cases():
        lambd = lambd_from_sgd_reference(weight_decay, m, batch_size)
        l2 = keras_l2_for_reference(lambd, m, batch_size)
        assert conventions.lambd_from_keras_l2(l2, m) == pytest.approx(lambd, rel=1e-12)
        assert l2 == pytest.approx(weight_decay / 2, rel=1e-12)     # Keras' l2 is half of SGD's weight_decay


@pytest.mark.parametrize("exercise", [LAMBD_FROM_SGD, KERAS_L2_FOR], ids=lambda e: e.name)
def test_the_cases_tell_m_from_the_batch_size(exercise):
    for _, m, batch_size in exercise.make_cases():
        assert batch_size < m and m % batch_size != 0


@pytest.mark.parametrize("exercise", [LAMBD_FROM_SGD, KERAS_L2_FOR], ids=lambda e: e.name)
def test_every_slip_differs_from_the_answer_and_from_every_other_slip_on_every_case(exercise):
    for case in exercise.make_cases():
        answers = [exercise.reference(*case)] + [slip(*case) for slip in exercise.mistakes.values()]
        for i, a in enumerate(answers):
            for b in answers[i + 1:]:
                assert not np.isclose(a, b, rtol=1e-6, atol=0), (case, answers)


def test_answers_written_differently_pass():
    assert check_lambd_from_sgd(lambda w, m, b: w * m).passed
    assert check_lambd_from_sgd(lambda w, m, b: conventions.lambd_from_torch_weight_decay(w, m)).passed
    assert check_keras_l2_for(lambda lam, m, b: 0.5 * lam / m).passed
    assert check_keras_l2_for(lambda lam, m, b: conventions.torch_weight_decay(lam, m) / 2).passed


def test_the_batch_size_in_place_of_m_is_named_with_the_call():
    feedback = check_lambd_from_sgd(lambda w, m, b: b * w)
    weight_decay, m, batch_size = LAMBD_FROM_SGD.make_cases()[0]
    assert feedback.message.startswith(f"lambd_from_sgd({weight_decay:g}, {m}, {batch_size}) returned ")
    assert "did you use the batch size B in place of m?" in feedback.message


def test_an_unknown_wrong_answer_points_to_the_formula():
    feedback = check_keras_l2_for(lambda lam, m, b: lam / (3 * m))
    assert not feedback.passed and feedback.message.endswith("; compare your code with the formula above.")
