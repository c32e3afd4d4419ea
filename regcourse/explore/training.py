"""Live training: press Play and watch the network learn; change λ, L1/L2 or the learning rate mid-run.

    explorer = TrainingExplorer(dataset="two regions")
    explorer                      # the widget: Play / Pause, Step, Reset, speed, λ, L1/L2, learning rate
    explorer.step_frames(20)      # the same as 20 frames of Play, drawn, without a browser
    explorer.set_lambda(1.0)      # the run goes on from the current weights (warm start); the curves mark it
    explorer.state                # the numbers of the status line

A frame is ``iterations_per_frame`` steps of ``network.train(X, Y, params=<current weights>, ...)``:
the run continues from where it is, so a new λ acts on the weights the network has now. The
curves of data loss, penalty, train/dev error and ‖W[l]‖_F grow frame by frame; a vertical line
marks the iteration of each change.

Play runs as an asyncio task on the kernel's event loop: it yields between frames, so the
notebook stays usable (other cells execute; playback waits while one runs). Pause cancels the task
before the next frame. One explorer plays at a time: Play on one, or building a new one (re-running
its cell), pauses every other; `close()` stops the run and closes the widgets. A run that diverges
(too large a learning rate) stops at its last finite weights, and the status line says why.
"""

from __future__ import annotations

import asyncio
import html
import time
import warnings
import weakref

import ipywidgets as widgets
import numpy as np

from .. import _validate as v
from .. import network, plots
from . import _checks as checks
from .palette import PaletteEncoder
from .render import FigureView
from .sweep import default_lambdas, snap_lambda
from .training_figure import TrainingFigure

FRAME_PERIOD = 1 / 30       # seconds: Play aims at 30 frames per second at most
# Between two frames Play gives the event loop this many turns. A message from the browser (Pause, a
# slider) takes a few turns to reach its handler, and a frame waits behind each turn: with one turn,
# each queued key press cost a frame, and a Pause pressed after them arrived a second late.
MESSAGE_TURNS = 20
MAX_ITERATIONS_PER_FRAME = 200
_LIVE: weakref.WeakSet = weakref.WeakSet()      # every TrainingExplorer not closed: one plays at a time


