"""The panels of an explorer's figure: a pure plot function of `plots` plus the per-λ data it needs.

A panel class has three steps:

    prepare(sweep, explorer)          per-λ data, computed once per sweep (kept in sweep.prepared)
    extent(sweep, prepared)           the axis limits this sweep needs; the explorer draws with the
                                      largest over the penalties of a dataset, so axes stay put on L1/L2
    Panel(axes, sweep, k, explorer, extent)   draws; update(sweep, k) changes the same artists in place

and may give the status line its own measure: ``reading(sweep, k) -> Reading``.
"""

from __future__ import annotations

import textwrap
from typing import NamedTuple

import matplotlib as mpl
import numpy as np
from matplotlib.patches import Rectangle

from .. import plots
from ..penalties import frobenius_norm_sq
from .sweep import Sweep

ACTIVE_THRESHOLD = 0.1   # a unit is "active" while its activity is >= 10% of its layer's largest
LINEAR_BAND = 0.5        # |z| <= 0.5: tanh(z) is within 8% of z


class Reading(NamedTuple):
    """A panel's own measure at one λ: the `state` key it fills (a field of Status), its value, its text."""

    key: str
    value: float
    text: str


class Panel:
    """One part of the figure.

    `dynamic` lists, in drawing order, the artists a λ change touches plus any artist that must stay
    on top of them: only these are redrawn on a slider move (over a cached background). `overlays`
    are opaque artists on top of dynamic ones that never change (legends): their pixels are copied
    back from the background instead of being drawn again.
    """

    width = 4.0    # inches
    dynamic: list = []
    overlays: list = []

    @staticmethod
    def prepare(sweep: Sweep, explorer):
        return None

    @staticmethod
    def extent(sweep: Sweep, prepared) -> tuple[float, ...]:
        return ()

    @staticmethod
    def n_axes(sweep: Sweep) -> int:
        """1, or 2 for two axes stacked in the panel's place."""
        return 1

    def __init__(self, axes, sweep: Sweep, k: int, explorer, extent: tuple[float, ...]):
        raise NotImplementedError

    def update(self, sweep: Sweep, k: int) -> None:
        raise NotImplementedError

    def reading(self, sweep: Sweep, k: int) -> Reading | None:
        return None


def _training_cache(sweep: Sweep) -> dict:
    """The network's forward-pass cache (Z[l], A[l] for every λ) on the training set, computed once."""
    if "forward" not in sweep.prepared:
        with np.errstate(over="ignore", invalid="ignore"):
            cache = sweep.model.forward(sweep.X_train)[1]
        sweep.prepared["forward"] = {key: np.nan_to_num(value, nan=0.0, posinf=0.0, neginf=0.0)   # a diverged run
                                     for key, value in cache.items()}
    return sweep.prepared["forward"]


def _shown(sweep: Sweep, values: np.ndarray) -> np.ndarray:
    """The rows of `values` (one per λ) of the runs that did not diverge: what sets a scale."""
    kept = values[~sweep.diverged]
    return kept if len(kept) else values


class BoundaryPanel(Panel):
    """P(y = 1) on a grid, the 0.5 contour and the training points; a hatched veil where the run diverged."""

    width = 4.2

    @staticmethod
    def prepare(sweep, explorer):
        return plots.probability_rgba(sweep.proba)   # colour-mapped once

    def __init__(self, axes, sweep, k, explorer, extent):
        self.ax = axes[0]
        self.artists = plots.plot_decision_boundary(self.ax, sweep.X_train, sweep.Y_train, sweep.proba[k],
                                                    grid=sweep.grid)
        self.title = self.ax.set_title(" ", loc="left")
        self.veil = self.ax.add_patch(Rectangle((0, 0), 1, 1, transform=self.ax.transAxes, zorder=5,
                                                facecolor=mpl.rcParams["axes.facecolor"], alpha=0.8,
                                                edgecolor="0.5", hatch="//", linewidth=0))
        self.veil_text = self.ax.text(0.5, 0.5, "", transform=self.ax.transAxes, ha="center", va="center",
                                      zorder=6, fontsize="small",
                                      bbox=dict(facecolor=mpl.rcParams["axes.facecolor"], edgecolor="0.5"))
        a = self.artists
        self.dynamic = [a.image, a.boundary, *a.points, *self.ax.spines.values(), self.veil, self.veil_text,
                        self.title]
        self.overlays = [self.ax.get_legend()]
        self.update(sweep, k)

    def update(self, sweep, k):
        plots.update_decision_boundary(self.artists, sweep.prepared[BoundaryPanel][k], sweep.segments[k])
        lam = plots.format_lambda(sweep.lambdas[k])
        diverged = bool(sweep.diverged[k])
        self.veil.set_visible(diverged)
        self.veil_text.set_visible(diverged)
        if diverged:
            self.veil_text.set_text(textwrap.fill(f"λ = {lam}: training diverged. {sweep.divergence[k] or ''}", 36))
        self.title.set_text(f"λ = {lam}: " + ("diverged" if diverged else "P(y = 1) and the boundary"))


