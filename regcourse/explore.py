"""The λ explorers: move a slider, watch the decision boundary, the weights and the curves change.

Everything heavy happens once, when an explorer is built (or when another dataset or penalty is
picked): the models for the whole λ grid are trained — the network in ONE batched run — and
every picture is precomputed (probability maps, 0.5 contours, histogram counts, ...). A slider move
is then a lookup plus in-place updates of existing artists, well under 30 ms.

    explorer = LogisticExplorer(dataset="two regions")
    explorer                      # shows the widget in a notebook
    explorer.set_lambda(0.1)      # the same as moving the slider; returns the λ used
    explorer.state                # the numbers in the status line

A notebook that has already trained its λ grid hands it over instead of training it again:

    fit = network.train(split.X_train, split.Y_train, layer_dims, lambd=lambdas, seed=0)
    explorer = NetworkExplorer.from_fit(fit, split, dataset="two regions", seed=0)
    fits = logistic.fit_path(data.polynomial_features(split.X_train, 6), split.Y_train, lambdas)
    explorer = LogisticExplorer.from_fits(fits, split, dataset="moons")

The figure is an ipympl canvas when ipympl is installed (``render="auto"``), otherwise a PNG shown
in a fixed-size ``widgets.Image`` (``render="image"``). Importing ipympl does not change pyplot's
backend: figures drawn with plt after an explorer stay inline PNGs. ipywidgets is imported here only.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import html
import importlib.util
import inspect
import logging
import struct
import sys
import time
import warnings
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib import rcsetup
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import _validate as v
from . import data, logistic, network, plots
from .penalties import frobenius_norm_sq

logger = logging.getLogger(__name__)

RENDER_MODES = ("auto", "ipympl", "image")
ACTIVE_THRESHOLD = 0.1   # a unit is "active" while its activity is >= 10% of its layer's largest
LINEAR_BAND = 0.5        # |z| <= 0.5: tanh(z) is within 8% of z
PROGRESS_DELAY = 1.0     # seconds of precomputation before the progress bar appears
MAX_ROW_WIDTH = 9.6      # inches: panels wrap to a new row beyond this, so the figure fits a notebook
PANEL_HEIGHT = 3.7       # inches per row of panels


def default_lambdas(low: float = 1e-3, high: float = 1e2, per_decade: int = 5) -> np.ndarray:
    """0 followed by a log grid from `low` to `high`, rounded to two significant digits.

    The default has 27 values: 0, 0.001, 0.0016, 0.0025, 0.004, 0.0063, 0.01, ..., 63, 100.
    """
    low, high = v.positive("low", low), v.positive("high", high)
    per_decade = v.integer("per_decade", per_decade, minimum=1)
    n = int(round(per_decade * np.log10(high / low))) + 1
    grid = np.logspace(np.log10(low), np.log10(high), n)
    digits = 1 - np.floor(np.log10(grid)).astype(int)
    return np.concatenate([[0.0], [round(x, d) for x, d in zip(grid, digits)]])


def snap_lambda(lambdas, value: float) -> float:
    """The grid value nearest to `value` in log space; 0 (if on the grid) when value is 0 or below
    half the smallest positive grid value."""
    lambdas = np.asarray(lambdas, dtype=float)
    value = v.lambd(value)
    positive = lambdas[lambdas > 0]
    if (0.0 in lambdas) and (positive.size == 0 or value < positive.min() / 2):
        return 0.0
    if value == 0:
        return float(positive.min())
    return float(positive[np.argmin(np.abs(np.log(positive) - np.log(value)))])


# --- precomputed results for one (dataset, penalty) ------------------------------------------------

@dataclass
class Sweep:
    """Everything shown for one dataset and penalty, for every λ of the grid (index k)."""

    dataset: str
    penalty: str
    lambdas: np.ndarray
    X_train: np.ndarray
    Y_train: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray
    grid: plots.Grid
    proba: np.ndarray                 # (K, r, r): P(y = 1) on the grid
    segments: list                    # K lists of (n, 2) arrays: the 0.5 contour
    train_accuracy: np.ndarray        # (K,)
    dev_accuracy: np.ndarray
    data_loss: np.ndarray             # training data loss (cross-entropy)
    penalty_value: np.ndarray         # the penalty term on the training set
    dev_data_loss: np.ndarray
    sum_frobenius_sq: np.ndarray      # Σ_l ‖W[l]‖_F² (‖w‖² for logistic regression)
    weights: list                     # K lists of weight matrices
    model: object = None              # the network Fit or the list of LogisticFit
    extra: dict = field(default_factory=dict)   # more per-λ numbers for `state`
    panel_data: dict = field(default_factory=dict)

    @property
    def best(self) -> int:
        """Index of the dev-optimal λ: highest dev accuracy, ties broken by the lower dev loss."""
        return int(np.lexsort((self.dev_data_loss, -self.dev_accuracy))[0])


# --- panels: a pure plot function plus the per-λ data it needs --------------------------------------

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


# --- the explorer ---------------------------------------------------------------------------------

@dataclass
class _Given:
    """What from_fit / from_fits hand over: the notebook's data and the models already trained on it."""

    dataset: str                      # the name shown in the (disabled) dataset menu
    split: data.Split
    models: dict                      # penalty -> the model for the explorer's λ grid (sorted)
    missing: str = ""                 # why another penalty cannot be computed ("" when it can)


