"""The status line: the numbers of the λ shown, as a typed record (`Explorer.state` is its dict)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from .. import plots
from .panels import Reading
from .sweep import Sweep


@dataclass(frozen=True)
class Status:
    """The numbers at the λ shown. `Explorer.state` is this as a dict: always these keys, whichever panels
    are shown; a measure that is not available is None.

    lambd             the λ shown
    penalty_kind      "l2" or "l1"
    dataset           the dataset's name ("notebook data" for a notebook's own split without a name)
    train_accuracy    fraction of the training set labelled correctly
    dev_accuracy      the same on the dev set
    data_loss         cross-entropy on the training set (the cost without its penalty)
    penalty           the penalty term on the training set: (λ/2m) Σ‖W‖_F² (L2) or (λ/m) Σ|W| (L1)
    sum_frobenius_sq  Σ_l ‖W[l]‖_F² (‖w‖² for logistic regression)
    sum_abs           Σ_l Σ_ij |W[l]_ij| (‖w‖₁ for logistic regression)
    n_zero_weights    weights exactly 0 (L1 makes them)
    n_weights         weights in all (biases not counted)
    best_lambd        the dev-optimal λ of the grid (diverged runs left out)
    diverged          True when training diverged at this λ: the numbers are then not a result
    divergence        why it diverged, in course words (None when it did not)
    active_units      active hidden units (the "units" panel; None without it)
    linear_fraction   fraction of the hidden pre-activations z in tanh's linear band (the "tanh" panel; None
                      without it)

    A number that is not finite (only possible for a diverged run) is None.
    """

    lambd: float
    penalty_kind: str
    dataset: str
    train_accuracy: float | None
    dev_accuracy: float | None
    data_loss: float | None
    penalty: float | None
    sum_frobenius_sq: float | None
    sum_abs: float | None
    n_zero_weights: int
    n_weights: int
    best_lambd: float
    diverged: bool
    divergence: str | None
    active_units: int | None = None
    linear_fraction: float | None = None

    @classmethod
    def of(cls, sweep: Sweep, k: int, readings: list[Reading]) -> Status:
        """The status at index k of a sweep, with the panels' own readings."""
        return cls(lambd=float(sweep.lambdas[k]), penalty_kind=sweep.penalty, dataset=sweep.dataset,
                   train_accuracy=_number(sweep.train_accuracy[k]), dev_accuracy=_number(sweep.dev_accuracy[k]),
                   data_loss=_number(sweep.data_loss[k]), penalty=_number(sweep.penalty_value[k]),
                   sum_frobenius_sq=_number(sweep.sum_frobenius_sq[k]), sum_abs=_number(sweep.sum_abs[k]),
                   n_zero_weights=int(sweep.n_zero_weights[k]), n_weights=sweep.n_weights,
                   best_lambd=float(sweep.lambdas[sweep.best]), diverged=bool(sweep.diverged[k]),
                   divergence=sweep.divergence[k], **{r.key: r.value for r in readings})

    def html(self, readings: list[Reading], weights: str = "W", note: str = "") -> str:
        """The status line. `weights` is "W" (a network: Σ‖W[l]‖) or "w" (logistic regression: ‖w‖)."""
        parts = [f"<b>λ = {plots.format_lambda(self.lambd)}</b>"]
        if self.diverged:
            parts.append(f'<span style="color:#B00020">diverged: {html.escape(self.divergence or "")}</span>')
        else:
            parts += [f"train {_percent(self.train_accuracy)}", f"dev {_percent(self.dev_accuracy)}",
                      f"data loss {_value(self.data_loss, 3)}", f"penalty {html.escape(_value(self.penalty))}",
                      self._norm(weights)]
            if self.penalty_kind == "l1":
                parts.append(f"exact zeros {self.n_zero_weights} of {self.n_weights}")
            parts += [html.escape(r.text) for r in readings]
        if note:
            parts.append(f"<i>{html.escape(note)}</i>")
        return ('<div style="font-size:1.05em;font-variant-numeric:tabular-nums">'
                + " &nbsp;·&nbsp; ".join(parts) + "</div>")

    def pinned_html(self) -> str:
        """The caption of a pinned picture: its λ, penalty, data and accuracies."""
        parts = [f"<b>pinned: λ = {plots.format_lambda(self.lambd)}</b>", self.penalty_kind.upper(),
                 html.escape(self.dataset)]
        parts += ["diverged"] if self.diverged else [f"train {_percent(self.train_accuracy)}",
                                                     f"dev {_percent(self.dev_accuracy)}"]
        return '<div style="font-size:1.05em">' + " &nbsp;·&nbsp; ".join(parts) + "</div>"

    def _norm(self, weights: str) -> str:
        if weights == "w":
            return (_equals("‖w‖<sub>1</sub>", self.sum_abs) if self.penalty_kind == "l1"
                    else _equals("‖w‖<sup>2</sup>", self.sum_frobenius_sq))
        if self.penalty_kind == "l1":
            return _equals("Σ‖W<sup>[l]</sup>‖<sub>1</sub>", self.sum_abs)
        return _equals("Σ‖W<sup>[l]</sup>‖<sub>F</sub><sup>2</sup>", self.sum_frobenius_sq)


def _number(x) -> float | None:
    return float(x) if np.isfinite(x) else None


def _percent(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _value(x, decimals: int | None = None) -> str:
    """A number to its shown precision: 3 significant digits (or `decimals` places), "< 1e-6" or 0 below."""
    if x is None:
        return "–"
    return plots.format_value(x, decimals=decimals)


def _equals(name: str, x) -> str:
    """ "name = value" (name is HTML), or "name < 1e-6" when the value is below the shown precision."""
    shown = _value(x)
    return f"{name} {html.escape(shown)}" if shown[0] in "<>" else f"{name} = {html.escape(shown)}"
