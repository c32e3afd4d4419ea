"""Checkers for notebook 08's conventions exercise: a framework's penalty setting in the course's λ, and back.

    check_lambd_from_sgd(lambd_from_sgd)    lambd_from_sgd(weight_decay, m, batch_size) = m * weight_decay
    check_keras_l2_for(keras_l2_for)        keras_l2_for(lambd, m, batch_size)          = lambd / (2 m)

Both take the mini-batch size B although the answer does not depend on it: PyTorch and Keras average the loss
over the B examples of a batch, and that mean stands in for the mean over all m training examples, so m is the
number in the conversion and B is the classic trap. The references are the package's own translators
(`regcourse.conventions`, where the formulas are derived); the named mistakes are the usual slips: B in place
of m, the ratio turned upside down, Keras' factor 2 forgotten or added where it does not belong.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from .. import conventions
from . import Exercise, Feedback

SEED = 808
BATCH_SIZES = (16, 32, 64, 128, 256)


def _sizes(rng: np.random.Generator) -> tuple[int, int]:
    """A training-set size m and a batch size B with B < m and m/B not an integer (so no slip can land on the
    right answer by accident: m·w ≠ B·w ≠ (m/B)·w, and so on)."""
    batch_size = int(rng.choice(BATCH_SIZES))
    m = int(rng.integers(8, 400)) * batch_size + int(rng.integers(1, batch_size))
    return m, batch_size


def _cases(stream: int, low: float, high: float, decimals: int) -> list[tuple[float, int, int]]:
    """Four (value, m, batch_size) cases, the value drawn log-uniformly between 10^low and 10^high."""
    rng = np.random.default_rng([SEED, stream])
    cases = []
    for _ in range(4):
        m, batch_size = _sizes(rng)
        cases.append((float(np.round(10 ** rng.uniform(low, high), decimals)), m, batch_size))
    return cases


# --- lambd_from_sgd(weight_decay, m, batch_size) -------------------------------------------------------

def lambd_from_sgd_reference(weight_decay, m, batch_size):
    """The course's λ for ``torch.optim.SGD(weight_decay=...)`` on m training examples, whatever the batch size:
    SGD adds weight_decay · W to the gradient of the batch's mean loss, the course adds (λ/m) W to the gradient
    of the mean loss over the training set, so λ = m · weight_decay."""
    return conventions.lambd_from_torch_weight_decay(weight_decay, m)


LAMBD_FROM_SGD = Exercise(
    "lambd_from_sgd", lambd_from_sgd_reference, partial(_cases, 1, -5, -2, 8),     # weight_decay from 1e-5 to 1e-2
    mistakes={
        "did you use the batch size B in place of m? The mean loss of a batch stands in for the mean over all m "
        "training examples, so λ = m · weight_decay, whatever B is.":
            lambda w, m, b: b * w,
        "did you divide by m? weight_decay = λ/m, so going back to λ multiplies: λ = m · weight_decay.":
            lambda w, m, b: w / m,
        "did you multiply by the number of batches m/B? The decay is added at every step, and every step's "
        "mean loss already stands for the whole training set: λ = m · weight_decay.":
            lambda w, m, b: w * m / b,
        "did you bring in Keras' factor 2? SGD adds weight_decay · W to the gradient, the course (λ/m) W: "
        "there is no ½ to undo, so λ = m · weight_decay.":
            lambda w, m, b: 2 * m * w,
        "you returned weight_decay itself; it is λ/m, so multiply by m.":
            lambda w, m, b: w,
    })


def check_lambd_from_sgd(lambd_from_sgd: Callable) -> Feedback:
    """Check lambd_from_sgd(weight_decay, m, batch_size) = m · weight_decay on four fresh cases."""
    return LAMBD_FROM_SGD.check(lambd_from_sgd)


# --- keras_l2_for(lambd, m, batch_size) ----------------------------------------------------------------

def keras_l2_for_reference(lambd, m, batch_size):
    """Keras' per-layer ``regularizers.L2(l2=...)`` for the course's λ on m training examples, whatever the
    batch size: Keras adds l2 · ΣW² to the batch's mean loss, the course (λ/2m) ΣW² to the mean loss over the
    training set, so l2 = λ / (2m)."""
    return conventions.keras_l2(lambd, m)


KERAS_L2_FOR = Exercise(
    "keras_l2_for", keras_l2_for_reference, partial(_cases, 2, -1, 1.5, 3),         # λ from 0.1 to about 30
    rtol=1e-9, atol=1e-15,    # the answers are around 1e-5: compare far below that
    mistakes={
        "did you forget Keras' factor 2? Keras adds l2 · ΣW² to the loss where the course has (λ/2m) ΣW², "
        "so l2 = λ/(2m), not λ/m.":
            lambda lam, m, b: lam / m,
        "did you use the batch size B in place of m? Keras averages the loss over a batch, and that mean stands "
        "in for the mean over all m training examples: l2 = λ/(2m).":
            lambda lam, m, b: lam / (2 * b),
        "did you use B and forget the factor 2? Both slips at once: l2 = λ/(2m), with m the number of training "
        "examples.":
            lambda lam, m, b: lam / b,
        "you turned the ratio upside down: l2 = λ/(2m), not 2m/λ.":
            lambda lam, m, b: 2 * m / lam,
        "did you multiply by 2m? That is the way back, from l2 to λ; here divide: l2 = λ/(2m).":
            lambda lam, m, b: 2 * m * lam,
        "did you forget m? The course's penalty is (λ/2m) ΣW², so l2 = λ/(2m), not λ/2.":
            lambda lam, m, b: lam / 2,
    })


def check_keras_l2_for(keras_l2_for: Callable) -> Feedback:
    """Check keras_l2_for(lambd, m, batch_size) = lambd / (2m) on four fresh cases."""
    return KERAS_L2_FOR.check(keras_l2_for)


EXERCISES = (LAMBD_FROM_SGD, KERAS_L2_FOR)