class Explorer:
    """What both explorers share: widgets, cache of sweeps, figure, in-place updates, errors."""

    PANELS: dict[str, type[Panel]] = {}
    DEFAULT_PANELS: tuple[str, ...] = ("boundary", "weights")
    _given: _Given | None = None      # set by from_fit / from_fits before __init__ runs

    def __init__(self, *, dataset, lambdas, penalty, panels, m, seed, render, lambd, resolution, dpi, figsize,
                 data_options=None, dev=0.2, test=0.2):
        v.choice("penalty", penalty, network.PENALTIES)
        if self._given is None:
            v.choice("dataset", dataset, data.DATASETS)
            self.m = v.integer("m", m, minimum=10)
            self.seed = v.integer("seed", seed)
            self.data_options = _data_options(data_options, dataset)
            self.dev = v.scalar("dev", dev, minimum=0.0, strict=True, maximum=1.0)
            self.test = v.scalar("test", test, minimum=0.0, maximum=1.0)
            if self.dev + self.test >= 1.0:
                raise ValueError(f"dev + test must be < 1 to leave a training set, got {self.dev + self.test:g}")
        else:                             # the data is the notebook's: m, seed and fractions are its own
            self.m, self.seed, self.data_options, self.dev, self.test = m, seed, {}, None, None
        self.lambdas = _lambda_grid(lambdas)
        self.panels = _panels(panels, self.PANELS)
        self.resolution = v.integer("resolution", resolution, minimum=10)
        self.dpi = v.positive("dpi", dpi)
        self.figsize = _figsize(figsize)
        self.render = _render_mode(render)
        start = snap_lambda(self.lambdas, lambd)
        self._cache: dict[tuple[str, str], Sweep] = {}

        self._build_widgets(dataset, penalty, start)
        self.sweep = self._sweep_for(dataset, penalty)
        self._build_figure()
        self._draw_panels()
        self._refresh()

    # --- public handle ---

    @property
    def widget(self) -> widgets.VBox:
        """The whole explorer as one ipywidgets box."""
        return self._box

    @property
    def lambd(self) -> float:
        """The λ shown now."""
        return float(self._slider.value)

    def set_lambda(self, value: float) -> float:
        """Move the slider to the grid value nearest to `value` (in log space); returns that λ."""
        lam = snap_lambda(self.lambdas, value)
        self._slider.value = lam
        return lam

    def set_penalty(self, penalty: str) -> None:
        """Switch between "l2" and "l1" (computes that combination the first time)."""
        v.choice("penalty", penalty, network.PENALTIES)
        if self._penalty.disabled and penalty != self._penalty.value:
            raise ValueError(f"penalty cannot switch to {penalty!r}: {self._given.missing}")
        self._penalty.value = penalty

    def set_dataset(self, dataset: str) -> None:
        """Switch to another dataset of regcourse.data.DATASETS."""
        if self._given is not None:
            if dataset != self._given.dataset:
                raise ValueError(f"dataset cannot switch to {dataset!r}: this explorer shows the data it was "
                                 f"built from ({self._given.dataset!r}); build one with "
                                 f"{type(self).__name__}(dataset=...) to switch datasets")
            return
        self._dataset.value = v.choice("dataset", dataset, data.DATASETS)

    @property
    def state(self) -> dict:
        """The numbers in the status line, for the current λ."""
        s, k = self.sweep, self._index()
        state = {
            "lambd": float(s.lambdas[k]),
            "penalty_kind": s.penalty,
            "dataset": s.dataset,
            "train_accuracy": float(s.train_accuracy[k]),
            "dev_accuracy": float(s.dev_accuracy[k]),
            "data_loss": float(s.data_loss[k]),
            "penalty": float(s.penalty_value[k]),
            "sum_frobenius_sq": float(s.sum_frobenius_sq[k]),
            "best_lambd": float(s.lambdas[s.best]),
        }
        state.update({key: float(values[k]) for key, values in s.extra.items()})
        return state

    def small_multiples(self, lambdas: Sequence[float] | None = None, fig: Figure | None = None) -> Figure:
        """A static row of decision boundaries (default: λ = 0, the dev-optimal λ, the largest λ).

        The picture to put next to the explorer for readers without a running kernel. Draws into
        `fig` when given (e.g. from plt.figure), else into a new matplotlib Figure.
        """
        s = self.sweep
        if lambdas is None:
            lambdas = sorted({float(s.lambdas[0]), float(s.lambdas[s.best]), float(s.lambdas[-1])})
        ks = [self._index(snap_lambda(self.lambdas, lam)) for lam in lambdas]
        if fig is None:
            fig = Figure(figsize=(3.6 * len(ks), 3.6), layout="constrained")
            FigureCanvasAgg(fig)
        plots.small_multiples(fig, s.X_train, s.Y_train, [s.proba[k] for k in ks], [s.lambdas[k] for k in ks],
                              grid=s.grid, train_accuracy=s.train_accuracy[ks], dev_accuracy=s.dev_accuracy[ks])
        return fig

    def to_array(self) -> np.ndarray:
        """The figure's pixels now (H, W, 4), after drawing it."""
        self.figure.canvas.draw()
        return np.asarray(self.figure.canvas.buffer_rgba()).copy()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self._box._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = self._png()    # for static viewers (GitHub, nbviewer) without widgets
        return bundle

    def __repr__(self):
        return (f"{type(self).__name__}(dataset={self.sweep.dataset!r}, penalty={self.sweep.penalty!r}, "
                f"λ = {plots.format_lambda(self.lambd)})")

    # --- building ---

    def _build_widgets(self, dataset, penalty, start):
        labels = [plots.format_lambda(lam) for lam in self.lambdas]
        self._slider = widgets.SelectionSlider(
            options=list(zip(labels, self.lambdas.tolist())), value=start, description="λ",
            continuous_update=True, layout=widgets.Layout(width="420px"))
        tooltips = ["L2: (λ/2m) Σ‖W‖²", "L1: (λ/m) Σ|W|"]
        given = self._given
        locked = given is not None and given.missing and set(given.models) != set(network.PENALTIES)
        if locked:
            tooltips = [given.missing] * 2
        self._penalty = widgets.ToggleButtons(options=[("L2", "l2"), ("L1", "l1")], value=penalty,
                                              style={"button_width": "48px"}, tooltips=tooltips,
                                              disabled=bool(locked))
        if given is None:
            self._dataset = widgets.Dropdown(options=list(data.DATASETS), value=dataset, description="data",
                                             layout=widgets.Layout(width="210px"))
        else:
            self._dataset = widgets.Dropdown(options=[given.dataset], value=given.dataset, description="data",
                                             disabled=True, tooltip="the notebook's data (from_fit / from_fits)",
                                             layout=widgets.Layout(width="210px"))
        self._status = widgets.HTML()
        self._progress = widgets.FloatProgress(min=0.0, max=1.0, value=0.0, description="computing",
                                               layout=widgets.Layout(display="none"))
        self._error = widgets.HTML()
        for w, name in ((self._slider, "lambda"), (self._penalty, "penalty"), (self._dataset, "dataset"),
                        (self._status, "status"), (self._progress, "progress"), (self._error, "error")):
            w.add_class(f"regcourse-{name}")
        self._slider.observe(self._guarded(self._on_lambda), names="value")
        self._penalty.observe(self._guarded(self._on_choice), names="value")
        self._dataset.observe(self._guarded(self._on_choice), names="value")
        self._controls = widgets.HBox([self._slider, self._penalty, self._dataset])
        self._box = widgets.VBox([self._controls, self._status, self._progress, self._error])
        self._box.add_class("regcourse-explorer")

    def _build_figure(self):
        scale = max(1.0, mpl.rcParams["font.size"] / 11)        # bigger fonts (projector): bigger figure
        self._rows = _panel_rows([scale * self.PANELS[name].width for name in self.panels], MAX_ROW_WIDTH * scale)
        if self.figsize is None:
            width = max(sum(scale * self.PANELS[self.panels[i]].width for i in row) for row in self._rows)
            self.figsize = (width, scale * PANEL_HEIGHT * len(self._rows))
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi)
        if self.render == "ipympl":
            FigureManager = _ipympl_backend().FigureManager
            canvas = _fast_canvas_class()(self.figure)
            with warnings.catch_warnings():   # ipympl's Toolbar trips a traitlets deprecation warning
                warnings.simplefilter("ignore", DeprecationWarning)
                FigureManager(canvas, 0)      # the canvas needs a manager; pyplot never sees it
            canvas.header_visible = False
            canvas.footer_visible = False
            canvas.toolbar_visible = False
            canvas.resizable = False
            canvas._closed = False
            self._view = canvas
        else:
            FigureCanvasAgg(self.figure)
            w, h = self.figure.canvas.get_width_height()
            self._view = widgets.Image(format="png", width=w, height=h,
                                       layout=widgets.Layout(width=f"{w}px", height=f"{h}px"))
        self._background = None
        self._blit = True                     # False: redraw the whole figure on every move (benchmarks)
        self.figure.canvas.mpl_connect("draw_event", self._on_draw)
        self._view.add_class("regcourse-figure")
        self._box.children = (*self._box.children, self._view)

    def _draw_panels(self):
        """(Re)draw every panel for the current sweep; the layout is then frozen for fast redraws."""
        fig = self.figure
        fig.clear()
        fig.set_layout_engine("constrained")
        outer = fig.add_gridspec(len(self._rows), 1)
        widest = max(sum(self.PANELS[self.panels[i]].width for i in row) for row in self._rows)
        k = self._index()
        self._panels = []
        for r, row in enumerate(self._rows):
            widths = [self.PANELS[self.panels[i]].width for i in row]
            if sum(widths) < widest - 0.5:                     # a short last row keeps the panels' shape
                widths.append(widest - sum(widths))
            gs = outer[r].subgridspec(2, len(widths), width_ratios=widths)
            for j, i in enumerate(row):
                cls = self.PANELS[self.panels[i]]
                axes = ([fig.add_subplot(gs[0, j]), fig.add_subplot(gs[1, j])] if cls.n_axes(self.sweep) == 2
                        else [fig.add_subplot(gs[:, j])])
                self._panels.append(cls(axes, self.sweep, k, self))
        self._dynamic = [a for panel in self._panels for a in panel.dynamic if a is not None]
        self._overlays = [a for panel in self._panels for a in panel.overlays if a is not None]
        self._overlay_boxes = []
        for artist in self._dynamic:
            artist.set_animated(True)       # left out of full draws: see _on_draw
        self._background = None
        fig.canvas.draw()                   # lay out once ...
        fig.set_layout_engine("none")       # ... then keep it: no layout work on a slider move

    # --- precomputation ---

    def _sweep_for(self, dataset, penalty) -> Sweep:
        key = (dataset, penalty)
        if key not in self._cache:
            started = time.perf_counter()

            def progress(fraction):
                if time.perf_counter() - started > PROGRESS_DELAY:
                    self._progress.layout.display = None
                    self._progress.value = float(np.clip(fraction, 0.0, 1.0))

            try:
                sweep = self._compute(dataset, penalty, progress)
                for name in self.panels:
                    self.PANELS[name].prepare(sweep, self)
            finally:
                self._progress.layout.display = "none"
            self._cache[key] = sweep
        return self._cache[key]

    def _compute(self, dataset, penalty, progress: Callable[[float], None]) -> Sweep:
        raise NotImplementedError

    def _split(self, dataset) -> data.Split:
        """The notebook's split (from_fit / from_fits), else `dataset` made and split from m and seed.

        `data_options` go to every dataset whose generator takes them all (e.g. flip: "two regions";
        noise: "moons", "circles", "xor"); the others are made with their defaults.
        """
        if self._given is not None:
            return self._given.split
        options = self.data_options if set(self.data_options) <= _dataset_options(dataset) else {}
        X, Y = data.load(dataset, m=self.m, seed=self.seed, **options)
        return data.train_dev_test_split(X, Y, dev=self.dev, test=self.test, seed=self.seed)

    def _given_model(self, penalty):
        """The model handed over for `penalty`, or None when it must be computed."""
        return None if self._given is None else self._given.models.get(penalty)

    def _finish(self, sweep_args: dict, proba: np.ndarray, progress) -> Sweep:
        """Add the 0.5 contours for every λ and wrap everything in a Sweep."""
        grid = sweep_args["grid"]
        segments = []
        for k, P in enumerate(proba):
            segments.append(plots.boundary_segments(grid.xx, grid.yy, P))
            progress(0.9 + 0.1 * (k + 1) / len(proba))
        return Sweep(proba=proba, segments=segments, **sweep_args)

    # --- callbacks ---

    def _guarded(self, callback):
        """Run a widget callback; show any exception in the error box and log it, never swallow it."""
        def run(change):
            try:
                callback(change)
            except Exception as error:   # noqa: BLE001 - shown to the user and logged with traceback
                self._show_error(error)
        return run

    def _show_error(self, error):
        logger.exception("regcourse explorer: %s: %s", type(error).__name__, error)
        self._error.value = (f'<div style="color:#B00020;font-weight:bold">{type(error).__name__}: '
                             f'{html.escape(str(error))}</div>')

    def _on_lambda(self, change):
        self._refresh()

    def _on_choice(self, change):
        self.sweep = self._sweep_for(self._dataset.value, self._penalty.value)
        self._draw_panels()
        self._refresh()

    def _index(self, lam=None) -> int:
        lam = self.lambd if lam is None else lam
        return int(np.flatnonzero(self.lambdas == lam)[0])

    def _refresh(self):
        """Update every panel in place for the current λ, redraw, and write the status line."""
        k = self._index()
        for panel in self._panels:
            panel.update(self.sweep, k)
        self._redraw()
        self._status.value = self._status_html()
        self._error.value = ""

    # Blitting: a full draw leaves out the artists a slider move changes (they are "animated") and
    # keeps that background; a move restores it and draws only those artists on top.

    def _on_draw(self, event):
        """After every full draw: keep the background, then add the dynamic artists to the picture."""
        canvas = self.figure.canvas
        if not canvas.is_saving():
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            height = canvas.get_width_height(physical=True)[1]
            self._overlay_boxes = [_pixel_box(a.get_window_extent(event.renderer), height)
                                   for a in self._overlays]
        for artist in self._dynamic + self._overlays:
            artist.draw(event.renderer)

    def _redraw(self):
        canvas = self.figure.canvas
        background = self._background
        if not self._blit or background is None or (
                background.get_extents()[2:] != tuple(int(x) for x in canvas.get_width_height(physical=True))):
            canvas.draw()                   # first time, or the size or dpi changed
        else:
            canvas.restore_region(background)
            renderer = canvas.get_renderer()
            for artist in self._dynamic:
                artist.draw(renderer)
            for box in self._overlay_boxes:     # legends: copy their pixels back, don't redraw them
                canvas.restore_region(background, bbox=box, xy=(0, 0))
            if self.render == "ipympl":
                canvas.blit(self.figure.bbox)   # ipympl sends the changed pixels to the browser
        if self.render == "image":
            self._view.value = self._encode_png()

    def _png(self) -> bytes:
        """The figure as PNG bytes, after a full draw."""
        FigureCanvasAgg.draw(self.figure.canvas)
        return self._encode_png()

    def _encode_png(self) -> bytes:
        return png_bytes(np.asarray(self.figure.canvas.buffer_rgba()))

    def _status_html(self) -> str:
        s = self.state
        parts = [f"<b>λ = {plots.format_lambda(s['lambd'])}</b>",
                 f"train {100 * s['train_accuracy']:.1f}%",
                 f"dev {100 * s['dev_accuracy']:.1f}%",
                 f"data loss {s['data_loss']:.3f}",
                 f"penalty {s['penalty']:.3g}",
                 self._norm_html(s)]
        parts += self._extra_html(s)
        return ('<div style="font-size:1.05em;font-variant-numeric:tabular-nums">'
                + " &nbsp;·&nbsp; ".join(parts) + "</div>")

    def _norm_html(self, s) -> str:
        return f"Σ‖W<sup>[l]</sup>‖<sub>F</sub><sup>2</sup> = {s['sum_frobenius_sq']:.3g}"

    def _extra_html(self, s) -> list[str]:
        return []


