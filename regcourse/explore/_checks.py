"""Argument checks of the explorers' constructors and from_fit / from_fits."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from .. import _validate as v
from .. import data, logistic, network
from .sweep import Generated, Given, dataset_options, default_lambdas


MAX_LAMBDAS = 100        # λ values in a grid: each is a trained model and a precomputed picture
MAX_M = 5000             # examples: an explorer trains every λ of its grid on them when it is built
MAX_RESOLUTION = 400     # grid points per side of the probability maps (K maps of resolution² numbers)
MAX_DPI = 300
MAX_FIGSIZE = 30.0       # inches per side
MAX_HIDDEN = 100         # units per hidden layer
MAX_DEGREE = 12          # polynomial degree: 90 features
MAX_ITERATIONS = 50_000  # gradient steps per network at build time


def lambda_grid(lambdas) -> np.ndarray:
    """The explorer's grid: `lambdas` checked by _validate.lambd_grid, sorted, each value once."""
    if lambdas is None:
        return default_lambdas()
    if isinstance(lambdas, (str, bytes)) or np.ndim(lambdas) != 1:
        raise TypeError(f"lambdas must be a 1-D sequence of λ values >= 0, got {lambdas!r}")
    grid = np.unique(v.lambd_grid(lambdas, "lambdas"))
    v.at_most("the number of lambdas", len(grid), MAX_LAMBDAS, "each is a trained model and a precomputed picture")
    return grid


def generated(dataset, m, seed, options, dev, test) -> Generated:
    """The explorer's own data source, its arguments checked."""
    v.choice("dataset", dataset, data.DATASETS)
    m = v.at_most("m", v.integer("m", m, minimum=10), MAX_M, "an explorer trains every λ of its grid on them")
    seed = v.integer("seed", seed)
    dev = v.scalar("dev", dev, minimum=0.0, strict=True, maximum=1.0)
    test = v.scalar("test", test, minimum=0.0, maximum=1.0)
    if dev + test >= 1.0:
        raise ValueError(f"dev + test must be < 1 to leave a training set, got {dev + test:g}")
    return Generated(m, seed, data_options(options, dataset), dev, test)


def picture(resolution, dpi, figsize) -> tuple[int, float, tuple[float, float] | None]:
    """resolution, dpi and figsize, checked with their limits."""
    resolution = v.at_most("resolution", v.integer("resolution", resolution, minimum=10), MAX_RESOLUTION,
                           "grid points per side of every λ's probability map")
    dpi = v.at_most("dpi", v.positive("dpi", dpi), MAX_DPI, "pixels per inch of the figure")
    if figsize is not None:
        if isinstance(figsize, (str, bytes)) or np.ndim(figsize) != 1 or len(figsize) != 2:
            raise TypeError(f"figsize must be (width, height) in inches, got {figsize!r}")
        figsize = tuple(v.at_most(f"figsize[{i}]", v.positive(f"figsize[{i}]", x), MAX_FIGSIZE, "inches")
                        for i, x in enumerate(figsize))
    return resolution, dpi, figsize


def data_options(options, dataset) -> dict:
    """data.load's keyword arguments, checked against the first dataset's generator."""
    if options is None:
        return {}
    if not isinstance(options, dict) or not all(isinstance(key, str) for key in options):
        raise TypeError(f"data_options must be a dict of data.load keyword arguments like {{'flip': 0.15}}, "
                        f"got {options!r}")
    unknown = set(options) - dataset_options(dataset)
    if unknown:
        raise ValueError(f"data_options has {sorted(unknown)}, which data.load({dataset!r}) does not take; it takes "
                         f"{sorted(dataset_options(dataset))}")
    if {"m", "seed"} & set(options):
        raise ValueError("data_options must not hold m or seed: they are the explorer's own arguments")
    return dict(options)


def course_beside(split: data.Split, seed) -> Generated:
    """The course datasets offered beside a notebook's split: its m, dev and test fractions, and seed (0 if none)."""
    sizes = [X.shape[1] for X in (split.X_train, split.X_dev, split.X_test)]
    m = min(sum(sizes), MAX_M)
    return Generated(m, 0 if seed is None else seed, {}, sizes[1] / sum(sizes), sizes[2] / sum(sizes))


def dataset_label(dataset) -> str:
    if dataset is None:
        return "notebook data"
    if not isinstance(dataset, str) or not dataset.strip():
        raise TypeError(f"dataset must be the name of the notebook's data (a string) or None, got {dataset!r}")
    return dataset


def split_arg(split) -> data.Split:
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


