"""The explorer widget both explorers share: controls, cache of sweeps, figure, callbacks, errors."""

from __future__ import annotations

import html
import logging
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import _validate as v
from .. import data, network, plots
from . import _checks as checks
from ._mpl_private import fast_canvas_class, ipympl_backend
from .panels import Panel
from .render import panel_rows, pixel_box, png_bytes, render_mode
from .sweep import Sweep, snap_lambda

logger = logging.getLogger("regcourse.explore")

PROGRESS_DELAY = 1.0     # seconds of precomputation before the progress bar appears
MAX_ROW_WIDTH = 9.6      # inches: panels wrap to a new row beyond this, so the figure fits a notebook
PANEL_HEIGHT = 3.7       # inches per row of panels


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
            self.data_options = checks.data_options(data_options, dataset)
            self.dev = v.scalar("dev", dev, minimum=0.0, strict=True, maximum=1.0)
            self.test = v.scalar("test", test, minimum=0.0, maximum=1.0)
            if self.dev + self.test >= 1.0:
                raise ValueError(f"dev + test must be < 1 to leave a training set, got {self.dev + self.test:g}")
        else:                             # the data is the notebook's: m, seed and fractions are its own
            self.m, self.seed, self.data_options, self.dev, self.test = m, seed, {}, None, None
        self.lambdas = checks.lambda_grid(lambdas)
        self.panels = checks.panel_names(panels, self.PANELS)
        self.resolution = v.integer("resolution", resolution, minimum=10)
        self.dpi = v.positive("dpi", dpi)
        self.figsize = checks.figsize(figsize)
        self.render = render_mode(render)
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
        self._rows = panel_rows([scale * self.PANELS[name].width for name in self.panels], MAX_ROW_WIDTH * scale)
        if self.figsize is None:
            width = max(sum(scale * self.PANELS[self.panels[i]].width for i in row) for row in self._rows)
            self.figsize = (width, scale * PANEL_HEIGHT * len(self._rows))
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi)
        if self.render == "ipympl":
            FigureManager = ipympl_backend().FigureManager
            canvas = fast_canvas_class(png_bytes)(self.figure)
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
        options = self.data_options if set(self.data_options) <= checks.dataset_options(dataset) else {}
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
            self._overlay_boxes = [pixel_box(a.get_window_extent(event.renderer), height)
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

