"""The live training explorer's figure: its panels, the marks of each change, and a frame's redraw.

`TrainingFigure` is part of `TrainingExplorer` (training.py), which supplies what it uses: `split`,
`history`, `changes`, `iteration`, `grid`, the probability map `_proba`, `figure`, `view`, `state`
and `status_line`. The panels are built from `regcourse.plots`; a frame updates their artists in
place and redraws only what changed (see render.FigureView).
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba_array

from .. import plots
from ..style import DEV_COLOR, OKABE_ITO, TRAIN_COLOR

LAYER_COLORS = [OKABE_ITO[name] for name in ("blue", "vermillion", "bluish green", "orange", "reddish purple",
                                            "sky blue", "yellow")]
MARK_COLOR = "0.45"          # the dashed lines that mark a change of λ, penalty or α


class TrainingFigure:
    """Drawing for `TrainingExplorer`: the boundary, data loss over penalty, train/dev error over ‖W[l]‖_F."""

    def _make_panels(self, axes_for):
        """The boundary; data loss over penalty; train/dev error over ‖W[l]‖_F. Built from regcourse.plots."""
        s, h = self.split, self._history_arrays()
        boundary_ax, = axes_for(0, 1)
        loss_ax, penalty_ax = axes_for(1, 2)
        error_ax, norm_ax = axes_for(2, 2)
        self._boundary = plots.plot_decision_boundary(boundary_ax, s.X_train, s.Y_train, self._proba, grid=self.grid)
        boundary_ax.set_title("decision boundary (train set)", fontsize="medium")
        self._loss = plots.plot_history(loss_ax, h, quantity="data_loss").lines[0]
        self._penalty = plots.plot_history(penalty_ax, h, quantity="penalty").lines[0]
        self._loss.set_color(TRAIN_COLOR)
        self._penalty.set_color(OKABE_ITO["reddish purple"])
        L = len(self.layer_dims) - 1
        self._norms = [plots.plot_history(norm_ax, h, quantity="frobenius", layer=l).lines[0] for l in range(1, L + 1)]
        for l, line in enumerate(self._norms, start=1):
            line.set_color(LAYER_COLORS[(l - 1) % len(LAYER_COLORS)])
            line.set_label(f"W[{l}]")
        norm_ax.set_ylabel(r"$\Vert W^{[l]}\Vert_F$")
        norm_ax.legend(fontsize="x-small", loc="upper left", ncol=L)
        self._train_line, = error_ax.plot(h["iteration"], h["train_error"], color=TRAIN_COLOR, label="train")
        self._dev_line, = error_ax.plot(h["iteration"], h["dev_error"], color=DEV_COLOR, label="dev")
        error_ax.set_ylabel("error")
        error_ax.legend(fontsize="x-small", loc="upper right", ncol=2)
        self._curves = {loss_ax: [self._loss], penalty_ax: [self._penalty], error_ax: [self._train_line,
                        self._dev_line], norm_ax: self._norms}
        for ax in (loss_ax, error_ax):
            ax.set_xlabel("")
            ax.tick_params(labelbottom=False)
        # the changes of λ, penalty or α: a dashed line at each one's iteration on every curve, the last one labelled
        self._marks = [ax.add_collection(LineCollection([], colors=MARK_COLOR, linewidths=1, linestyles="--",
                                                        transform=ax.get_xaxis_transform(), zorder=0), autolim=False)
                       for ax in self._curves]
        self._mark_label = loss_ax.annotate("", (0, 1), xycoords=("data", "axes fraction"), xytext=(2, -2),
                                            textcoords="offset points", va="top", fontsize="x-small", color="0.3")
        self._update_marks()
        self._limits()
        legends = [ax.get_legend() for ax in self.figure.axes if ax.get_legend() is not None]
        curves = [line for lines in self._curves.values() for line in lines]
        return [_Dynamic([*self._marks, self._mark_label, *self._boundary[:2], *self._boundary.points, *curves],
                         legends)]

    def _update_marks(self) -> None:
        """Put the dashed lines at the iterations of the changes, and the last change's label by its line."""
        segments = [[(iteration, 0), (iteration, 1)] for iteration, _ in self.changes]
        for marks in self._marks:
            marks.set_segments(segments)
            marks.set_visible(bool(segments))         # an empty collection still costs a millisecond to draw
        iteration, label = self.changes[-1] if self.changes else (0, "")
        self._mark_label.xy = (iteration, 1)
        self._mark_label.set_text(label)

    def _colours(self) -> np.ndarray:
        """Colours the frames' palette must hold besides those of the first picture: the probability map's, the
        curves' and the marks'."""
        curves = [TRAIN_COLOR, DEV_COLOR, OKABE_ITO["reddish purple"], MARK_COLOR, "0.3", *LAYER_COLORS]
        return np.vstack([plots.PROBABILITY_CMAP(np.linspace(0, 1, 64)), to_rgba_array(curves)])

    def _history_arrays(self) -> dict:
        h = self.history
        return {"iteration": np.asarray(h["iteration"]), "data_loss": np.asarray(h["data_loss"]),
                "penalty": np.asarray(h["penalty"]), "frobenius": np.asarray(h["frobenius"]),
                "train_error": np.asarray(h["train_error"]), "dev_error": np.asarray(h["dev_error"])}

    def _limits(self, until: int = 0) -> list:
        """Grow the axes' limits to hold every curve (x doubles, y grows by 30 %); the axes that changed.
        `until`: an iteration the x axis must already reach (the end of a run of frames asked for)."""
        changed = []
        last = max(self.iteration, 1, until)
        for ax, lines in self._curves.items():
            xmax = ax.get_xlim()[1]
            if ax.get_xlim()[0] != 0 or xmax < last or xmax <= 1:
                ax.set_xlim(0, max(100, 2 ** np.ceil(np.log2(last * 1.05))))
                changed.append(ax)
            top = max(float(np.max(line.get_ydata(), initial=0.0)) for line in lines)
            low, high = ax.get_ylim()
            if low != 0 or high < top or high <= 1e-9:
                ax.set_ylim(0, max(1.3 * top, 1e-3))
                changed.append(ax)
        return changed

    def _draw(self, until: int = 0) -> None:
        """Update the artists in place and send the picture (the axes whose limits grew are re-rendered;
        `until` as in `_limits`)."""
        h = self._history_arrays()
        plots.update_decision_boundary(self._boundary, plots.probability_rgba(self._proba),
                                       plots.boundary_segments(self.grid.xx, self.grid.yy, self._proba))
        x = h["iteration"]
        self._loss.set_data(x, h["data_loss"])
        self._penalty.set_data(x, h["penalty"])
        self._train_line.set_data(x, h["train_error"])
        self._dev_line.set_data(x, h["dev_error"])
        for l, line in enumerate(self._norms):
            line.set_data(x, h["frobenius"][:, l])
        grown = list(dict.fromkeys(self._limits(until)))
        if grown:
            self.view.redraw_axes(grown)
        else:
            self.view.redraw()
        self._show()

    def _show(self) -> None:
        s = self.state
        text = (f"iteration <b>{s['iteration']}</b> · data loss {s['data_loss']:.4f} · penalty {s['penalty_value']:.4f}"
                f" · cost {s['cost']:.4f} · train {100 * s['train_accuracy']:.1f} % · dev "
                f"{100 * s['dev_accuracy']:.1f} % · Σ‖W‖² {s['sum_frobenius_sq']:.3g}")
        if self.diverged:
            text += f"<br><b style='color:#b00'>diverged: {html.escape(self.divergence)}</b>"
        self.status_line.value = text


class _Dynamic:
    """The artists a frame changes (redrawn over the cached background); see render.FigureView."""

    def __init__(self, artists, overlays):
        self.dynamic, self.overlays = artists, overlays