def by_penalty(name, value, check_one, what, placeholder) -> dict:
    """{penalty: checked run} from one run or a dict {"l2": run, "l1": run} (the from_fit(s) argument)."""
    if not isinstance(value, dict):
        checked = check_one(name, value)
        return {penalty_of(checked): checked}
    if not value:
        raise ValueError(f"{name} must not be an empty dict: give {{'l2': {placeholder}}} and/or "
                         f"{{'l1': {placeholder}}}")
    if not set(value) <= set(network.PENALTIES):
        raise TypeError(f"{name} must be {what} or a dict {{'l2': {placeholder}, 'l1': {placeholder}}}, "
                        f"got a dict with keys {sorted(map(str, value))}")
    return {p: check_one(f"{name}[{p!r}]", run, p) for p, run in value.items()}


def penalty_of(run) -> str:
    return run[0].penalty if isinstance(run, list) else run.penalty


def logistic_fits(name, fits, penalty=None) -> list:
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


def degree_for(n_features: int) -> int:
    """The polynomial degree d with (d + 1)(d + 2)/2 - 1 = n_features features."""
    for degree in range(1, 64):
        count = (degree + 1) * (degree + 2) // 2 - 1
        if count == n_features:
            return degree
        if count > n_features:
            break
    raise ValueError(f"the fits have {n_features} weights, which is not the number of polynomial features of any "
                     f"degree (2, 5, 9, 14, 20, 27, ...): were they fitted on data.polynomial_features?")


def network_fit(name, fit, penalty=None) -> network.Fit:
    if not isinstance(fit, network.Fit):
        raise TypeError(f"{name} must be a network.Fit (what network.train returns), got {type(fit).__name__}")
    if not fit.batched:
        raise ValueError(f"{name} must be a batched Fit, trained with network.train(..., lambd=array of λ values); "
                         f"got a single run with lambd = {fit.lambd:g}")
    if penalty is not None and fit.penalty != penalty:
        raise ValueError(f"{name} must be a run with penalty {penalty!r}, got {fit.penalty!r}")
    return fit


def check_trained_on(fit: network.Fit, split: data.Split, name: str) -> None:
    """The run's last recorded training loss must be its loss on split's training set, else the split
    is not the data it was trained on (another seed, another m, ...). Diverged runs are not compared."""
    recorded = np.asarray(fit.history.get("data_loss", []), dtype=float)
    iterations = np.asarray(fit.history.get("iteration", []))
    if recorded.ndim != 2 or recorded.shape != (len(iterations), len(fit)) or len(iterations) == 0 \
            or iterations[-1] != fit.num_iterations:
        return                                   # no final record to compare with
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        loss = np.atleast_1d(fit.cost(split.X_train, split.Y_train).data_loss)
    compared = ~diverged_runs(fit) & np.isfinite(recorded[-1]) & np.isfinite(loss)
    gap = np.where(compared, np.abs(loss - recorded[-1]), 0.0)
    # loose on purpose: another split changes the loss in the 2nd digit; rounding moves the 7th
    bad = ~(gap <= 1e-9 + 1e-4 * np.abs(np.where(compared, recorded[-1], 0.0)))
    if np.any(bad):
        k = int(np.argmax(bad))
        raise ValueError(f"{name} was not trained on split.X_train / split.Y_train: its final training loss at "
                         f"λ = {float(np.asarray(fit.lambd)[k]):g} was {recorded[-1][k]:.6f}, on this split it is "
                         f"{loss[k]:.6f}; pass the split the run was trained on")


def diverged_runs(fit) -> np.ndarray:
    """(K,) bool: the runs a network Fit reports as diverged (all False for a Fit that does not say)."""
    diverged = getattr(fit, "diverged", None)
    return np.zeros(len(fit), dtype=bool) if diverged is None else np.asarray(diverged, dtype=bool).reshape(len(fit))


def fit_on_grid(fit: network.Fit, lambdas: np.ndarray) -> network.Fit:
    """`fit` with its runs in the order of the explorer's grid (sorted, each λ once), what it says about
    divergence (``diverged``, ``divergence``) reordered with them."""
    values = np.asarray(fit.lambd, dtype=float)
    idx = np.array([int(np.flatnonzero(values == lam)[0]) for lam in lambdas])
    if np.array_equal(idx, np.arange(len(values))):
        return fit
    history = {key: (value if key == "iteration" else value[:, idx]) for key, value in fit.history.items()}
    per_run = {name: getattr(fit, name) for name in ("diverged", "divergence") if getattr(fit, name, None) is not None}
    fields = {f.name for f in dataclasses.fields(fit)}
    reordered = {name: type(value)(np.asarray(value, dtype=object)[idx]) if isinstance(value, tuple)
                 else np.asarray(value)[idx] for name, value in per_run.items()}
    out = dataclasses.replace(fit, params={key: value[idx] for key, value in fit.params.items()}, lambd=values[idx],
                              history=history, **{n: x for n, x in reordered.items() if n in fields})
    for name in reordered.keys() - fields:        # attributes set on the Fit rather than fields of it
        setattr(out, name, reordered[name])
    return out


