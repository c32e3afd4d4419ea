"""The explorer widget both explorers share: controls, callbacks, the status line and the error box.

Where a slider move goes. The status line is a ``widgets.Stack`` of one HTML per λ, and with
render="frames" (the default) the figure is a Tab of one PNG per λ: both are linked to the
slider's index in the browser (``widgets.jslink``), so a move flips them there, with no kernel
(a busy kernel, a slow hub, a static page). The kernel only hears of the move (`slider.value`), so
that `state` follows it. With render="image" or "ipympl", ``slider.observe(self._on_lambda)`` →
`Explorer._on_lambda` updates every panel in place (panels.py) and `FigureView.redraw` (render.py)
sends the new pixels.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import logging
import time
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import _validate as v
from .. import data, network, plots
from . import _checks as checks
from .lecture import BUILT_IN_SCENES, LectureControls, Lecturing, check_scenes
from .palette import encode_frames
from .panels import Panel
from .render import FigureView, render_mode
from .status import Status
from .sweep import Generated, Given, Sweep, snap_lambda

logger = logging.getLogger("regcourse.explore")

PROGRESS_DELAY = 1.0     # seconds of precomputation before the progress bar appears


class Explorer(Lecturing):
    """What both explorers share: the widget tree, the cache of sweeps, the figure, callbacks, errors.

    The widget tree, public for tests and instructors: `widget` (a VBox) holds `slider`, `penalty_toggle`
    and `dataset_menu` (in one row), the lecture row (`lecture`: scene buttons, Play, its speed, pin, reset;
    lecture.py), `status_stack` (one HTML per λ; `status_line` is the one shown), `progress`, `error_box` and
    `figure_row`: the pinned picture (`lecture.pinned_box`, hidden until `pin()`) beside the figure's widget
    (`view.widget`: with render="frames" a widgets.Tab of one widgets.Image per λ, else a widgets.Image or
    an ipympl canvas). `links` are the browser-side links from the slider's index to the stacks
    (`lecture.links`: Play to the slider). `view.panels` are the panels drawn.
    """

    PANELS: dict[str, type[Panel]] = {}
    DEFAULT_PANELS: tuple[str, ...] = ("boundary", "weights")
    WEIGHTS = "W"                     # the status line's symbol: "W" (Σ‖W[l]‖, a network) or "w" (‖w‖)

    def __init__(self, *, source, dataset, lambdas, penalty, panels, render, lambd, resolution, dpi, figsize,
                 scenes=None):
        v.choice("penalty", penalty, network.PENALTIES)
        self._own_scenes = check_scenes(scenes)
        self.source = source
        self.m, self.seed = source.m, source.seed
        self.lambdas = checks.lambda_grid(lambdas)
        self.panels = checks.panel_names(panels, self.PANELS)
        self.resolution, self.dpi, self.figsize = checks.picture(resolution, dpi, figsize)
        self.render = render_mode(render)
        self._classes = [self.PANELS[name] for name in self.panels]
        self._cache: dict[tuple[str, str], Sweep] = {}
        self._drawn_extents: dict[str, dict] = {}     # dataset -> the axis extents last drawn for it
        self._frames_of: Sweep | None = None           # render="frames": the sweep the browser's frames show
        self._note = ""
        self._first = (dataset, penalty, snap_lambda(self.lambdas, lambd))    # what reset() goes back to
        self._first_course = source.course
        self._scene_shown: str | None = None
        self._pinned: dict | None = None
        self._build_widgets(*self._first)
        self.view = FigureView(self.render, [cls.width for cls in self._classes], self.dpi, self.figsize)
        self.figure = self.view.figure
        self.figure_row = widgets.HBox([self.lecture.pinned_box, self.view.widget])
        self.widget.children = (*self.widget.children, self.figure_row)
        from .. import style                  # projector style in effect: bigger controls (style.widget_css)
        style.dress(self.widget)
        stacks = [self.status_stack] + ([self.view.widget] if self.render == "frames" else [])
        self.links = [widgets.jsdlink((self.slider, "index"), (stack, "selected_index")) for stack in stacks]
        self.sweep: Sweep | None = None
        for given in getattr(source, "models", {}):   # every penalty handed over: axes fit all from the start
            self._sweep_for(dataset, given)
        self._show(self._sweep_for(dataset, penalty))
        self._controls_follow(self.sweep)

    # --- public handle ---

    @property
    def lambd(self) -> float:
        """The λ shown now."""
        return float(self.slider.value)

    def set_lambda(self, value: float) -> float:
        """Move the slider to the grid value nearest to `value` (in log space); returns that λ."""
        lam = snap_lambda(self.lambdas, value)
        self.slider.value = lam
        self.lecture.play.value = self._index()     # the browser links them; here the kernel says it too
        return lam

    def set_penalty(self, penalty: str) -> None:
        """Switch between "l2" and "l1" (computes that combination the first time). If that fails, the
        error is shown and raised, and the explorer keeps showing what it showed."""
        v.choice("penalty", penalty, network.PENALTIES)
        lock = self._penalty_lock(self.sweep.dataset)
        if lock and penalty != self.sweep.penalty:
            raise ValueError(f"penalty cannot switch to {penalty!r}: {lock}")
        self._switch(self.sweep.dataset, penalty)

    def set_dataset(self, dataset: str) -> None:
        """Switch to another dataset of the menu (as set_penalty, for the data): a course dataset of
        regcourse.data.DATASETS or, for an explorer built from_fit(s), the notebook's own data (its name)."""
        self._switch(v.choice("dataset", dataset, self.source.datasets), self.sweep.penalty)

    def set_data(self, *, m: int | None = None, noise: float | None = None) -> None:
        """Make the course datasets again with `m` examples and / or `noise` (the dataset's noise parameter:
        the fraction of labels flipped for "two regions", the spread of the points for the others), and
        recompute the one shown if it is one of them. The notebook's own data (from_fit(s)) stays as it is.
        On failure the error is shown and raised, and the explorer keeps showing what it showed."""
        course = self.source.course
        if m is not None:
            m = v.at_most("m", v.integer("m", m, minimum=10), checks.MAX_M, "the explorer trains every λ on them")
        if noise is not None:
            noise = v.scalar("noise", noise, minimum=0.0, maximum=1.0)
        self._set_course(dataclasses.replace(course, m=course.m if m is None else m,
                                             noise=course.noise if noise is None else noise))

    def _set_course(self, new: Generated) -> None:
        """Make the course datasets with `new` (see set_data)."""
        if new == self.source.course:
            return
        before = self.source, dict(self._cache), dict(self._drawn_extents)
        self.source = self.source.with_course(new)
        self._cache = {key: s for key, s in self._cache.items() if not self.source.is_generated(key[0])}
        self._drawn_extents = {d: e for d, e in self._drawn_extents.items() if not self.source.is_generated(d)}
        try:
            if self.source.is_generated(self.sweep.dataset):
                self._switch(self.sweep.dataset, self.sweep.penalty)
        except Exception:
            self.source, self._cache, self._drawn_extents = before
            raise
        finally:
            self.m = self.source.m
            self._controls_follow(self.sweep)

    @property
    def state(self) -> dict:
        """The numbers of the status line for the λ shown: always the keys of `Status` (see there)."""
        return dataclasses.asdict(Status.of(self.sweep, self._index(), self._readings(self._index())))

    def small_multiples(self, lambdas: Sequence[float] | None = None, fig: Figure | None = None) -> Figure:
        """A static row of decision boundaries (default: λ = 0, the dev-optimal λ, the largest λ that did
        not diverge).

        The picture to put next to the explorer for readers without a running kernel. Draws into
        `fig` when given (e.g. from plt.figure), else into a new matplotlib Figure.
        """
        s = self.sweep
        if lambdas is None:
            largest = s.lambdas[~s.diverged][-1] if (~s.diverged).any() else s.lambdas[-1]
            lambdas = sorted({float(s.lambdas[0]), float(s.lambdas[s.best]), float(largest)})
        ks = [self._index(snap_lambda(self.lambdas, lam)) for lam in lambdas]
        if fig is None:
            fig = Figure(figsize=(3.6 * len(ks), 3.6), layout="constrained")
            FigureCanvasAgg(fig)
        plots.small_multiples(fig, s.X_train, s.Y_train, [s.proba[k] for k in ks], [s.lambdas[k] for k in ks],
                              grid=s.grid, train_accuracy=s.train_accuracy[ks], dev_accuracy=s.dev_accuracy[ks])
        return fig

    @property
    def status_line(self) -> widgets.HTML:
        """The status line of the λ shown (the HTML of `status_stack` the slider selects)."""
        return self.status_stack.children[self._index()]

    def to_array(self) -> np.ndarray:
        """The figure's pixels now (H, W, 4), after drawing it."""
        return self.view.to_array()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = self.picture()     # for static viewers (GitHub, nbviewer) without widgets
        return bundle

    def picture(self) -> bytes:
        """The PNG of what is shown now. With render="frames", the frame the browser shows for this λ (already
        encoded: no drawing); otherwise, or when that frame is out of date, a fresh full draw."""
        if self.render == "frames" and self._frames_of is self.sweep and self.view.panels:
            return bytes(self.view.images[self._index()].value)
        return self.view.png()

    def __repr__(self):
        return (f"{type(self).__name__}(dataset={self.sweep.dataset!r}, penalty={self.sweep.penalty!r}, "
                f"λ = {plots.format_lambda(self.lambd)})")

    # --- callbacks: a λ move, a switch of penalty or dataset ---

    def _on_lambda(self, change):
        """The slider moved: update every panel in place; redraw the pixels that change, unless the browser
        has shown that λ's frame already (render="frames": the artists only follow, for to_array)."""
        self._scene_follows(None)
        with self._errors_shown():
            if not self.view.panels:             # the last drawing failed: draw again
                return self._draw(self.sweep)
            self._pose(self._index())
            if self.render != "frames":
                self.view.redraw()

    def _pose(self, k: int) -> None:
        """Put every panel's artists at λ index k (not drawn yet)."""
        for panel in self.view.panels:
            panel.update(self.sweep, k)

    def _on_data(self, change):
        """The noise slider or the size menu changed."""
        with contextlib.suppress(Exception):     # set_data has shown and logged it
            with self._errors_shown(reraise=True):
                self.set_data(m=self.size_menu.value, noise=self.noise_slider.value)

    def _on_choice(self, change):
        """The penalty toggle or the dataset menu changed."""
        with contextlib.suppress(Exception):     # _switch has shown and logged it
            self._switch(self.dataset_menu.value, self.penalty_toggle.value)

    @staticmethod
    def _button_follows(control, callback, value) -> None:
        """Set a control's value without calling its callback."""
        if control.value != value:
            with _unobserved(control, callback):
                control.value = value

    def _switch(self, dataset: str, penalty: str) -> None:
        """Show (dataset, penalty), computed the first time. On failure the error is shown and raised, and
        the controls are put back to what the figure shows. A scene shown is left."""
        self._scene_follows(None)
        with self._errors_shown(reraise=True):
            try:
                self._show(self._sweep_for(dataset, penalty))
            finally:
                self._controls_follow(self.sweep)

    @contextlib.contextmanager
    def _errors_shown(self, reraise: bool = False):
        """An error inside the block goes to the error box (until the next success) and to the log, in one
        line (its traceback at DEBUG level); it is raised again with `reraise`."""
        try:
            yield
        except Exception as error:
            logger.warning("regcourse explorer: %s: %s", type(error).__name__, error)
            logger.debug("regcourse explorer: where the error above came from", exc_info=error)
            self.error_box.value = (f'<div style="color:#B00020;font-weight:bold">{type(error).__name__}: '
                                    f'{html.escape(str(error))}</div>')
            if reraise:
                raise
        else:
            self.error_box.value = ""

    def _controls_follow(self, sweep: Sweep) -> None:
        """Set the toggle, the menu and the data controls to what `sweep` is, without calling their callbacks."""
        for control, value in ((self.penalty_toggle, sweep.penalty), (self.dataset_menu, sweep.dataset)):
            self._button_follows(control, self._on_choice, value)
        lock = self._penalty_lock(sweep.dataset)
        self.penalty_toggle.disabled = bool(lock)
        self.penalty_toggle.tooltips = [lock] * 2 if lock else ["L2: (λ/2m) Σ‖W‖²", "L1: (λ/m) Σ|W|"]
        generated = self.source.is_generated(sweep.dataset)
        for control in (self.noise_slider, self.size_menu):
            control.layout.display = None if generated else "none"
        if generated:
            m = self.source.course.m
            with _unobserved(self.size_menu, self._on_data):
                self.size_menu.options = sorted({*DATA_SIZES, m})
                self.size_menu.value = m
            self._button_follows(self.noise_slider, self._on_data, self.source.noise_of(sweep.dataset))

    def _penalty_lock(self, dataset: str) -> str:
        """Why the penalty cannot switch on `dataset` ("" when it can)."""
        given = set(getattr(self.source, "models", {})) if not self.source.is_generated(dataset) else set()
        cannot = self.source.cannot_train_on(dataset)
        return cannot if cannot and given != set(network.PENALTIES) else ""

    # --- drawing a sweep ---

    def _show(self, sweep: Sweep) -> None:
        """Draw every panel for `sweep` at the current λ. If that fails, what was shown is drawn again."""
        previous = self.sweep
        try:
            self._draw(sweep)
        except Exception:
            if previous is not None and previous is not sweep:
                with contextlib.suppress(Exception):
                    self._draw(previous)
            self.view.redraw()
            raise

    def _draw(self, sweep: Sweep) -> None:
        k = self._index()
        extents = {cls: tuple(max(e) for e in zip(*(cls.extent(s, s.prepared[cls]) for s in self._cache.values()
                                                     if s.dataset == sweep.dataset)))
                   for cls in self._classes}              # the largest over the penalties: axes stay put
        drawn = self._drawn_extents.get(sweep.dataset)
        self._note = "axes rescaled to fit L1 and L2" if drawn is not None and drawn != extents else ""
        self.view.draw(lambda axes_for: [cls(axes_for(i, cls.n_axes(sweep)), sweep, k, self, extents[cls])
                                         for i, cls in enumerate(self._classes)])
        self.sweep, self._drawn_extents[sweep.dataset] = sweep, extents
        if self.render == "frames":
            self._frames_of = None
            self._draw_frames(k)
            self._frames_of = sweep
        self.view.redraw()
        self._write_status(k)

    def _draw_frames(self, k: int) -> None:
        """render="frames": draw the figure at every λ of the grid once and send the PNGs, then pose at k."""
        pictures = []
        with self._progress_shown() as progress:
            for j in range(len(self.lambdas)):
                self._pose(j)
                self.view.redraw()
                pictures.append(self.view.pixels())
                progress((j + 1) / len(self.lambdas))
        self._pose(k)
        self.view.show_frames(encode_frames(pictures), k)

    def _sweep_for(self, dataset: str, penalty: str) -> Sweep:
        """The sweep of (dataset, penalty): the source's models, or models trained now, then measured."""
        if (dataset, penalty) not in self._cache:
            with self._progress_shown() as progress:
                split, model = self.source.split(dataset), self.source.model(dataset, penalty)
                if model is None:
                    cannot = self.source.cannot_train_on(dataset)
                    if cannot:
                        raise ValueError(f"penalty cannot switch to {penalty!r}: {cannot}")
                    model = self._train(dataset, split, penalty, progress)
                sweep = self._measure(dataset, penalty, split, model, progress)
                for cls in self._classes:
                    sweep.prepared[cls] = cls.prepare(sweep, self)
            self._cache[dataset, penalty] = sweep
        return self._cache[dataset, penalty]

    def _train(self, dataset: str, split: data.Split, penalty: str, progress):
        raise NotImplementedError

    def _measure(self, dataset: str, penalty: str, split: data.Split, model, progress) -> Sweep:
        raise NotImplementedError

    @contextlib.contextmanager
    def _progress_shown(self):
        """progress(fraction) for the block; the bar appears once it has run for PROGRESS_DELAY seconds."""
        started = time.perf_counter()

        def progress(fraction: float) -> None:
            if time.perf_counter() - started > PROGRESS_DELAY:
                self.progress.layout.display = None
                self.progress.value = float(np.clip(fraction, 0.0, 1.0))
        try:
            yield progress
        finally:
            self.progress.layout.display = "none"

    def _index(self, lam=None) -> int:
        lam = self.lambd if lam is None else lam
        return int(np.flatnonzero(self.lambdas == lam)[0])

    def _readings(self, k: int) -> list:
        return [r for r in (panel.reading(self.sweep, k) for panel in self.view.panels) if r is not None]

    def _write_status(self, k: int) -> None:
        """Write the status line of every λ (the browser shows the slider's), select the one of λ index k."""
        for j, line in enumerate(self.status_stack.children):
            readings = self._readings(j)
            line.value = Status.of(self.sweep, j, readings).html(readings, self.WEIGHTS, self._note)
        self.status_stack.selected_index = k

    # --- the widget tree ---

    def _build_widgets(self, dataset: str, penalty: str, start: float) -> None:
        labels = [plots.format_lambda(lam) for lam in self.lambdas]
        self.slider = widgets.SelectionSlider(
            options=list(zip(labels, self.lambdas.tolist())), value=start, description="λ",
            continuous_update=True, layout=widgets.Layout(width="420px"))
        self.penalty_toggle = widgets.ToggleButtons(options=[("L2", "l2"), ("L1", "l1")], value=penalty,
                                                    style={"button_width": "48px"})
        given = isinstance(self.source, Given)
        self.dataset_menu = widgets.Dropdown(
            options=[(menu_label(name, self.source), name) for name in self.source.datasets], value=dataset,
            description="data", layout=widgets.Layout(width="auto"),
            tooltip=("the notebook's data, or a course dataset of as many examples (computed when picked)" if given
                     else "a course dataset (computed when picked)"))
        self.noise_slider = widgets.FloatSlider(value=0.0, min=0.0, max=0.5, step=0.05, description="noise",
                                                continuous_update=False, readout_format=".2f",
                                                tooltip="two regions: the fraction of labels flipped; the others: "
                                                        "the spread of the points")
        self.size_menu = widgets.Dropdown(options=DATA_SIZES, description="m", tooltip="examples in all (train, "
                                          "dev and test)", layout=widgets.Layout(width="140px"))
        self.status_stack = widgets.Stack([widgets.HTML() for _ in self.lambdas])
        self.progress = widgets.FloatProgress(min=0.0, max=1.0, value=0.0, description="computing",
                                              layout=widgets.Layout(display="none"))
        self.error_box = widgets.HTML()
        for w, name in ((self.slider, "lambda"), (self.penalty_toggle, "penalty"), (self.dataset_menu, "dataset"),
                        (self.noise_slider, "noise"), (self.size_menu, "size"), (self.status_stack, "status"),
                        (self.progress, "progress"), (self.error_box, "error")):
            w.add_class(f"regcourse-{name}")
        self.lecture = LectureControls.build([*BUILT_IN_SCENES, *self._own_scenes], self.slider)
        self.slider.observe(self._on_lambda, names="value")
        self.penalty_toggle.observe(self._on_choice, names="value")
        self.dataset_menu.observe(self._on_choice, names="value")
        self.noise_slider.observe(self._on_data, names="value")
        self.size_menu.observe(self._on_data, names="value")
        self.lecture.scene_buttons.observe(self._on_scene, names="value")
        self.lecture.pin_button.observe(self._on_pin, names="value")
        self.lecture.reset_button.on_click(self._on_reset)
        controls = widgets.HBox([self.slider, self.penalty_toggle, self.dataset_menu, self.noise_slider,
                                 self.size_menu], layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.widget = widgets.VBox([controls, self.lecture.row, self.status_stack, self.progress, self.error_box])
        self.widget.add_class("regcourse-explorer")


DATA_SIZES = (60, 100, 200, 300, 600, 1000)      # the size menu's m (with the explorer's own)


def menu_label(name: str, source) -> str:
    """The dataset menu's label: a course dataset's name, or "the notebook's data" (with its name)."""
    if source.is_generated(name):
        return name
    return "the notebook's data" if name == "notebook data" else f"the notebook's data: {name}"


@contextlib.contextmanager
def _unobserved(control, callback):
    """Changes to control.value inside the block do not call `callback`."""
    control.unobserve(callback, names="value")
    try:
        yield
    finally:
        control.observe(callback, names="value")
