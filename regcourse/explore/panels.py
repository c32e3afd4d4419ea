"""The panels of an explorer's figure: a pure plot function of `plots` plus the per-λ data it needs."""

from __future__ import annotations

import numpy as np

from .. import plots
from ..penalties import frobenius_norm_sq
from .sweep import Sweep

ACTIVE_THRESHOLD = 0.1   # a unit is "active" while its activity is >= 10% of its layer's largest
LINEAR_BAND = 0.5        # |z| <= 0.5: tanh(z) is within 8% of z


class Panel:
    """One part of the figure. `prepare` precomputes per-λ data, `__init__` draws, `update` redraws.

    `dynamic` lists, in drawing order, the artists a λ change touches plus any artist that must stay
    on top of them: only these are redrawn on a slider move (over a cached background). `overlays`
    are opaque artists on top of dynamic ones that never change (legends): their pixels are copied
    back from the background instead of being drawn again.
    """

    width = 4.0    # inches
    dynamic: list = []
    overlays: list = []   # opaque static artists above dynamic ones (legends): their pixels are kept

    @staticmethod
    def prepare(sweep: Sweep, explorer) -> None:
        pass

    @staticmethod
    def n_axes(sweep: Sweep) -> int:
        """1, or 2 for two axes stacked in the panel's place."""
        return 1

    def __init__(self, axes, sweep: Sweep, k: int, explorer):
        raise NotImplementedError

    def update(self, sweep: Sweep, k: int) -> None:
        raise NotImplementedError


def _training_cache(sweep: Sweep) -> dict:
    """The network's forward-pass cache (Z[l], A[l] for every λ) on the training set, computed once."""
    if "forward" not in sweep.panel_data:
        sweep.panel_data["forward"] = sweep.model.forward(sweep.X_train)[1]
    return sweep.panel_data["forward"]


class BoundaryPanel(Panel):
    """P(y = 1) on a grid, the 0.5 contour and the training points."""

    width = 4.2

    @staticmethod
    def prepare(sweep, explorer):
        sweep.panel_data["boundary"] = plots.probability_rgba(sweep.proba)   # colour-mapped once

    def __init__(self, axes, sweep, k, explorer):
        self.ax = axes[0]
        self.artists = plots.plot_decision_boundary(self.ax, sweep.X_train, sweep.Y_train, sweep.proba[k],
                                                    grid=sweep.grid)
        self.title = self.ax.set_title(" ", loc="left")
        a = self.artists
        self.dynamic = [a.image, a.boundary, *a.points, *self.ax.spines.values(), self.title]
        self.overlays = [self.ax.get_legend()]
        self.update(sweep, k)

    def update(self, sweep, k):
        plots.update_decision_boundary(self.artists, sweep.panel_data["boundary"][k], sweep.segments[k])
        self.title.set_text(f"λ = {plots.format_lambda(sweep.lambdas[k])}: P(y = 1) and the boundary")


class WeightsPanel(Panel):
    """Histogram of all weights (exact zeros apart) and, for a network, ‖W[l]‖_F per layer."""

    width = 3.8

    @staticmethod
    def prepare(sweep, explorer):
        flat = [np.concatenate([W.ravel() for W in ws]) for ws in sweep.weights]
        reference = [np.abs(w).max() for w, lam in zip(flat, sweep.lambdas) if lam > 0] or [1e-12]
        limit = max(max(reference), 1e-12)          # λ = 0 may have no finite optimum: not the scale
        edges = np.linspace(-limit, limit, 32)
        counts = [plots.weight_histogram_counts(ws, edges) for ws in sweep.weights]
        norms = np.array([[np.sqrt(frobenius_norm_sq(W)) for W in ws] for ws in sweep.weights])
        # The scale of the smallest λ: bars that grow far beyond it (all weights near 0) are cut.
        first = counts[0]
        ymax = min(3.0 * max(first.counts.sum(axis=0).max(), first.n_zero, 1), 1.05 * first.n_total)
        sweep.panel_data["weights"] = dict(edges=edges, counts=counts, norms=norms, ymax=ymax)

    @staticmethod
    def n_axes(sweep):
        return 2 if len(sweep.weights[0]) > 1 else 1     # the per-layer norms need layers

    def __init__(self, axes, sweep, k, explorer):
        d = sweep.panel_data["weights"]
        self.layers = len(axes) == 2
        self.hist = plots.plot_weight_histogram(axes[0], sweep.weights[k], bins=d["edges"], ymax=d["ymax"])
        self.norms = None
        self.dynamic = list(self.hist.bars)
        self.dynamic += [self.hist.zero_bar, self.hist.text]
        self.overlays = [axes[0].get_legend()]
        if self.layers:
            self.norms = plots.plot_layer_norms(axes[1], d["norms"][k], ymax=1.2 * d["norms"].max())
            self.dynamic += [*self.norms.bars.patches, *self.norms.labels]
        self.update(sweep, k)

    def update(self, sweep, k):
        d = sweep.panel_data["weights"]
        plots.update_weight_histogram(self.hist, d["counts"][k])
        if self.norms is not None:
            plots.update_layer_norms(self.norms, d["norms"][k])


class CurvePanel(Panel):
    """Train and dev error against λ, the current λ and the dev-optimal one marked."""

    def __init__(self, axes, sweep, k, explorer):
        self.train, self.dev = 100 * (1 - sweep.train_accuracy), 100 * (1 - sweep.dev_accuracy)
        self.artists = plots.plot_curves_vs_lambda(axes[0], sweep.lambdas, self.train, self.dev,
                                                   current=sweep.lambdas[k], best=sweep.best,
                                                   ylabel="error (%)")
        axes[0].set_title("train and dev error", loc="left")
        self.dynamic = [self.artists.current, self.artists.current_points]
        self.overlays = [axes[0].get_legend()]

    def update(self, sweep, k):
        plots.update_curves_vs_lambda(self.artists, sweep.lambdas[k], self.train[k], self.dev[k])