def panel_names(panels, available) -> tuple[str, ...]:
    if isinstance(panels, str):
        panels = (panels,)
    if not isinstance(panels, (list, tuple)) or not panels:
        raise TypeError(f"panels must be a non-empty tuple of names from {list(available)}, got {panels!r}")
    for name in panels:
        v.choice("panels", name, available)
    if len(set(panels)) != len(panels):
        raise ValueError(f"panels must not repeat a name, got {list(panels)}")
    return tuple(panels)


def layer_dims(layer_dims) -> tuple[int, ...]:
    if isinstance(layer_dims, (str, bytes)) or not isinstance(layer_dims, Sequence):
        raise TypeError(f"layer_dims must be a sequence of layer sizes like (2, 20, 3, 1), got {layer_dims!r}")
    dims = tuple(v.integer(f"layer_dims[{i}]", n, minimum=1) for i, n in enumerate(layer_dims))
    if len(dims) < 3 or dims[0] != 2 or dims[-1] != 1:
        raise ValueError(f"layer_dims must start with 2 (the inputs x1, x2), end with 1 (the output) and have "
                         f"at least one hidden layer, got {dims}")
    v.at_most("the widest hidden layer in layer_dims", max(dims[1:-1]), MAX_HIDDEN, "units")
    return dims


def given_logistic(fits, split, degree, dataset) -> tuple[Given, int, np.ndarray]:
    """from_fits' arguments checked: the notebook's source, the polynomial degree and the λ grid."""
    split = split_arg(split)
    lists = by_penalty("fits", fits, logistic_fits, "a list of LogisticFit", "[...]")
    first = next(iter(lists.values()))
    n_w = first[0].w.shape[0]
    degree = degree_for(n_w) if degree is None else v.integer("degree", degree, minimum=1)
    n_features = data.polynomial_features(np.zeros((2, 1)), degree).shape[0]
    if n_features != n_w:
        raise ValueError(f"degree {degree} gives {n_features} features, but the fits have w of shape ({n_w}, 1)")
    lambdas = lambda_grid([f.lambd for f in first])
    models = {}
    for p, fl in lists.items():
        if any(f.w.shape[0] != n_w for f in fl) or any(f.penalize_b != first[0].penalize_b for f in fl):
            raise ValueError("fits must all have the same number of weights and the same penalize_b")
        by_lambda = {}
        for f in fl:
            by_lambda.setdefault(f.lambd, f)
        if sorted(by_lambda) != lambdas.tolist():
            raise ValueError(f"fits for every penalty must cover the same λ values, got "
                             f"{sorted(by_lambda)} and {lambdas.tolist()}")
        models[p] = [by_lambda[lam] for lam in lambdas.tolist()]
    return Given(dataset_label(dataset), split, models, course=course_beside(split, None)), degree, lambdas


def given_network(fit, split, dataset, seed, init_params) -> tuple[Given, network.Fit, np.ndarray]:
    """from_fit's arguments checked: the notebook's source, its first run (the settings) and the λ grid."""
    split = split_arg(split)
    fits = by_penalty("fit", fit, network_fit, "a network.Fit (what network.train returns)", "Fit")
    first = next(iter(fits.values()))
    dims = layer_dims(network.layer_dims_of(first.params))
    lambdas = lambda_grid(first.lambd)
    for name, f in fits.items():
        same = (network.layer_dims_of(f.params) == list(dims) and f.activation == first.activation
                and f.learning_rate == first.learning_rate and f.num_iterations == first.num_iterations)
        if not same or sorted(set(np.asarray(f.lambd).tolist())) != lambdas.tolist():
            raise ValueError("fit's runs must share layer_dims, activation, learning_rate, num_iterations "
                             f"and λ values; fit[{name!r}] differs")
    for name, f in fits.items():
        check_trained_on(f, split, f"fit[{name!r}]" if isinstance(fit, dict) else "fit")
    if seed is not None and init_params is not None:
        raise TypeError("from_fit takes seed or init_params (where the run started), not both")
    start = None
    if seed is not None:
        start = {"seed": v.integer("seed", seed)}
    if init_params is not None:
        try:
            init_params = v.network_params(init_params)
        except (TypeError, ValueError) as error:
            raise type(error)(f"init_params: {error}") from None
        if init_params["W1"].ndim != 2 or network.layer_dims_of(init_params) != list(dims):
            raise ValueError(f"init_params must be one network's starting parameters for layer_dims {dims}, "
                             f"got layer_dims {network.layer_dims_of(init_params)}")
        start = {"params": {key: value.copy() for key, value in init_params.items()}}
    cannot = ("" if start is not None else "built from_fit without seed= or init_params=: the other penalty cannot "
              "be trained from the same start")
    models = {p: fit_on_grid(f, lambdas) for p, f in fits.items()}
    return (Given(dataset_label(dataset), split, models, start, cannot, course_beside(split, seed)), first,
            lambdas)
