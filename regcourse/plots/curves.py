"""Curves against λ (train and dev, the regularization path) and over the training iterations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import _validate as v
from ..style import DEV_COLOR, OKABE_ITO, TRAIN_COLOR
from . import _checks as checks
from .axes import format_lambda, lambda_axis, opaque_legend


class CurveArtists(NamedTuple):
    train: Line2D
    dev: Line2D
    current: Line2D          # vertical line at the current λ
    current_points: Line2D   # the two values at the current λ
    best: Line2D             # star at the dev-optimal λ
    best_index: int


def plot_curves_vs_lambda(ax: Axes, lambdas, train, dev, *, current: float | None = None,
                          best: str | int | None = "min", ylabel: str = "error (%)",
                          labels: tuple[str, str] = ("train", "dev"),
                          legend_loc: str = "upper left", valid=None) -> CurveArtists:
    """Train and dev curves against λ on a log axis that still shows λ = 0 at its left end.

    Marks the current λ (a vertical line, moved by update_curves_vs_lambda) and the dev-optimal
    λ with a star: `best` is "min" (an error or a loss), "max" (an accuracy), an index, or None.
    `valid` (K,) bool leaves the points where it is False out of the curves (e.g. runs that diverged;
    their values may be NaN), while the axis still spans every λ.
    """
    checks.axes(ax)
    lambdas = checks.lambdas(lambdas)
    valid = np.ones(len(lambdas), dtype=bool) if valid is None else _mask("valid", valid, len(lambdas))
    train, dev = _values_where("train", train, valid), _values_where("dev", dev, valid)
    checks.text("ylabel", ylabel)
    if isinstance(labels, str) or not isinstance(labels, Sequence) or len(labels) != 2 \
            or not all(isinstance(label, str) for label in labels):
        raise TypeError(f"labels must be two strings (the train and dev curves' names), got {v.described(labels)}")
    checks.loc("legend_loc", legend_loc)
    order = np.argsort(lambdas)
    order = order[valid[order]]
    size = 0.6 * mpl.rcParams["lines.markersize"]
    train_line, = ax.plot(lambdas[order], train[order], "o-", color=TRAIN_COLOR, label=labels[0], markersize=size)
    dev_line, = ax.plot(lambdas[order], dev[order], "s-", color=DEV_COLOR, label=labels[1], markersize=size)
    if best is None or not valid.any():
        k_best = -1
    elif isinstance(best, str):
        v.choice("best", best, ("min", "max"))
        k_best = int(np.nanargmin(dev) if best == "min" else np.nanargmax(dev))
    else:
        k_best = v.at_most("best", v.integer("best", best, minimum=0), len(lambdas) - 1, "an index into lambdas")
    best_line, = ax.plot([lambdas[k_best]] if k_best >= 0 else [], [dev[k_best]] if k_best >= 0 else [],
                         "*", color=OKABE_ITO["orange"], markersize=2.6 * mpl.rcParams["lines.markersize"],
                         markeredgecolor=mpl.rcParams["text.color"], zorder=4,
                         label=f"best dev: λ = {format_lambda(lambdas[k_best])}" if k_best >= 0 else None)
    x0 = lambdas[0] if current is None else checks.lambd("current", current)
    current_line = ax.axvline(x0, color=mpl.rcParams["text.color"], linewidth=1.0, linestyle="--", zorder=1)
    current_points, = ax.plot([], [], "o", markerfacecolor="none", markeredgecolor=mpl.rcParams["text.color"],
                              markersize=1.6 * mpl.rcParams["lines.markersize"], markeredgewidth=1.5, zorder=5)
    artists = CurveArtists(train_line, dev_line, current_line, current_points, best_line, k_best)
    if current is not None:
        k = int(np.argmin(np.abs(lambdas - current)))
        update_curves_vs_lambda(artists, current, *((train[k], dev[k]) if valid[k] else (None, None)))
    lambda_axis(ax, lambdas)
    ax.set_ylabel(ylabel)
    opaque_legend(ax, loc=legend_loc)
    return artists


def update_curves_vs_lambda(artists: CurveArtists, lambd: float, train_value: float | None,
                            dev_value: float | None) -> None:
    """Move the current-λ marker to `lambd`: the line, and circles on the two values (none when None)."""
    checks.artists(artists, CurveArtists, "plot_curves_vs_lambda")
    lambd = v.lambd(lambd)
    artists.current.set_xdata([lambd, lambd])
    if train_value is None or dev_value is None:
        artists.current_points.set_data([], [])
    else:
        values = [v.scalar("train_value", train_value), v.scalar("dev_value", dev_value)]
        artists.current_points.set_data([lambd, lambd], values)


def _mask(name, values, n) -> np.ndarray:
    mask = np.asarray(values)
    if mask.dtype != bool or mask.shape != (n,):
        raise TypeError(f"{name} must be a boolean array of shape ({n},), one per λ, got {v.described(values)}")
    return mask


def _values_where(name, values, valid) -> np.ndarray:
    """One number per λ, finite where `valid` (anything elsewhere, e.g. NaN for a run that diverged)."""
    if isinstance(values, (str, bytes, Mapping)) or values is None or np.ndim(values) != 1:
        raise TypeError(f"{name} must be a 1-D array of one number per λ, got {v.described(values)}")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1-D array of numbers, got {v.described(values)}") from None
    if arr.shape != valid.shape:
        raise ValueError(f"{name} must hold one value per λ ({len(valid)}), got shape {arr.shape}")
    v.as_matrix(name, np.where(valid, arr, 0.0), ndim=1)          # finite where it is drawn
    return arr


class PathArtists(NamedTuple):
    lines: list[Line2D]
    current: Line2D


def plot_regularization_path(ax: Axes, lambdas, coefs, *, labels: Sequence[str] | None = None,
                             current: float | None = None, ylabel: str = "coefficient $w_j$") -> PathArtists:
    """The regularization path: each coefficient w_j (a line) against λ (log axis, λ = 0 at the left).

    `coefs` is (K, n): row k holds the n coefficients fitted with lambdas[k].
    """
    checks.axes(ax)
    lambdas = checks.lambdas(lambdas)
    coefs = v.as_matrix("coefs", coefs, rows=len(lambdas))
    checks.text("ylabel", ylabel)
    if labels is not None and (isinstance(labels, str) or not isinstance(labels, Sequence)
                               or len(labels) != coefs.shape[1]):
        raise ValueError(f"labels must hold one name per coefficient ({coefs.shape[1]}), got {v.described(labels)}")
    current = None if current is None else checks.lambd("current", current)
    order = np.argsort(lambdas)
    colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    lines = [ax.plot(lambdas[order], coefs[order, j], color=colors[j % len(colors)], alpha=0.85,
                     linewidth=0.7 * mpl.rcParams["lines.linewidth"],
                     label=labels[j] if labels is not None else None)[0]
             for j in range(coefs.shape[1])]
    ax.axhline(0.0, color=mpl.rcParams["text.color"], linewidth=0.6, zorder=0)
    current_line = ax.axvline(lambdas[0] if current is None else current, color=mpl.rcParams["text.color"],
                              linewidth=1.0, linestyle="--")
    lambda_axis(ax, lambdas)
    ax.set_ylabel(ylabel)
    if labels is not None:
        ax.legend(fontsize="small", ncols=2)
    return PathArtists(lines, current_line)


def update_regularization_path(artists: PathArtists, lambd: float) -> None:
    """Move the current-λ line to `lambd`."""
    checks.artists(artists, PathArtists, "plot_regularization_path")
    lambd = v.lambd(lambd)
    artists.current.set_xdata([lambd, lambd])


class HistoryArtists(NamedTuple):
    lines: list[Line2D]


HISTORY_QUANTITIES = ("frobenius", "data_loss", "penalty", "cost")


def plot_history(ax: Axes, history, *, quantity: str = "frobenius", lambdas=None, layer: int | None = None,
                 max_lines: int = 8, logy: bool = False) -> HistoryArtists:
    """A quantity over the training iterations, one line per λ (light = small λ, dark = large λ).

    `history` is a training history dict (or a Fit, whose .history and .lambd are used) with
    "iteration" (R,) and per-λ columns: "data_loss", "penalty" (R, K) and "frobenius" (R, K, L).
    quantity "frobenius" plots sqrt(Σ_l ‖W[l]‖_F²), or ‖W[layer]‖_F when `layer` is given;
    "cost" is data_loss + penalty. At most `max_lines` λ values are drawn, evenly chosen.
    """
    checks.axes(ax)
    if hasattr(history, "history"):
        lambdas = history.lambd if lambdas is None else lambdas
        history = history.history
    v.choice("quantity", quantity, HISTORY_QUANTITIES)
    needed = {"iteration", "frobenius" if quantity == "frobenius" else "data_loss"} | (
        {"penalty"} if quantity in ("penalty", "cost") else set())
    if not isinstance(history, Mapping) or not needed <= set(history):
        raise TypeError(f"history must be a Fit or its history dict with {sorted(needed)}, got {v.described(history)}")
    max_lines = v.integer("max_lines", max_lines, minimum=1)
    logy = checks.flag("logy", logy)
    if layer is not None:
        layer = v.integer("layer", layer, minimum=1)
    if lambdas is not None:
        lambdas = checks.lambdas(np.atleast_1d(lambdas) if isinstance(lambdas, (int, float)) else lambdas)
    iterations = np.asarray(history["iteration"])
    if quantity == "frobenius":
        F = np.asarray(history["frobenius"], dtype=float)
        F = F[:, None, :] if F.ndim == 2 else F                      # (R, K, L)
        if layer is None:
            values = np.sqrt(np.sum(F ** 2, axis=-1))
            ylabel = r"$\sqrt{\sum_l \Vert W^{[l]}\Vert_F^2}$"
        else:
            if layer not in range(1, F.shape[-1] + 1):
                raise ValueError(f"layer must be one of 1..{F.shape[-1]} (the layers with weights), got {layer!r}")
            values = F[:, :, layer - 1]
            ylabel = rf"$\Vert W^{{[{layer}]}}\Vert_F$"
    else:
        if quantity == "cost":
            values = np.asarray(history["data_loss"], dtype=float) + np.asarray(history["penalty"], dtype=float)
        else:
            values = np.asarray(history[quantity], dtype=float)
        ylabel = {"data_loss": "data loss", "penalty": "penalty", "cost": "cost J"}[quantity]
    values = values.reshape(len(iterations), -1)                      # (R, K)
    K = values.shape[1]
    lambdas = np.full(K, np.nan) if lambdas is None else lambdas
    if len(lambdas) != K:
        raise ValueError(f"lambdas must hold one value per history column ({K}), got {len(lambdas)}")
    chosen = np.unique(np.round(np.linspace(0, K - 1, min(K, max_lines))).astype(int))
    cmap = mpl.colormaps["viridis"]
    lines = []
    for i, k in enumerate(chosen):
        color = cmap(0.9 * (1 - i / max(len(chosen) - 1, 1)))
        label = None if np.isnan(lambdas[k]) else f"λ = {format_lambda(lambdas[k])}"
        lines.append(ax.plot(iterations, values[:, k], color=color, label=label)[0])
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel(ylabel)
    if not np.isnan(lambdas[chosen]).all():
        ax.legend(fontsize="small")
    return HistoryArtists(lines)