class TrainingExplorer(TrainingFigure):
    """The L-layer network of regcourse.network trained live, frame by frame, with λ changeable mid-run.

    dataset               a name from regcourse.data.DATASETS
    layer_dims            (2, n[1], ..., 1): two inputs, the hidden layers, one sigmoid output
    activation            "relu" or "tanh" for the hidden layers
    lambd, penalty        the starting λ (snapped to the slider's grid: 0 and 0.001 … 100) and "l2" / "l1"
    learning_rate         α of gradient descent (changeable mid-run)
    iterations_per_frame  gradient steps between two pictures (the speed control)
    m, seed, data_options, dev, test   the data (as NetworkExplorer) and the initialization seed
    resolution            grid points per side of the probability map
    dpi, figsize          the figure

    Public handle (no browser needed): `step_frames(n)`, `play()`, `pause()`, `reset()`,
    `set_lambda(v)`, `set_penalty(kind)`, `set_learning_rate(v)`, `state`, `params`, `changes`,
    `to_array()`, `close()`; `frame_seconds` holds the last frame's (training, drawing) times.
    """

    def __init__(self, dataset: str = "two regions", layer_dims=(2, 40, 20, 1), activation: str = "relu", *,
                 lambd: float = 0.0, penalty: str = "l2", learning_rate: float = 0.5,
                 iterations_per_frame: int = 10, m: int = 300, seed: int = 0, data_options: dict | None = None,
                 dev: float = 0.3, test: float = 0.1, resolution: int = 50, dpi: float = 72,
                 figsize: tuple[float, float] | None = (10.5, 4.6)):
        self.layer_dims = checks.layer_dims(layer_dims)
        self.activation = v.choice("activation", activation, network.ACTIVATIONS)
        penalty = v.choice("penalty", penalty, network.PENALTIES)
        learning_rate = v.positive("learning_rate", learning_rate)
        speed = v.at_most("iterations_per_frame", v.integer("iterations_per_frame", iterations_per_frame, minimum=1),
                          MAX_ITERATIONS_PER_FRAME, "gradient steps between two pictures")
        self.resolution, dpi, figsize = checks.picture(resolution, dpi, figsize)
        source = checks.generated(dataset, m, seed, data_options, dev, test)
        self.dataset, self.seed = dataset, source.seed
        self.split = source.split(dataset)
        self.grid = plots.grid_for(self.split.X_train, self.resolution)
        self.lambdas = default_lambdas()
        self._task: asyncio.Task | None = None
        self._encoder = None
        self._closed = False
        self.frame_seconds = (0.0, 0.0)
        self._build_widgets(snap_lambda(self.lambdas, lambd), penalty, learning_rate, speed)
        self.view = FigureView("image", [3.4, 3.1, 3.1], dpi, figsize)
        self.view.keep_axes_boxes = True      # axes that grow are re-rendered alone (view.redraw_axes)
        self.figure = self.view.figure
        self.widget.children = (*self.widget.children, self.view.widget)
        for other in list(_LIVE):            # re-running the cell (or a new explorer) stops the old run
            other.pause()
        _LIVE.add(self)
        self.reset()

    # --- public handle ---

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)

    @property
    def lambd(self) -> float:
        return float(self.lambda_slider.value)

    @property
    def penalty(self) -> str:
        return self.penalty_toggle.value

    @property
    def learning_rate(self) -> float:
        return float(self.rate_slider.value)

    @property
    def playing(self) -> bool:
        return self._task is not None and not self._task.done()

    def set_lambda(self, value: float) -> float:
        """Move the λ slider to the grid value nearest to `value`; the run goes on from the current weights."""
        lam = snap_lambda(self.lambdas, value)
        self.lambda_slider.value = lam
        return lam

    def set_penalty(self, kind: str) -> None:
        """Switch the penalty to "l2" or "l1" mid-run."""
        self.penalty_toggle.value = v.choice("kind", kind, network.PENALTIES)

    def set_learning_rate(self, value: float) -> float:
        """Set α mid-run (within the slider's range 0.001 … 100)."""
        value = v.positive("learning_rate", value)
        if not self.rate_slider.min <= np.log10(value) <= self.rate_slider.max:
            raise ValueError(f"learning_rate must be between 0.001 and 100, got {value:g}")
        self.rate_slider.value = value
        return float(self.rate_slider.value)

    def step_frames(self, n: int = 1) -> int:
        """Advance `n` frames (each drawn); stops early at a divergence. Returns the frames done.

        The iteration axis spans the whole run from its first frame (its ticks are drawn once, not
        at every doubling)."""
        n = v.integer("n", n, minimum=0)
        self._check_open()
        until = self.iteration + n * int(self.speed_slider.value)
        for done in range(n):
            if not self._frame(until):
                return done
        return n

    def play(self) -> None:
        """Start playing on the running event loop (a Jupyter kernel's); other explorers pause."""
        self._check_open()
        if self.playing:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError("play() needs a running asyncio event loop (a Jupyter kernel has one); "
                               "use step_frames(n) outside a notebook") from None
        for other in list(_LIVE):
            if other is not self:
                other.pause()
        self._task = loop.create_task(self._run())
        self.play_button.value = True

    def pause(self) -> None:
        """Stop playing now: no frame is computed after this call."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if not self._closed and self.play_button.value:
            self.play_button.value = False

    def reset(self) -> None:
        """Pause, start again from the initial weights (seeded) with the current settings, clear the curves."""
        self.pause()
        self.params = network.initialize(list(self.layer_dims), self.activation, self.seed)
        self.iteration = 0
        self.diverged, self.divergence = False, None
        self.changes: list[tuple[int, str]] = []
        self.history = {key: [] for key in ("iteration", "data_loss", "penalty", "frobenius", "train_error",
                                            "dev_error")}
        self._measure(network.train(*self._training_set(), params=self.params, lambd=self.lambd,
                                    penalty=self.penalty, activation=self.activation,
                                    learning_rate=self.learning_rate, num_iterations=0))
        self.view.draw(self._make_panels)
        if self.view.encode is not self._encoder:       # once: the palette is chosen from the first picture
            self._encoder = PaletteEncoder(np.asarray(self.figure.canvas.buffer_rgba()), self._colours())
            self.view.encode = self._encoder
        self.view.redraw()
        self._show()

    def close(self) -> None:
        """Stop the run and close every widget (the explorer cannot be used afterwards)."""
        self.pause()
        self._closed = True
        _LIVE.discard(self)
        _close_tree(self.widget)

    def to_array(self) -> np.ndarray:
        """The figure's pixels (H, W, 4) uint8, as shown."""
        return self.view.to_array()

    @property
    def state(self) -> dict:
        """The numbers of the status line, plus the settings and the marked changes."""
        h = self.history
        return {"iteration": self.iteration, "lambd": self.lambd, "penalty": self.penalty,
                "learning_rate": self.learning_rate, "iterations_per_frame": int(self.speed_slider.value),
                "data_loss": h["data_loss"][-1], "penalty_value": h["penalty"][-1],
                "cost": h["data_loss"][-1] + h["penalty"][-1],
                "train_error": h["train_error"][-1], "dev_error": h["dev_error"][-1],
                "train_accuracy": 1 - h["train_error"][-1], "dev_accuracy": 1 - h["dev_error"][-1],
                "frobenius": list(h["frobenius"][-1]),
                "sum_frobenius_sq": float(np.sum(np.square(h["frobenius"][-1]))),
                "diverged": self.diverged, "divergence": self.divergence, "playing": self.playing,
                "changes": list(self.changes)}

    # --- a frame ---

    def _training_set(self):
        return self.split.X_train, self.split.Y_train

    def _frame(self, until: int = 0) -> bool:
        """Train one frame from the current weights, record it and draw it (`until`: see `_limits`);
        False when it diverged."""
        start = time.perf_counter()
        k = int(self.speed_slider.value)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", network.DivergenceWarning)   # shown in the status line instead
            fit = network.train(*self._training_set(), params=self.params, lambd=self.lambd, penalty=self.penalty,
                                activation=self.activation, learning_rate=self.learning_rate, num_iterations=k,
                                record_every=k)
        if fit.diverged:
            self.diverged, self.divergence = True, fit.divergence
            self.pause()
            self._show()
            return False
        self.params, self.iteration = fit.params, self.iteration + k
        self.diverged, self.divergence = False, None
        self._measure(fit)
        trained = time.perf_counter()
        self._draw(until)
        self.frame_seconds = (trained - start, time.perf_counter() - trained)
        return True

    def _measure(self, fit: network.Fit) -> None:
        """Append the fit's final numbers (from its last history record and its accuracies) to the history."""
        h, last = self.history, {key: value[-1] for key, value in fit.history.items()}
        h["iteration"].append(self.iteration)
        h["data_loss"].append(float(last["data_loss"]))
        h["penalty"].append(float(last["penalty"]))
        h["frobenius"].append(np.asarray(last["frobenius"], dtype=float))
        h["train_error"].append(1 - fit.accuracy(*self._training_set()))
        h["dev_error"].append(1 - fit.accuracy(self.split.X_dev, self.split.Y_dev))
        self._proba = fit.predict_proba(self.grid.points).reshape(self.grid.xx.shape)

    async def _run(self) -> None:
        try:
            while True:
                started = time.perf_counter()
                if not self._frame():
                    return
                for _ in range(MESSAGE_TURNS):
                    await asyncio.sleep(0)
                await asyncio.sleep(max(0.001, FRAME_PERIOD - (time.perf_counter() - started)))
        except asyncio.CancelledError:
            raise
        except Exception as error:          # shown in the widget, never swallowed
            self.error_box.value = f"<pre style='color:#b00'>{html.escape(repr(error))}</pre>"
            raise
        finally:
            if self._task is asyncio.current_task():
                self._task = None
                if not self._closed:
                    self.play_button.value = False

    # --- widgets ---

    def _build_widgets(self, lambd: float, penalty: str, learning_rate: float, speed: int) -> None:
        labels = [plots.format_lambda(lam) for lam in self.lambdas]
        self.play_button = widgets.ToggleButton(value=False, description="Play", icon="play",
                                                layout=widgets.Layout(width="90px"))
        self.step_button = widgets.Button(description="Step", icon="step-forward", layout=widgets.Layout(width="80px"))
        self.reset_button = widgets.Button(description="Reset", icon="undo", layout=widgets.Layout(width="80px"))
        self.speed_slider = widgets.IntSlider(value=speed, min=1, max=MAX_ITERATIONS_PER_FRAME,
                                              description="iter/frame", layout=widgets.Layout(width="300px"))
        self.lambda_slider = widgets.SelectionSlider(options=list(zip(labels, self.lambdas.tolist())), value=lambd,
                                                     description="λ", continuous_update=False,
                                                     layout=widgets.Layout(width="420px"))
        self.penalty_toggle = widgets.ToggleButtons(options=[("L2", "l2"), ("L1", "l1")], value=penalty,
                                                    style={"button_width": "48px"},
                                                    tooltips=["L2: (λ/2m) Σ‖W‖²", "L1: (λ/m) Σ|W|"])
        self.rate_slider = widgets.FloatLogSlider(value=learning_rate, base=10, min=-3, max=2, step=0.1,
                                                  description="α", continuous_update=False, readout_format=".3g",
                                                  layout=widgets.Layout(width="330px"))
        self.status_line = widgets.HTML()
        self.error_box = widgets.HTML()
        for widget, name in ((self.play_button, "play"), (self.step_button, "step"), (self.reset_button, "reset"),
                             (self.speed_slider, "speed"), (self.lambda_slider, "lambda"),
                             (self.penalty_toggle, "penalty"), (self.rate_slider, "learning-rate"),
                             (self.status_line, "status"), (self.error_box, "error")):
            widget.add_class(f"regcourse-training-{name}")
        self.play_button.observe(self._guarded(self._on_play), "value")
        self.step_button.on_click(self._guarded(lambda _: self.step_frames(1)))
        self.reset_button.on_click(self._guarded(lambda _: self.reset()))
        self.lambda_slider.observe(self._guarded(lambda change: self._mark(f"λ={change['new']:g}")), "value")
        self.penalty_toggle.observe(self._guarded(lambda change: self._mark(change["new"].upper())), "value")
        self.rate_slider.observe(self._guarded(lambda change: self._mark(f"α={change['new']:.3g}")), "value")
        self.widget = widgets.VBox([
            widgets.HBox([self.play_button, self.step_button, self.reset_button, self.speed_slider]),
            widgets.HBox([self.lambda_slider, self.penalty_toggle, self.rate_slider]),
            self.status_line, self.error_box])
        self.widget.add_class("regcourse-training")

    def _guarded(self, callback):
        """The callback, with any error shown in the widget's error box (and the box cleared on success)."""
        def run(*args):
            try:
                callback(*args)
                self.error_box.value = ""
            except Exception as error:
                self.error_box.value = f"<pre style='color:#b00'>{html.escape(type(error).__name__)}: " \
                                       f"{html.escape(str(error))}</pre>"
                raise
        return run

    def _on_play(self, change) -> None:
        if change["new"] and not self.playing:
            self.play()
        elif not change["new"]:
            self.pause()
        self.play_button.description, self.play_button.icon = ("Pause", "pause") if change["new"] else ("Play", "play")

    def _mark(self, label: str) -> None:
        """A setting changed: the run goes on from the current weights; mark the iteration on the curves."""
        if not hasattr(self, "history"):
            return
        if self.changes and self.changes[-1][0] == self.iteration:
            self.changes[-1] = (self.iteration, self.changes[-1][1] + ", " + label)
        else:
            self.changes.append((self.iteration, label))
        self.diverged, self.divergence = False, None
        self._update_marks()
        if not self.playing:            # while playing, the next frame (a few ms away) shows it
            self.view.redraw()
        self._show()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("this TrainingExplorer is closed; build a new one")


def _close_tree(widget) -> None:
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()