class LogisticExplorer(Explorer):
    """λ explorer for logistic regression on the polynomial features of a 2-D dataset.

    Every λ of the grid is fitted to its optimum, warm-started along the path from the largest λ
    down, exactly as logistic.fit_path does (with logistic.fit's own stopping rule).

    dataset     a name from regcourse.data.DATASETS ("two regions": noisy labels, overfits at λ = 0)
    degree      degree of the polynomial feature map (6: 27 features)
    lambdas     the λ grid (default: default_lambdas(), 0 and 26 values from 0.001 to 100)
    penalty     "l2" or "l1" (the toggle switches later)
    m, seed     dataset size and seed (for the data, the split and the training)
    data_options  keyword arguments for data.load, e.g. {"flip": 0.15}; the datasets whose generator
                does not take them all are made with their defaults
    dev, test   fractions of m for the dev and test sets, as data.train_dev_test_split
    panels      any of "boundary", "coefficients" (each w_j, exact zeros marked), "weights"
                (histogram), "path" (the regularization path), "curve" (train/dev error against λ)
    render      "auto" (ipympl when installed), "ipympl" or "image" (PNG in a widgets.Image)
    lambd       the λ shown first (snapped to the grid)
    resolution  grid points per side of the probability map
    dpi, figsize  figure resolution and size in inches (default: from the panels and font size)

    `LogisticExplorer.from_fits(fits, split)` shows fits a notebook already has (no refitting).
    `state` has the keys of the status line plus "n_zero_weights" and "best_lambd".
    """

    PANELS = {"boundary": BoundaryPanel, "coefficients": CoefficientsPanel, "weights": WeightsPanel,
              "path": PathPanel, "curve": CurvePanel}
    DEFAULT_PANELS = ("boundary", "coefficients")
    penalize_b = False

    def __init__(self, dataset: str = "two regions", degree: int = 6, lambdas=None, penalty: str = "l2", *,
                 m: int = 300, seed: int = 0, data_options: dict | None = None, dev: float = 0.2,
                 test: float = 0.2, panels: Sequence[str] | str | None = None, render: str = "auto",
                 lambd: float = 0.0, resolution: int = 120, dpi: float = 100,
                 figsize: tuple[float, float] | None = None):
        self.degree = v.integer("degree", degree, minimum=1)
        super().__init__(dataset=dataset, lambdas=lambdas, penalty=penalty,
                         panels=self.DEFAULT_PANELS if panels is None else panels, m=m, seed=seed,
                         data_options=data_options, dev=dev, test=test,
                         render=render, lambd=lambd, resolution=resolution, dpi=dpi, figsize=figsize)

    @classmethod
    def from_fits(cls, fits, split, *, degree: int | None = None, dataset: str | None = None,
                  panels: Sequence[str] | str | None = None, render: str = "auto", lambd: float = 0.0,
                  resolution: int = 120, dpi: float = 100,
                  figsize: tuple[float, float] | None = None) -> LogisticExplorer:
        """An explorer over fits a notebook already has: nothing is fitted again.

        fits     a list of LogisticFit, one per λ (e.g. logistic.fit_path's result), fitted on the
                 polynomial features of split.X_train; or a dict {"l2": [...], "l1": [...]} over the
                 same λ values. Their λ values are the slider's grid; the other penalty, when the
                 toggle asks for it, is fitted on the same training set.
        split    the data.Split the fits were trained on (its dev set gives the dev numbers)
        degree   the polynomial degree (default: read off the number of weights)
        dataset  the name shown for the data (default "notebook data"); the dataset menu is fixed

        The other arguments are the constructor's.
        """
        split = _split_arg(split)
        lists = _by_penalty("fits", fits, _logistic_fits, "a list of LogisticFit", "[...]")
        first = next(iter(lists.values()))
        n_w = first[0].w.shape[0]
        degree = _degree_for(n_w) if degree is None else v.integer("degree", degree, minimum=1)
        n_features = data.polynomial_features(np.zeros((2, 1)), degree).shape[0]
        if n_features != n_w:
            raise ValueError(f"degree {degree} gives {n_features} features, but the fits have w of shape ({n_w}, 1)")
        lambdas = _lambda_grid([f.lambd for f in first])
        models = {}
        for p, fl in lists.items():
            if any(f.penalty != p for f in fl):
                name = f"fits[{p!r}]" if isinstance(fits, dict) else "fits"
                raise ValueError(f"{name} must all use penalty {p!r}, got {sorted({f.penalty for f in fl})}")
            if any(f.w.shape[0] != n_w for f in fl) or any(f.penalize_b != first[0].penalize_b for f in fl):
                raise ValueError("fits must all have the same number of weights and the same penalize_b")
            by_lambda = {}
            for f in fl:
                by_lambda.setdefault(f.lambd, f)
            if sorted(by_lambda) != lambdas.tolist():
                raise ValueError(f"fits for every penalty must cover the same λ values, got "
                                 f"{sorted(by_lambda)} and {lambdas.tolist()}")
            models[p] = [by_lambda[lam] for lam in lambdas.tolist()]
        explorer = cls.__new__(cls)
        explorer._given = _Given(_dataset_label(dataset), split, models)
        explorer.penalize_b = first[0].penalize_b
        start = "l2" if "l2" in models else "l1"
        explorer.__init__(explorer._given.dataset, degree, lambdas, start, m=_split_size(split), seed=None,
                          panels=panels, render=render, lambd=lambd, resolution=resolution, dpi=dpi,
                          figsize=figsize)
        return explorer

    def _compute(self, dataset, penalty, progress):
        split = self._split(dataset)
        F, F_dev = (data.polynomial_features(X, self.degree) for X in (split.X_train, split.X_dev))
        fits = self._given_model(penalty)
        if fits is None:
            fits, previous = [None] * len(self.lambdas), None
            for i, k in enumerate(np.argsort(-self.lambdas, kind="stable")):   # as logistic.fit_path does
                previous = fits[k] = logistic.fit(F, split.Y_train, float(self.lambdas[k]), penalty,
                                                  self.penalize_b, start=previous)
                progress(0.8 * (i + 1) / len(self.lambdas))
        grid = plots.grid_for(np.hstack([split.X_train, split.X_dev]), self.resolution)
        G = data.polynomial_features(grid.points, self.degree)
        W = np.array([f.w[:, 0] for f in fits])
        b = np.array([f.b for f in fits])
        proba = network.sigmoid(W @ G + b[:, None]).reshape(len(fits), *grid.xx.shape)
        costs = [f.cost(F, split.Y_train) for f in fits]
        args = dict(
            dataset=dataset, penalty=penalty, lambdas=self.lambdas, X_train=split.X_train, Y_train=split.Y_train,
            X_dev=split.X_dev, Y_dev=split.Y_dev, grid=grid,
            train_accuracy=np.array([f.accuracy(F, split.Y_train) for f in fits]),
            dev_accuracy=np.array([f.accuracy(F_dev, split.Y_dev) for f in fits]),
            data_loss=np.array([c.data_loss for c in costs]), penalty_value=np.array([c.penalty for c in costs]),
            dev_data_loss=np.array([f.cost(F_dev, split.Y_dev).data_loss for f in fits]),
            sum_frobenius_sq=np.sum(W ** 2, axis=1), weights=[[f.w] for f in fits], model=fits,
            extra={"n_zero_weights": np.sum(W == 0, axis=1).astype(float)})
        progress(0.9)
        return self._finish(args, proba, progress)

    def _norm_html(self, s):
        return f"‖w‖<sup>2</sup> = {s['sum_frobenius_sq']:.3g}"

    def _extra_html(self, s):
        return [f"zero weights {s['n_zero_weights']:.0f} of {len(self.sweep.weights[0][0])}"]