class UnitsPanel(Panel):
    """The network diagram, each hidden unit shaded by its activity (pale = faded).

    Activity is the unit's mean |a| over the training examples (``unit_activity="mean_abs"``) or
    the spread of a over them (``"std"``: a unit stuck at a constant only acts like a bias), divided
    by the largest value in its layer over the whole λ grid, so the shades compare across λ.
    """

    width = 4.4

    @staticmethod
    def prepare(sweep, explorer):
        cache = _training_cache(sweep)
        L = len(sweep.weights[0])
        measure = {"mean_abs": lambda A: np.abs(A).mean(axis=-1), "std": lambda A: A.std(axis=-1)}
        hidden = [measure[explorer.unit_activity](cache[f"A{l}"]) for l in range(1, L)]   # (K, n[l]) each
        activity = [a / max(a.max(), 1e-12) for a in hidden]
        W_scale = [max(float(np.abs(sweep.model.params[f"W{l}"]).max()), 1e-12) for l in range(1, L + 1)]
        sweep.panel_data["units"] = dict(activity=activity, weight_scale=W_scale)
        active = sum((a >= ACTIVE_THRESHOLD).sum(axis=-1) for a in activity)
        sweep.extra["active_units"] = np.asarray(active, dtype=float)

    def __init__(self, axes, sweep, k, explorer):
        self.ax = axes[0]
        self.dims = explorer.layer_dims
        self.artists = plots.plot_network(self.ax, self.dims, self._activity(sweep, k), sweep.weights[k],
                                          weight_scale=sweep.panel_data["units"]["weight_scale"])
        self.title = self.ax.set_title(" ", loc="left")
        self.dynamic = [self.artists.edges, self.artists.units, self.title]
        self.update(sweep, k)

    def _activity(self, sweep, k):
        return [None] + [a[k] for a in sweep.panel_data["units"]["activity"]] + [None]

    def update(self, sweep, k):
        plots.update_network(self.artists, self._activity(sweep, k), sweep.weights[k],
                             weight_scale=sweep.panel_data["units"]["weight_scale"])
        n_hidden = sum(self.dims[1:-1])
        self.title.set_text(f"active hidden units: {sweep.extra['active_units'][k]:.0f} of {n_hidden}")


class TanhPanel(Panel):
    """tanh with its linear band and the histogram of the hidden layers' pre-activations z."""

    width = 4.4

    @staticmethod
    def prepare(sweep, explorer):
        cache = _training_cache(sweep)
        L = len(sweep.weights[0])
        Z = np.concatenate([cache[f"Z{l}"].reshape(len(sweep.lambdas), -1) for l in range(1, L)], axis=1)
        edges = np.linspace(-4.0, 4.0, 41)
        heights = np.array([plots.tanh_histogram(z, edges) for z in Z])
        fraction = np.mean(np.abs(Z) <= LINEAR_BAND, axis=1)
        sweep.panel_data["tanh"] = dict(edges=edges, heights=heights, Z0=Z[0])
        sweep.extra["linear_fraction"] = fraction

    def __init__(self, axes, sweep, k, explorer):
        d = sweep.panel_data["tanh"]
        self.artists = plots.plot_tanh_band(axes[0], d["Z0"], band=LINEAR_BAND, bins=len(d["edges"]) - 1,
                                            hist_max=min(2.5 * d["heights"][0].max(), 1.05))
        axes[0].set_title("hidden pre-activations z", loc="left")
        a = self.artists
        self.dynamic = [a.bars, a.band, a.identity, a.curve, a.text]
        self.overlays = [axes[0].get_legend()]
        self.update(sweep, k)

    def update(self, sweep, k):
        d = sweep.panel_data["tanh"]
        plots.update_tanh_band(self.artists, d["heights"][k], sweep.extra["linear_fraction"][k])


class CoefficientsPanel(Panel):
    """The logistic regression's coefficients w_j, grouped by the degree of their monomial."""

    width = 4.6

    @staticmethod
    def prepare(sweep, explorer):
        W = np.array([ws[0][:, 0] for ws in sweep.weights])                       # (K, n)
        sweep.panel_data["coefficients"] = dict(w=W, ymax=max(np.abs(W).max(), 1.0))

    def __init__(self, axes, sweep, k, explorer):
        d = sweep.panel_data["coefficients"]
        groups = list(range(2, explorer.degree + 2))
        self.artists = plots.plot_coefficients(axes[0], d["w"][k], ylim=1.5 * d["ymax"], group_sizes=groups)
        a = self.artists
        self.dynamic = [*a.bars.patches, a.zeros, a.text]
        self.overlays = [axes[0].get_legend()]

    def update(self, sweep, k):
        plots.update_coefficients(self.artists, sweep.panel_data["coefficients"]["w"][k])


class PathPanel(Panel):
    """The regularization path: every w_j against λ, a line at the current λ."""

    def __init__(self, axes, sweep, k, explorer):
        W = np.array([ws[0][:, 0] for ws in sweep.weights])
        self.artists = plots.plot_regularization_path(axes[0], sweep.lambdas, W, current=sweep.lambdas[k])
        positive = W[sweep.lambdas > 0] if (sweep.lambdas > 0).any() else W
        top = 1.1 * max(np.abs(positive).max(), 1e-9)
        axes[0].set_ylim(-top, top)
        axes[0].set_title("regularization path", loc="left")
        self.dynamic = [self.artists.current]

    def update(self, sweep, k):
        plots.update_regularization_path(self.artists, sweep.lambdas[k])