class WeightsPanel(Panel):
    """Histogram of all weights (exact zeros apart) and, for a network, ‖W[l]‖_F per layer."""

    width = 3.8

    @staticmethod
    def prepare(sweep, explorer):
        return np.array([[np.sqrt(frobenius_norm_sq(W)) for W in ws] for ws in sweep.weights])   # (K, L)

    @staticmethod
    def extent(sweep, norms):
        largest = [max(float(np.abs(W).max()) for W in ws) for ws in sweep.weights]
        positive = np.array(largest)[(sweep.lambdas > 0) & ~sweep.diverged]   # λ = 0 may have no finite
        return max(positive.max() if positive.size else 0.0, 1e-12), float(_shown(sweep, norms).max())   # optimum

    @staticmethod
    def n_axes(sweep):
        return 2 if len(sweep.weights[0]) > 1 else 1     # the per-layer norms need layers

    def __init__(self, axes, sweep, k, explorer, extent):
        limit, norms_max = extent
        edges = np.linspace(-limit, limit, 32)
        self.counts = [plots.weight_histogram_counts(ws, edges) for ws in sweep.weights]
        # The scale of the smallest λ: bars that grow far beyond it (all weights near 0) are cut and labelled.
        first = self.counts[0]
        ymax = min(3.0 * max(first.counts.sum(axis=0).max(), first.n_zero, 1), 1.05 * first.n_total)
        self.hist = plots.plot_weight_histogram(axes[0], sweep.weights[k], bins=edges, ymax=ymax)
        self.norms = None
        self.dynamic = [*self.hist.bars, self.hist.zero_bar, self.hist.text, self.hist.overflow]
        self.overlays = [axes[0].get_legend()]
        if len(axes) == 2:
            self.norms = plots.plot_layer_norms(axes[1], sweep.prepared[WeightsPanel][k],
                                                ymax=1.2 * max(norms_max, 1e-12))
            self.dynamic += [*self.norms.bars.patches, *self.norms.labels]
        self.update(sweep, k)

    def update(self, sweep, k):
        plots.update_weight_histogram(self.hist, self.counts[k])
        if self.norms is not None:
            plots.update_layer_norms(self.norms, sweep.prepared[WeightsPanel][k])


class CurvePanel(Panel):
    """Train and dev error against λ, the current λ and the dev-optimal one marked; diverged runs left out."""

    @staticmethod
    def prepare(sweep, explorer):
        return 100 * (1 - sweep.train_accuracy), 100 * (1 - sweep.dev_accuracy)

    @staticmethod
    def extent(sweep, errors):
        return (float(max(_shown(sweep, e).max() for e in errors)),)

    def __init__(self, axes, sweep, k, explorer, extent):
        train, dev = sweep.prepared[CurvePanel]
        self.artists = plots.plot_curves_vs_lambda(axes[0], sweep.lambdas, train, dev, current=sweep.lambdas[k],
                                                   best=sweep.best, ylabel="error (%)", valid=~sweep.diverged)
        axes[0].set_ylim(-2, max(1.1 * extent[0], 5))
        axes[0].set_title("train and dev error", loc="left")
        self.dynamic = [self.artists.current, self.artists.current_points]
        self.overlays = [axes[0].get_legend()]

    def update(self, sweep, k):
        train, dev = sweep.prepared[CurvePanel]
        shown = not sweep.diverged[k]
        plots.update_curves_vs_lambda(self.artists, sweep.lambdas[k], train[k] if shown else None,
                                      dev[k] if shown else None)


class UnitsPanel(Panel):
    """The network diagram, each hidden unit shaded by its activity (pale = faded).

    Activity is the unit's mean |a| over the training examples (``unit_activity="mean_abs"``) or
    the spread of a over them (``"std"``: a unit stuck at a constant only acts like a bias), divided
    by the largest value in its layer over the λ grid, so the shades compare across λ.
    """

    width = 4.4

    class Data(NamedTuple):
        activity: list          # one (K, n[l]) array per hidden layer, in [0, 1]
        weight_scale: list      # the largest |W[l]| over the grid, per layer
        active: np.ndarray      # (K,) active hidden units

    @staticmethod
    def prepare(sweep, explorer):
        cache = _training_cache(sweep)
        L = len(sweep.weights[0])
        measure = {"mean_abs": lambda A: np.abs(A).mean(axis=-1), "std": lambda A: A.std(axis=-1)}
        hidden = [measure[explorer.unit_activity](cache[f"A{l}"]) for l in range(1, L)]   # (K, n[l]) each
        activity = [a / max(_shown(sweep, a).max(), 1e-12) for a in hidden]
        W_scale = [max(float(np.abs(_shown(sweep, sweep.model.params[f"W{l}"])).max()), 1e-12)
                   for l in range(1, L + 1)]
        active = sum((a >= ACTIVE_THRESHOLD).sum(axis=-1) for a in activity)
        return UnitsPanel.Data(activity, W_scale, np.asarray(active))

    def __init__(self, axes, sweep, k, explorer, extent):
        self.ax = axes[0]
        self.dims = explorer.layer_dims
        d = sweep.prepared[UnitsPanel]
        self.artists = plots.plot_network(self.ax, self.dims, self._activity(d, k), sweep.weights[k],
                                          weight_scale=d.weight_scale)
        self.title = self.ax.set_title(" ", loc="left")
        self.dynamic = [self.artists.edges, self.artists.units, self.title]
        self.update(sweep, k)

    @staticmethod
    def _activity(d, k):
        return [None] + [np.clip(a[k], 0.0, 1.0) for a in d.activity] + [None]

    def update(self, sweep, k):
        d = sweep.prepared[UnitsPanel]
        plots.update_network(self.artists, self._activity(d, k), sweep.weights[k], weight_scale=d.weight_scale)
        self.title.set_text(f"active hidden units: {d.active[k]} of {sum(self.dims[1:-1])}")

    def reading(self, sweep, k):
        active = int(sweep.prepared[UnitsPanel].active[k])
        return Reading("active_units", active, f"active units {active} of {sum(self.dims[1:-1])}")