class NetworkExplorer(Explorer):
    """λ explorer for an L-layer network, trained ONCE for the whole λ grid (network.train batched).

    dataset        a name from regcourse.data.DATASETS
    layer_dims     (2, n[1], ..., 1): two inputs, the hidden layers, one sigmoid output
    activation     "relu" or "tanh" for the hidden layers
    lambdas        the λ grid (default: default_lambdas(), 0 and 26 values from 0.001 to 100)
    penalty        "l2" or "l1" (the toggle switches later)
    learning_rate, num_iterations, seed   passed to network.train (full-batch gradient descent)
    m              dataset size (made with `seed`, split with `seed`)
    data_options   keyword arguments for data.load, e.g. {"flip": 0.15}; the datasets whose generator
                   does not take them all are made with their defaults
    dev, test      fractions of m for the dev and test sets, as data.train_dev_test_split
    panels         any of "boundary", "weights" (histogram with exact zeros + ‖W[l]‖_F per layer),
                   "units" (the network, hidden units shaded by activity), "tanh" (the hidden
                   pre-activations z against tanh's near-linear band), "curve" (train/dev error
                   against λ, current and dev-optimal λ marked)
    render         "auto" (ipympl when installed), "ipympl" or "image" (PNG in a widgets.Image)
    lambd          the λ shown first (snapped to the grid)
    resolution     grid points per side of the probability map
    dpi, figsize   figure resolution and size in inches (default: from the panels and font size)
    unit_activity  "mean_abs" (mean |a| over the examples) or "std" (its spread), for "units"

    `NetworkExplorer.from_fit(fit, split)` shows a batched Fit a notebook already trained.
    `state` has the keys of the status line plus "best_lambd", and "active_units" (with the
    "units" panel) and "linear_fraction" (with the "tanh" panel).
    """

    PANELS = {"boundary": BoundaryPanel, "weights": WeightsPanel, "units": UnitsPanel, "tanh": TanhPanel,
              "curve": CurvePanel}
    DEFAULT_PANELS = ("boundary", "weights")
    _init_params = None               # from_fit(init_params=...): where the other penalty's training starts

    def __init__(self, dataset: str = "moons", layer_dims: Sequence[int] = (2, 20, 3, 1), activation: str = "relu",
                 lambdas=None, penalty: str = "l2", *, learning_rate: float = 0.5, num_iterations: int = 2000,
                 m: int = 300, seed: int = 0, data_options: dict | None = None, dev: float = 0.2,
                 test: float = 0.2, panels: Sequence[str] | str | None = None, render: str = "auto",
                 lambd: float = 0.0, resolution: int = 100, dpi: float = 100,
                 figsize: tuple[float, float] | None = None, unit_activity: str = "mean_abs"):
        self.layer_dims = _layer_dims(layer_dims)
        self.unit_activity = v.choice("unit_activity", unit_activity, ("mean_abs", "std"))
        self.activation = v.choice("activation", activation, network.ACTIVATIONS)
        self.learning_rate = v.positive("learning_rate", learning_rate)
        self.num_iterations = v.integer("num_iterations", num_iterations, minimum=1)
        super().__init__(dataset=dataset, lambdas=lambdas, penalty=penalty,
                         panels=self.DEFAULT_PANELS if panels is None else panels, m=m, seed=seed,
                         data_options=data_options, dev=dev, test=test,
                         render=render, lambd=lambd, resolution=resolution, dpi=dpi, figsize=figsize)

    @classmethod
    def from_fit(cls, fit, split, *, dataset: str | None = None, seed: int | None = None, init_params=None,
                 panels: Sequence[str] | str | None = None, render: str = "auto", lambd: float = 0.0,
                 resolution: int = 100, dpi: float = 100, figsize: tuple[float, float] | None = None,
                 unit_activity: str = "mean_abs") -> NetworkExplorer:
        """An explorer over a batched run a notebook already trained: nothing is trained again.

        fit          the network.Fit of ``network.train(split.X_train, split.Y_train, ..., lambd=array)``:
                     its λ values are the slider's grid, its activation, learning rate and number of
                     iterations are the explorer's; or a dict {"l2": fit, "l1": fit} over the same λ values
        split        the data.Split it was trained on (its dev set gives the dev numbers)
        seed         the seed the run started from (``network.train(..., seed=seed)``), or
        init_params  its starting parameters (``network.train(..., params=init_params)``): with either,
                     the L1/L2 toggle trains the other penalty from the same start, on the same data;
                     with neither, the toggle is disabled
        dataset      the name shown for the data (default "notebook data"); the dataset menu is fixed

        The other arguments are the constructor's.
        """
        split = _split_arg(split)
        fits = _by_penalty("fit", fit, _network_fit, "a network.Fit (what network.train returns)", "Fit")
        first = next(iter(fits.values()))
        dims = _layer_dims(network.layer_dims_of(first.params))
        lambdas = _lambda_grid(first.lambd)
        for name, f in fits.items():
            same = (network.layer_dims_of(f.params) == list(dims) and f.activation == first.activation
                    and f.learning_rate == first.learning_rate and f.num_iterations == first.num_iterations)
            if not same or sorted(set(np.asarray(f.lambd).tolist())) != lambdas.tolist():
                raise ValueError("fit's runs must share layer_dims, activation, learning_rate, num_iterations "
                                 f"and λ values; fit[{name!r}] differs")
        for name, f in fits.items():
            _check_trained_on(f, split, f"fit[{name!r}]" if isinstance(fit, dict) else "fit")
        if seed is not None and init_params is not None:
            raise TypeError("from_fit takes seed or init_params (where the run started), not both")
        if seed is not None:
            seed = v.integer("seed", seed)
        if init_params is not None:
            init_params = network._params(init_params)
            if init_params["W1"].ndim != 2 or network.layer_dims_of(init_params) != list(dims):
                raise ValueError(f"init_params must be one network's starting parameters for layer_dims {dims}, "
                                 f"got layer_dims {network.layer_dims_of(init_params)}")
            init_params = {key: value.copy() for key, value in init_params.items()}
        missing = ("" if seed is not None or init_params is not None else
                   "built from_fit without seed= or init_params=: the other penalty cannot be trained from "
                   "the same start")
        models = {p: _fit_on_grid(f, lambdas) for p, f in fits.items()}
        explorer = cls.__new__(cls)
        explorer._given = _Given(_dataset_label(dataset), split, models, missing)
        explorer._init_params = init_params
        start = "l2" if "l2" in models else "l1"
        explorer.__init__(explorer._given.dataset, dims, first.activation, lambdas, start,
                          learning_rate=first.learning_rate, num_iterations=first.num_iterations,
                          m=_split_size(split), seed=seed, panels=panels, render=render, lambd=lambd,
                          resolution=resolution, dpi=dpi, figsize=figsize, unit_activity=unit_activity)
        return explorer

    def _compute(self, dataset, penalty, progress):
        split = self._split(dataset)
        fit = self._given_model(penalty)
        if fit is None:
            start = dict(params=self._init_params) if self._init_params is not None else dict(seed=self.seed)
            fit = network.train(split.X_train, split.Y_train, self.layer_dims, lambd=self.lambdas, penalty=penalty,
                                activation=self.activation, learning_rate=self.learning_rate,
                                num_iterations=self.num_iterations, record_every=max(1, self.num_iterations // 50),
                                callback=lambda done, total: progress(0.8 * done / max(total, 1)), **start)
        grid = plots.grid_for(np.hstack([split.X_train, split.X_dev]), self.resolution)
        proba = fit.predict_proba(grid.points).reshape(len(self.lambdas), *grid.xx.shape)
        progress(0.85)
        cost, dev_cost = fit.cost(split.X_train, split.Y_train), fit.cost(split.X_dev, split.Y_dev)
        L = len(self.layer_dims) - 1
        args = dict(
            dataset=dataset, penalty=penalty, lambdas=self.lambdas, X_train=split.X_train, Y_train=split.Y_train,
            X_dev=split.X_dev, Y_dev=split.Y_dev, grid=grid,
            train_accuracy=np.atleast_1d(fit.accuracy(split.X_train, split.Y_train)),
            dev_accuracy=np.atleast_1d(fit.accuracy(split.X_dev, split.Y_dev)),
            data_loss=np.atleast_1d(cost.data_loss), penalty_value=np.atleast_1d(cost.penalty),
            dev_data_loss=np.atleast_1d(dev_cost.data_loss), sum_frobenius_sq=np.atleast_1d(fit.sum_frobenius_sq()),
            weights=[[fit.params[f"W{l}"][k] for l in range(1, L + 1)] for k in range(len(self.lambdas))],
            model=fit)
        progress(0.9)
        return self._finish(args, proba, progress)

    def _extra_html(self, s):
        out = []
        if "active_units" in s:
            out.append(f"active units {s['active_units']:.0f} of {sum(self.layer_dims[1:-1])}")
        if "linear_fraction" in s:
            out.append(f"z in linear band {100 * s['linear_fraction']:.0f}%")
        return out


@functools.cache
def _fast_canvas_class():
    """ipympl's Canvas, with the frames it sends to the browser encoded by png_bytes.

    get_diff_image is matplotlib's WebAgg logic (full frame, or only the changed pixels with the
    rest transparent) with the Pillow encoder swapped for png_bytes, ~5x faster. If matplotlib's
    internals differ from what this expects, the original method is used. send_binary also keeps
    a valid data URL of the figure for the browser's first paint (see there).
    """
    class FastCanvas(_ipympl_backend().Canvas):
        def get_diff_image(self):
            needed = ("_png_is_old", "_force_full", "_last_buff", "set_image_mode", "get_renderer")
            if not all(hasattr(self, name) for name in needed):
                return super().get_diff_image()
            if not self._png_is_old:
                return None
            pixels = np.asarray(self.get_renderer().buffer_rgba())
            buff = pixels.view(np.uint32).squeeze(2)
            if self._force_full or buff.shape != self._last_buff.shape or (pixels[:, :, 3] != 255).any():
                self.set_image_mode("full")
                output = buff
            else:
                self.set_image_mode("diff")
                output = np.where(buff != self._last_buff, buff, 0)
            self._last_buff = buff.copy()
            self._force_full = False
            self._png_is_old = False
            return png_bytes(output.view(np.uint8).reshape((*output.shape, 4)), alpha=True)

        def send_binary(self, data):
            # Until a browser view has connected, ipympl keeps a picture of the figure in _data_url for
            # the view to show first. ipympl 0.10 stores it without the "data:image/png;base64," prefix
            # (an <img> cannot load that, and the view then never gets a size): store a proper URL.
            if getattr(self, "syncing_data_url", False):
                frame = np.asarray(self.get_renderer().buffer_rgba())
                self._data_url = "data:image/png;base64," + base64.b64encode(png_bytes(frame)).decode("ascii")
            self.send({"data": '{"type": "binary"}'}, buffers=[data])

    return FastCanvas


def _pixel_box(bbox, height: int) -> tuple[int, int, int, int]:
    """A display bbox (origin bottom left) as whole pixels (x0, y0, x1, y1) from the top left,
    grown by one pixel for the antialiased frame edge."""
    return (int(np.floor(bbox.x0)) - 1, height - int(np.ceil(bbox.y1)) - 1,
            int(np.ceil(bbox.x1)) + 1, height - int(np.floor(bbox.y0)) + 1)


def png_bytes(rgba: np.ndarray, alpha: bool = False, level: int = 3) -> bytes:
    """Encode an (H, W, 4) uint8 image as an RGB (or, with `alpha`, RGBA) PNG, fast.

    A minimal PNG writer (no row filters, zlib level 3): about 5x faster than Pillow's encoder on
    figure-like images, at a similar size, which is what keeps a slider move fast.
    """
    h, w = rgba.shape[:2]
    channels = 4 if alpha else 3
    raw = np.empty((h, 1 + channels * w), dtype=np.uint8)
    raw[:, 0] = 0                                       # filter type 0 (None) on every row
    raw[:, 1:] = rgba[..., :channels].reshape(h, channels * w)

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", w, h, 8, 6 if alpha else 2, 0, 0, 0)   # 8 bits, RGBA or RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw.tobytes(), level)) + chunk(b"IEND", b""))


# --- argument checks ------------------------------------------------------------------------------

def _lambda_grid(lambdas) -> np.ndarray:
    if lambdas is None:
        return default_lambdas()
    if isinstance(lambdas, (str, bytes)) or np.ndim(lambdas) != 1:
        raise TypeError(f"lambdas must be a 1-D sequence of λ values >= 0, got {lambdas!r}")
    try:
        grid = np.asarray(lambdas, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"lambdas must be a 1-D sequence of numbers, got {lambdas!r}") from None
    if grid.size == 0:
        raise ValueError("lambdas must hold at least one λ value, got an empty sequence")
    if not np.all(np.isfinite(grid)) or (grid < 0).any():
        raise ValueError(f"lambdas must be finite and >= 0, got {grid.tolist()}")
    return np.unique(grid)


def _data_options(options, dataset) -> dict:
    """data.load's keyword arguments, checked against the first dataset's generator."""
    if options is None:
        return {}
    if not isinstance(options, dict) or not all(isinstance(key, str) for key in options):
        raise TypeError(f"data_options must be a dict of data.load keyword arguments like {{'flip': 0.15}}, "
                        f"got {options!r}")
    unknown = set(options) - _dataset_options(dataset)
    if unknown:
        raise ValueError(f"data_options has {sorted(unknown)}, which data.load({dataset!r}) does not take; it takes "
                         f"{sorted(_dataset_options(dataset))}")
    if {"m", "seed"} & set(options):
        raise ValueError("data_options must not hold m or seed: they are the explorer's own arguments")
    return dict(options)


def _dataset_options(dataset) -> set[str]:
    return set(inspect.signature(data.DATASETS[dataset]).parameters) - {"m", "seed"}


def _dataset_label(dataset) -> str:
    if dataset is None:
        return "notebook data"
    if not isinstance(dataset, str) or not dataset.strip():
        raise TypeError(f"dataset must be the name of the notebook's data (a string) or None, got {dataset!r}")
    return dataset


def _split_arg(split) -> data.Split:
    """A data.Split (or anything with its fields) of 2-D points, checked; the test part may be absent."""
    fields = ("X_train", "Y_train", "X_dev", "Y_dev")
    if not all(hasattr(split, name) for name in fields):
        raise TypeError(f"split must be the data.Split the model was trained on (train_dev_test_split's result, "
                        f"with X_train, Y_train, X_dev, Y_dev), got {type(split).__name__}")
    parts = []
    for part in ("train", "dev", "test"):
        X, Y = getattr(split, f"X_{part}", None), getattr(split, f"Y_{part}", None)
        if part == "test" and (X is None or np.size(X) == 0):
            parts += [np.zeros((2, 0)), np.zeros((1, 0))]
            continue
        try:
            parts += list(v.examples_as_columns(X, Y, n_x=2))
        except (TypeError, ValueError) as error:
            raise type(error)(f"split.X_{part} / split.Y_{part}: {error}") from None
    return data.Split(*parts)


def _split_size(split: data.Split) -> int:
    return split.X_train.shape[1] + split.X_dev.shape[1] + split.X_test.shape[1]


def _by_penalty(name, value, check_one, what, placeholder) -> dict:
    """{penalty: checked run} from one run or a dict {"l2": run, "l1": run} (the from_fit(s) argument)."""
    if not isinstance(value, dict):
        checked = check_one(name, value)
        return {_penalty_of(checked): checked}
    if not value:
        raise ValueError(f"{name} must not be an empty dict: give {{'l2': {placeholder}}} and/or "
                         f"{{'l1': {placeholder}}}")
    if not set(value) <= set(network.PENALTIES):
        raise TypeError(f"{name} must be {what} or a dict {{'l2': {placeholder}, 'l1': {placeholder}}}, "
                        f"got a dict with keys {sorted(map(str, value))}")
    return {p: check_one(f"{name}[{p!r}]", run, p) for p, run in value.items()}


def _penalty_of(run) -> str:
    return run[0].penalty if isinstance(run, list) else run.penalty


def _logistic_fits(name, fits, penalty=None) -> list:
    if isinstance(fits, (str, bytes)) or not isinstance(fits, Sequence) or not fits:
        raise TypeError(f"{name} must be a non-empty list of LogisticFit (e.g. logistic.fit_path's result), "
                        f"got {type(fits).__name__}")
    for i, f in enumerate(fits):
        if not isinstance(f, logistic.LogisticFit):
            raise TypeError(f"{name}[{i}] must be a LogisticFit (what logistic.fit returns), got {type(f).__name__}")
        if f.penalty != (penalty or fits[0].penalty):
            raise ValueError(f"{name}[{i}] must be a fit with penalty {penalty or fits[0].penalty!r}, "
                             f"got {f.penalty!r}")
    return list(fits)


def _degree_for(n_features: int) -> int:
    """The polynomial degree d with (d + 1)(d + 2)/2 - 1 = n_features features."""
    for degree in range(1, 64):
        count = (degree + 1) * (degree + 2) // 2 - 1
        if count == n_features:
            return degree
        if count > n_features:
            break
    raise ValueError(f"the fits have {n_features} weights, which is not the number of polynomial features of any "
                     f"degree (2, 5, 9, 14, 20, 27, ...): were they fitted on data.polynomial_features?")


def _network_fit(name, fit, penalty=None) -> network.Fit:
    if not isinstance(fit, network.Fit):
        raise TypeError(f"{name} must be a network.Fit (what network.train returns), got {type(fit).__name__}")
    if not fit.batched:
        raise ValueError(f"{name} must be a batched Fit, trained with network.train(..., lambd=array of λ values); "
                         f"got a single run with lambd = {fit.lambd:g}")
    if penalty is not None and fit.penalty != penalty:
        raise ValueError(f"{name} must be a run with penalty {penalty!r}, got {fit.penalty!r}")
    return fit


def _check_trained_on(fit: network.Fit, split: data.Split, name: str) -> None:
    """The run's last recorded training loss must be its loss on split's training set, else the split
    is not the data it was trained on (another seed, another m, ...)."""
    recorded = np.asarray(fit.history.get("data_loss", []), dtype=float)
    iterations = np.asarray(fit.history.get("iteration", []))
    if recorded.ndim != 2 or recorded.shape != (len(iterations), len(fit)) or len(iterations) == 0 \
            or iterations[-1] != fit.num_iterations:
        return                                   # no final record to compare with
    loss = np.atleast_1d(fit.cost(split.X_train, split.Y_train).data_loss)
    if not np.allclose(loss, recorded[-1], rtol=1e-6, atol=1e-12):
        k = int(np.argmax(np.abs(loss - recorded[-1])))
        raise ValueError(f"{name} was not trained on split.X_train / split.Y_train: its final training loss at "
                         f"λ = {float(np.asarray(fit.lambd)[k]):g} was {recorded[-1][k]:.6f}, on this split it is "
                         f"{loss[k]:.6f}; pass the split the run was trained on")


def _fit_on_grid(fit: network.Fit, lambdas: np.ndarray) -> network.Fit:
    """`fit` with its runs in the order of the explorer's grid (sorted, each λ once)."""
    values = np.asarray(fit.lambd, dtype=float)
    idx = np.array([int(np.flatnonzero(values == lam)[0]) for lam in lambdas])
    if np.array_equal(idx, np.arange(len(values))):
        return fit
    history = {key: (value if key == "iteration" else value[:, idx]) for key, value in fit.history.items()}
    return network.Fit({key: value[idx] for key, value in fit.params.items()}, values[idx], fit.penalty,
                       fit.activation, fit.learning_rate, fit.num_iterations, history)


def _panels(panels, available) -> tuple[str, ...]:
    if isinstance(panels, str):
        panels = (panels,)
    if not isinstance(panels, (list, tuple)) or not panels:
        raise TypeError(f"panels must be a non-empty tuple of names from {list(available)}, got {panels!r}")
    for name in panels:
        v.choice("panels", name, available)
    if len(set(panels)) != len(panels):
        raise ValueError(f"panels must not repeat a name, got {list(panels)}")
    return tuple(panels)


def _layer_dims(layer_dims) -> tuple[int, ...]:
    if isinstance(layer_dims, (str, bytes)) or not isinstance(layer_dims, Sequence):
        raise TypeError(f"layer_dims must be a sequence of layer sizes like (2, 20, 3, 1), got {layer_dims!r}")
    dims = tuple(v.integer(f"layer_dims[{i}]", n, minimum=1) for i, n in enumerate(layer_dims))
    if len(dims) < 3 or dims[0] != 2 or dims[-1] != 1:
        raise ValueError(f"layer_dims must start with 2 (the inputs x1, x2), end with 1 (the output) and have "
                         f"at least one hidden layer, got {dims}")
    return dims


def _panel_rows(widths, max_width) -> list[list[int]]:
    """Indices of the panels on each row: fill a row until the next panel would pass max_width."""
    rows = [[]]
    for i, w in enumerate(widths):
        if rows[-1] and sum(widths[j] for j in rows[-1]) + w > max_width:
            rows.append([])
        rows[-1].append(i)
    return rows


def _figsize(figsize):
    if figsize is None:
        return None
    if isinstance(figsize, (str, bytes)) or np.ndim(figsize) != 1 or len(figsize) != 2:
        raise TypeError(f"figsize must be (width, height) in inches, got {figsize!r}")
    return tuple(v.positive(f"figsize[{i}]", x) for i, x in enumerate(figsize))


def _render_mode(render) -> str:
    v.choice("render", render, RENDER_MODES)
    if render == "auto":
        if not _ipympl_installed():
            return "image"
        try:
            _ipympl_backend()
        except ImportError as error:
            logger.warning("regcourse explorer: ipympl is installed but cannot be imported (%s); "
                           "showing PNG images", error)
            return "image"
        return "ipympl"
    return render


def _ipympl_installed() -> bool:
    """Whether ipympl can be found, without importing it (its __init__ has a side effect)."""
    try:
        return importlib.util.find_spec("ipympl") is not None
    except (ImportError, ValueError):
        return False


def _ipympl_backend():
    """The module ipympl.backend_nbagg, imported without changing pyplot's backend.

    ipympl/__init__.py runs ``matplotlib.use("module://ipympl.backend_nbagg")`` when matplotlib is
    already imported, which would turn every later ``plt.subplots(); plt.show()`` of the notebook
    into an ipympl widget instead of an inline PNG. The explorer needs ipympl's canvas class only,
    so the backend chosen before the import is put back right after it.
    """
    module = sys.modules.get("ipympl.backend_nbagg")
    if module is not None:
        return module
    with _backend_kept():
        import ipympl.backend_nbagg as module
    return module


@contextlib.contextmanager
def _backend_kept():
    """Undo any change of matplotlib's backend made inside the block (an import that calls mpl.use)."""
    rc, defaults = mpl.rcParams, mpl.rcParamsDefault
    before = rc._get("backend")            # raw (matplotlib's stable private API): may be the auto sentinel,
    default_before = defaults._get("backend")   # "not chosen yet", which rcParams["backend"] would resolve
    fallback = rc["backend_fallback"]
    pyplot = sys.modules.get("matplotlib.pyplot")
    backend_mod = getattr(pyplot, "_backend_mod", None)
    try:
        yield
    finally:
        if rc._get("backend") != before:
            pyplot = sys.modules.get("matplotlib.pyplot")
            if before is rcsetup._auto_backend_sentinel:
                # Nothing was chosen yet: leave the choice to matplotlib again, as before.
                rc._set("backend", before)
                if pyplot is not None and hasattr(pyplot, "_backend_mod"):
                    pyplot._backend_mod = backend_mod
            else:
                try:
                    mpl.use(before)                        # pyplot.switch_backend(before) if pyplot is imported
                except ImportError:
                    rc._set("backend", before)
        defaults._set("backend", default_before)
        rc["backend_fallback"] = fallback
