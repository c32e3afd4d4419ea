"""How other libraries spell this course's λ: a translator with the formula each one uses.

The course's L2 cost, for m training examples (examples are columns, W[l] is (n[l], n[l-1])):

    J = (1/m) sum_i L(yhat_i, y_i) + (lambd / 2m) sum_l ||W[l]||_F^2,
    dW[l] = dW[l]_backprop + (lambd / m) W[l].

Every library writes the same penalty with its own constant in front of sum ||W||^2. Matching
that constant with lambd / 2m (for the cost) or lambd / m (for the gradient) gives:

    scikit-learn MLPClassifier   alpha        = lambd          (full batch)
    scikit-learn LogisticRegr.   C            = 1 / lambd
    Keras regularizers.L2        l2           = lambd / (2 m)
    PyTorch SGD                  weight_decay = lambd / m

Here m is the number of *training examples*, not the mini-batch size. Each function below returns
the value and has the library's own formula in its docstring; ``lambd_from_*`` go the other way,
and ``table(lambd, m)`` lists all of them for display.

Not in the table, on purpose: PyTorch's ``AdamW(weight_decay=...)`` and Keras' ``AdamW``. They
shrink the weights outside the gradient ("decoupled" weight decay), which under Adam is not an
L2 penalty at all, so no value of λ matches them (see ``regcourse.optimizers``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from . import _validate as v


# --- scikit-learn --------------------------------------------------------------------------------

def sklearn_mlp_alpha(lambd: float, m: int | None = None, batch_size: int | None = None) -> float:
    """scikit-learn ``MLPClassifier(alpha=...)`` for the course's λ: alpha = λ.

    scikit-learn's loss on the n_samples of a batch is
        mean loss + (alpha / (2 n_samples)) * sum_l ||coefs_[l]||_F^2,
    the course's formula with alpha in the place of λ. (Its ``coefs_[l]`` is W[l] transposed,
    (n[l-1], n[l]), which does not change the norm.) With the full batch (solver "lbfgs", or
    ``batch_size >= m``) alpha = λ. With mini-batches of size b the penalty is divided by b in
    every step instead of m, so matching the course's cost needs alpha = λ b / m: pass `m` and
    `batch_size` to get that value.
    """
    lambd = v.lambd(lambd)
    if batch_size is None:
        if m is not None:
            _m(m)
        return lambd
    if m is None:
        raise TypeError("sklearn_mlp_alpha needs m (the number of training examples) when batch_size is given")
    m, batch_size = _m(m), v.integer("batch_size", batch_size, minimum=1)
    return lambd * min(batch_size, m) / m


def lambd_from_sklearn_mlp_alpha(alpha: float, m: int | None = None, batch_size: int | None = None) -> float:
    """The course's λ for scikit-learn's MLP ``alpha``: λ = alpha (full batch), λ = alpha m / b
    with mini-batches of size b."""
    alpha = v.scalar("alpha", alpha, minimum=0.0)
    if batch_size is None:
        if m is not None:
            _m(m)
        return alpha
    if m is None:
        raise TypeError("lambd_from_sklearn_mlp_alpha needs m (the number of training examples) "
                        "when batch_size is given")
    m, batch_size = _m(m), v.integer("batch_size", batch_size, minimum=1)
    return alpha * m / min(batch_size, m)


def sklearn_logistic_C(lambd: float) -> float:
    """scikit-learn ``LogisticRegression(C=...)`` for the course's λ: C = 1 / λ.

    scikit-learn minimizes C * sum_i L(yhat_i, y_i) + (1/2) ||w||_2^2. Dividing by C m (which
    does not move the minimum) gives (1/m) sum_i L + (1 / (2 C m)) ||w||_2^2; matching
    1 / (2 C m) with λ / 2m gives C = 1 / λ, whatever m is. λ = 0 gives C = inf, which
    scikit-learn (>= 1.8) reads as "no penalty". The same C = 1 / λ holds for the course's L1
    term (λ/m) ||w||_1 with ``l1_ratio=1``. The intercept is not penalized (except by the
    "liblinear" solver, which penalizes it like a weight).
    """
    lambd = v.lambd(lambd)
    return math.inf if lambd == 0 else 1.0 / lambd


def lambd_from_sklearn_logistic_C(C: float) -> float:
    """The course's λ for scikit-learn's LogisticRegression ``C``: λ = 1 / C (C = inf gives 0)."""
    if isinstance(C, (int, float)) and not isinstance(C, bool) and C == math.inf:
        return 0.0
    C = v.positive("C", C)
    return 1.0 / C


# --- Keras -----------------------------------------------------------------------------------------

def keras_l2(lambd: float, m: int) -> float:
    """Keras ``regularizers.L2(l2=...)`` (``kernel_regularizer=``) for the course's λ: l2 = λ / (2m).

    Keras adds l2 * sum(W ** 2) for each regularized kernel to the batch's mean loss (the mean
    over a batch is, on average, the mean over the training set). Matching l2 with λ / 2m gives
    l2 = λ / (2m), with m the number of training examples. Attach the regularizer to every
    Dense layer's kernel; biases are not regularized unless ``bias_regularizer`` is set.
    """
    lambd, m = v.lambd(lambd), _m(m)
    return lambd / (2 * m)


def lambd_from_keras_l2(l2: float, m: int) -> float:
    """The course's λ for Keras' ``l2``: λ = 2 m l2."""
    l2, m = v.scalar("l2", l2, minimum=0.0), _m(m)
    return 2 * m * l2


# --- PyTorch -----------------------------------------------------------------------------------------

def torch_weight_decay(lambd: float, m: int) -> float:
    """PyTorch ``torch.optim.SGD(weight_decay=...)`` for the course's λ: weight_decay = λ / m.

    PyTorch's SGD adds weight_decay * W to the gradient of the (mean) loss before the step,
    g := g + weight_decay * W, which is the course's dW_backprop + (λ/m) W: weight_decay = λ / m,
    with m the number of training examples. It decays every parameter of the group, biases
    included, unless the biases are put in a parameter group with weight_decay=0.
    """
    lambd, m = v.lambd(lambd), _m(m)
    return lambd / m


def lambd_from_torch_weight_decay(weight_decay: float, m: int) -> float:
    """The course's λ for PyTorch SGD's ``weight_decay``: λ = m weight_decay."""
    weight_decay, m = v.scalar("weight_decay", weight_decay, minimum=0.0), _m(m)
    return m * weight_decay


# --- all at once ---------------------------------------------------------------------------------------

class Row(NamedTuple):
    """One line of the translation table."""

    framework: str
    parameter: str
    formula: str
    value: float


def table(lambd: float, m: int) -> list[Row]:
    """The course's λ (with m training examples) in each library's parameter, one Row each."""
    lambd, m = v.lambd(lambd), _m(m)
    return [
        Row("scikit-learn MLPClassifier", "alpha", "alpha = λ", sklearn_mlp_alpha(lambd)),
        Row("scikit-learn LogisticRegression", "C", "C = 1/λ", sklearn_logistic_C(lambd)),
        Row("Keras regularizers.L2", "l2", "l2 = λ/(2m)", keras_l2(lambd, m)),
        Row("PyTorch optim.SGD", "weight_decay", "weight_decay = λ/m", torch_weight_decay(lambd, m)),
    ]


def format_table(lambd: float, m: int) -> str:
    """`table(lambd, m)` as aligned text, values to 6 significant digits."""
    rows = table(lambd, m)
    widths = [max(len(header), *(len(getattr(r, field)) for r in rows))
              for header, field in (("framework", "framework"), ("parameter", "parameter"),
                                    ("formula", "formula"))]
    header = ("framework", "parameter", "formula", "value")
    lines = ["  ".join(h.ljust(w) for h, w in zip(header[:3], widths)) + "  value"]
    lines.append("-" * len(lines[0]))
    for r in rows:
        value = "inf" if math.isinf(r.value) else f"{r.value:.6g}"
        lines.append("  ".join(s.ljust(w) for s, w in zip(r[:3], widths)) + "  " + value)
    return "\n".join(lines)


def _m(m) -> int:
    return v.integer("m", m, minimum=1)
