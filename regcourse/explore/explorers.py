"""The two explorers: logistic regression on polynomial features, and an L-layer network."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import _validate as v
from .. import data, logistic, network, plots
from . import _checks as checks
from .panels import (BoundaryPanel, CoefficientsPanel, CurvePanel, PathPanel, TanhPanel, UnitsPanel,
                     WeightsPanel)
from .widget import Explorer, _Given


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
        split = checks.split_arg(split)
        lists = checks.by_penalty("fits", fits, checks.logistic_fits, "a list of LogisticFit", "[...]")
        first = next(iter(lists.values()))
        n_w = first[0].w.shape[0]
        degree = checks.degree_for(n_w) if degree is None else v.integer("degree", degree, minimum=1)
        n_features = data.polynomial_features(np.zeros((2, 1)), degree).shape[0]
        if n_features != n_w:
            raise ValueError(f"degree {degree} gives {n_features} features, but the fits have w of shape ({n_w}, 1)")
        lambdas = checks.lambda_grid([f.lambd for f in first])
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
        explorer._given = _Given(checks.dataset_label(dataset), split, models)
        explorer.penalize_b = first[0].penalize_b
        start = "l2" if "l2" in models else "l1"
        explorer.__init__(explorer._given.dataset, degree, lambdas, start, m=checks.split_size(split), seed=None,
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
        self.layer_dims = checks.layer_dims(layer_dims)
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
        split = checks.split_arg(split)
        fits = checks.by_penalty("fit", fit, checks.network_fit, "a network.Fit (what network.train returns)", "Fit")
        first = next(iter(fits.values()))
        dims = checks.layer_dims(network.layer_dims_of(first.params))
        lambdas = checks.lambda_grid(first.lambd)
        for name, f in fits.items():
            same = (network.layer_dims_of(f.params) == list(dims) and f.activation == first.activation
                    and f.learning_rate == first.learning_rate and f.num_iterations == first.num_iterations)
            if not same or sorted(set(np.asarray(f.lambd).tolist())) != lambdas.tolist():
                raise ValueError("fit's runs must share layer_dims, activation, learning_rate, num_iterations "
                                 f"and λ values; fit[{name!r}] differs")
        for name, f in fits.items():
            checks.check_trained_on(f, split, f"fit[{name!r}]" if isinstance(fit, dict) else "fit")
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
        models = {p: checks.fit_on_grid(f, lambdas) for p, f in fits.items()}
        explorer = cls.__new__(cls)
        explorer._given = _Given(checks.dataset_label(dataset), split, models, missing)
        explorer._init_params = init_params
        start = "l2" if "l2" in models else "l1"
        explorer.__init__(explorer._given.dataset, dims, first.activation, lambdas, start,
                          learning_rate=first.learning_rate, num_iterations=first.num_iterations,
                          m=checks.split_size(split), seed=seed, panels=panels, render=render, lambd=lambd,
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

