"""The two explorers: logistic regression on polynomial features, and an L-layer network.

Each is a constructor (the settings, checked), ``from_fit(s)`` (the same over a notebook's own models,
through a sweep.Given source), ``_train`` (the λ grid, when the source has no model for a penalty)
and ``_measure`` (a sweep.*_sweep over the models).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import _validate as v
from .. import data, logistic, network
from . import _checks as checks
from .panels import BoundaryPanel, CoefficientsPanel, CurvePanel, PathPanel, TanhPanel, UnitsPanel, WeightsPanel
from .sweep import logistic_sweep, network_sweep
from .widget import Explorer


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
    render      "auto" or "frames" (every λ drawn once, flipped in the browser), "image" or "ipympl"
    lambd       the λ shown first (snapped to the grid)
    resolution  grid points per side of the probability map
    dpi, figsize  figure resolution and size in inches (default: from the panels and font size)
    scenes      the notebook's own scenes beside the built-in ones: {name: λ or explore.Scene(λ, penalty)},
                e.g. {"first exact zero": Scene(0.01, "l1")} (lecture.py)

    source      where data and models come from (default: made from dataset, m, seed, data_options, dev,
                test); from_fits passes a sweep.Given with the notebook's split and fits

    `LogisticExplorer.from_fits(fits, split)` shows fits a notebook already has (no refitting).
    `state` has the keys of status.Status, whichever panels are shown.
    """

    PANELS = {"boundary": BoundaryPanel, "coefficients": CoefficientsPanel, "weights": WeightsPanel,
              "path": PathPanel, "curve": CurvePanel}
    DEFAULT_PANELS = ("boundary", "coefficients")
    WEIGHTS = "w"

    def __init__(self, dataset: str = "two regions", degree: int = 6, lambdas=None, penalty: str = "l2", *,
                 m: int = 300, seed: int = 0, data_options: dict | None = None, dev: float = 0.2,
                 test: float = 0.2, panels: Sequence[str] | str | None = None, render: str = "auto",
                 lambd: float = 0.0, resolution: int = 120, dpi: float = 100,
                 figsize: tuple[float, float] | None = None, scenes: dict | None = None, source=None):
        self.degree = v.at_most("degree", v.integer("degree", degree, minimum=1), checks.MAX_DEGREE,
                                "polynomial features of x1, x2")
        if source is None:
            source = checks.generated(dataset, m, seed, data_options, dev, test)
        given = next(iter(getattr(source, "models", {}).values()), None)
        self.penalize_b = given[0].penalize_b if given else False
        super().__init__(source=source, dataset=getattr(source, "dataset", dataset), lambdas=lambdas,
                         penalty=penalty, panels=self.DEFAULT_PANELS if panels is None else panels, render=render,
                         lambd=lambd, resolution=resolution, dpi=dpi, figsize=figsize, scenes=scenes)

    @classmethod
    def from_fits(cls, fits, split, *, degree: int | None = None, dataset: str | None = None,
                  panels: Sequence[str] | str | None = None, render: str = "auto", lambd: float = 0.0,
                  resolution: int = 120, dpi: float = 100,
                  figsize: tuple[float, float] | None = None, scenes: dict | None = None) -> LogisticExplorer:
        """An explorer over fits a notebook already has: nothing is fitted again.

        fits     a list of LogisticFit, one per λ (e.g. logistic.fit_path's result), fitted on the
                 polynomial features of split.X_train; or a dict {"l2": [...], "l1": [...]} over the
                 same λ values. Their λ values are the slider's grid; the other penalty, when the
                 toggle asks for it, is fitted on the same training set.
        split    the data.Split the fits were trained on (its dev set gives the dev numbers)
        degree   the polynomial degree (default: read off the number of weights)
        dataset  the name shown for the data (default "notebook data"); the dataset menu offers it first,
                 then the course datasets (fitted when picked, on as many examples)

        The other arguments are the constructor's.
        """
        source, degree, lambdas = checks.given_logistic(fits, split, degree, dataset)
        return cls(source.dataset, degree, lambdas, "l2" if "l2" in source.models else "l1", panels=panels,
                   render=render, lambd=lambd, resolution=resolution, dpi=dpi, figsize=figsize, scenes=scenes,
                   source=source)

    def _train(self, dataset, split, penalty, progress) -> list:
        """Fit every λ, warm-started along the path from the largest λ down, as logistic.fit_path does."""
        F = data.polynomial_features(split.X_train, self.degree)
        fits, previous = [None] * len(self.lambdas), None
        for i, k in enumerate(np.argsort(-self.lambdas, kind="stable")):
            previous = fits[k] = logistic.fit(F, split.Y_train, float(self.lambdas[k]), penalty, self.penalize_b,
                                              start=previous)
            progress(0.8 * (i + 1) / len(self.lambdas))
        return fits

    def _measure(self, dataset, penalty, split, fits, progress):
        return logistic_sweep(dataset, penalty, self.lambdas, split, fits, self.degree, self.resolution, progress)


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
    render         "auto" or "frames" (every λ drawn once, flipped in the browser), "image" or "ipympl"
    lambd          the λ shown first (snapped to the grid)
    resolution     grid points per side of the probability map
    dpi, figsize   figure resolution and size in inches (default: from the panels and font size)
    unit_activity  "mean_abs" (mean |a| over the examples) or "std" (its spread), for "units"
    scenes         the notebook's own scenes beside the built-in ones: {name: λ or explore.Scene(λ, penalty)},
                   e.g. {"units fade": 3.0} (lecture.py)

    source         where data and models come from (default: made from dataset, m, seed, data_options,
                   dev, test); from_fit passes a sweep.Given with the notebook's split and run

    `NetworkExplorer.from_fit(fit, split)` shows a batched Fit a notebook already trained.
    `state` has the keys of status.Status, whichever panels are shown ("active_units" is None without
    the "units" panel, "linear_fraction" without the "tanh" panel). A λ whose run diverged (a Fit that
    says so in ``fit.diverged`` / ``fit.divergence``) is shown as diverged, never as a result.
    """

    PANELS = {"boundary": BoundaryPanel, "weights": WeightsPanel, "units": UnitsPanel, "tanh": TanhPanel,
              "curve": CurvePanel}
    DEFAULT_PANELS = ("boundary", "weights")

    def __init__(self, dataset: str = "moons", layer_dims: Sequence[int] = (2, 20, 3, 1), activation: str = "relu",
                 lambdas=None, penalty: str = "l2", *, learning_rate: float = 0.5, num_iterations: int = 2000,
                 m: int = 300, seed: int = 0, data_options: dict | None = None, dev: float = 0.2,
                 test: float = 0.2, panels: Sequence[str] | str | None = None, render: str = "auto",
                 lambd: float = 0.0, resolution: int = 100, dpi: float = 100,
                 figsize: tuple[float, float] | None = None, unit_activity: str = "mean_abs",
                 scenes: dict | None = None, source=None):
        self.layer_dims = checks.layer_dims(layer_dims)
        self.unit_activity = v.choice("unit_activity", unit_activity, ("mean_abs", "std"))
        self.activation = v.choice("activation", activation, network.ACTIVATIONS)
        self.learning_rate = v.positive("learning_rate", learning_rate)
        self.num_iterations = v.at_most("num_iterations", v.integer("num_iterations", num_iterations, minimum=1),
                                        checks.MAX_ITERATIONS, "every λ of the grid is trained when the explorer is built")
        if source is None:
            source = checks.generated(dataset, m, seed, data_options, dev, test)
        super().__init__(source=source, dataset=getattr(source, "dataset", dataset), lambdas=lambdas,
                         penalty=penalty, panels=self.DEFAULT_PANELS if panels is None else panels, render=render,
                         lambd=lambd, resolution=resolution, dpi=dpi, figsize=figsize, scenes=scenes)

    @classmethod
    def from_fit(cls, fit, split, *, dataset: str | None = None, seed: int | None = None, init_params=None,
                 panels: Sequence[str] | str | None = None, render: str = "auto", lambd: float = 0.0,
                 resolution: int = 100, dpi: float = 100, figsize: tuple[float, float] | None = None,
                 unit_activity: str = "mean_abs", scenes: dict | None = None) -> NetworkExplorer:
        """An explorer over a batched run a notebook already trained: nothing is trained again.

        fit          the network.Fit of ``network.train(split.X_train, split.Y_train, ..., lambd=array)``:
                     its λ values are the slider's grid, its activation, learning rate and number of
                     iterations are the explorer's; or a dict {"l2": fit, "l1": fit} over the same λ values
        split        the data.Split it was trained on (its dev set gives the dev numbers)
        seed         the seed the run started from (``network.train(..., seed=seed)``), or
        init_params  its starting parameters (``network.train(..., params=init_params)``): with either,
                     the L1/L2 toggle trains the other penalty from the same start, on the same data;
                     with neither, the toggle is disabled
        dataset      the name shown for the data (default "notebook data"); the dataset menu offers it
                     first, then the course datasets (trained when picked, on as many examples, from `seed`)

        The other arguments are the constructor's.
        """
        source, first, lambdas = checks.given_network(fit, split, dataset, seed, init_params)
        return cls(source.dataset, network.layer_dims_of(first.params), first.activation, lambdas,
                   "l2" if "l2" in source.models else "l1", learning_rate=first.learning_rate,
                   num_iterations=first.num_iterations, panels=panels, render=render, lambd=lambd,
                   resolution=resolution, dpi=dpi, figsize=figsize, unit_activity=unit_activity, scenes=scenes,
                   source=source)

    def _train(self, dataset, split, penalty, progress) -> network.Fit:
        """The whole λ grid in one batched run, from the source's start (its seed or parameters)."""
        return network.train(split.X_train, split.Y_train, self.layer_dims, lambd=self.lambdas, penalty=penalty,
                             activation=self.activation, learning_rate=self.learning_rate,
                             num_iterations=self.num_iterations, record_every=max(1, self.num_iterations // 50),
                             callback=lambda done, total: progress(0.8 * done / max(total, 1)),
                             **self.source.start_for(dataset))

    def _measure(self, dataset, penalty, split, fit, progress):
        return network_sweep(dataset, penalty, self.lambdas, split, fit, self.resolution, progress)