class TanhPanel(Panel):
    """tanh with its linear band and the histogram of the hidden layers' pre-activations z."""

    width = 4.4

    class Data(NamedTuple):
        edges: np.ndarray
        heights: np.ndarray     # (K, bins): fraction of z per bin
        Z0: np.ndarray          # the pre-activations at the first λ (drawn first)
        fraction: np.ndarray    # (K,) fraction of z in the linear band

    @staticmethod
    def prepare(sweep, explorer):
        cache = _training_cache(sweep)
        L = len(sweep.weights[0])
        Z = np.concatenate([cache[f"Z{l}"].reshape(len(sweep.lambdas), -1) for l in range(1, L)], axis=1)
        edges = np.linspace(-4.0, 4.0, 41)
        heights = np.array([plots.tanh_histogram(z, edges) for z in Z])
        return TanhPanel.Data(edges, heights, Z[0], np.mean(np.abs(Z) <= LINEAR_BAND, axis=1))

    @staticmethod
    def extent(sweep, d):
        return (min(2.5 * d.heights[0].max(), 1.05),)   # the scale of the smallest λ: taller bars are cut

    def __init__(self, axes, sweep, k, explorer, extent):
        d = sweep.prepared[TanhPanel]
        self.artists = plots.plot_tanh_band(axes[0], d.Z0, band=LINEAR_BAND, bins=len(d.edges) - 1,
                                            hist_max=extent[0])
        axes[0].set_title("hidden pre-activations z", loc="left")
        a = self.artists
        self.dynamic = [a.bars, a.overflow, a.band, a.identity, a.curve, a.text]
        self.overlays = [axes[0].get_legend()]
        self.update(sweep, k)

    def update(self, sweep, k):
        d = sweep.prepared[TanhPanel]
        plots.update_tanh_band(self.artists, d.heights[k], d.fraction[k])

    def reading(self, sweep, k):
        fraction = float(sweep.prepared[TanhPanel].fraction[k])
        return Reading("linear_fraction", fraction, f"z in linear band {100 * fraction:.0f}%")


class CoefficientsPanel(Panel):
    """The logistic regression's coefficients w_j, grouped by the degree of their monomial."""

    width = 4.6

    @staticmethod
    def prepare(sweep, explorer):
        return np.array([ws[0][:, 0] for ws in sweep.weights])                   # (K, n)

    @staticmethod
    def extent(sweep, W):
        return (max(float(np.abs(_shown(sweep, W)).max()), 1.0),)

    def __init__(self, axes, sweep, k, explorer, extent):
        groups = list(range(2, explorer.degree + 2))
        self.artists = plots.plot_coefficients(axes[0], sweep.prepared[CoefficientsPanel][k], ylim=1.5 * extent[0],
                                               group_sizes=groups)
        a = self.artists
        self.dynamic = [*a.bars.patches, a.zeros, a.text]
        self.overlays = [axes[0].get_legend()]

    def update(self, sweep, k):
        plots.update_coefficients(self.artists, sweep.prepared[CoefficientsPanel][k])


class PathPanel(Panel):
    """The regularization path: every w_j against λ, a line at the current λ."""

    prepare = staticmethod(CoefficientsPanel.prepare)

    @staticmethod
    def extent(sweep, W):
        positive = W[(sweep.lambdas > 0) & ~sweep.diverged]
        return (1.1 * max(float(np.abs(positive if positive.size else W).max()), 1e-9),)

    def __init__(self, axes, sweep, k, explorer, extent):
        self.artists = plots.plot_regularization_path(axes[0], sweep.lambdas, sweep.prepared[PathPanel],
                                                      current=sweep.lambdas[k])
        axes[0].set_ylim(-extent[0], extent[0])
        axes[0].set_title("regularization path", loc="left")
        self.dynamic = [self.artists.current]

    def update(self, sweep, k):
        plots.update_regularization_path(self.artists, sweep.lambdas[k])
