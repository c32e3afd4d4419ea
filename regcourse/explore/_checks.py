"""Argument checks of the explorers' constructors and from_fit / from_fits."""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import numpy as np

from .. import _validate as v
from .. import data, logistic, network
from .sweep import default_lambdas


def lambda_grid(lambdas) -> np.ndarray:
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


def dataset_options(dataset) -> set[str]:
    return set(inspect.signature(data.DATASETS[dataset]).parameters) - {"m", "seed"}


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


def split_size(split: data.Split) -> int:
    return split.X_train.shape[1] + split.X_dev.shape[1] + split.X_test.shape[1]


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


def fit_on_grid(fit: network.Fit, lambdas: np.ndarray) -> network.Fit:
    """`fit` with its runs in the order of the explorer's grid (sorted, each λ once)."""
    values = np.asarray(fit.lambd, dtype=float)
    idx = np.array([int(np.flatnonzero(values == lam)[0]) for lam in lambdas])
    if np.array_equal(idx, np.arange(len(values))):
        return fit
    history = {key: (value if key == "iteration" else value[:, idx]) for key, value in fit.history.items()}
    return network.Fit({key: value[idx] for key, value in fit.params.items()}, values[idx], fit.penalty,
                       fit.activation, fit.learning_rate, fit.num_iterations, history)


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
    return dims



def figsize(figsize):
    if figsize is None:
        return None
    if isinstance(figsize, (str, bytes)) or np.ndim(figsize) != 1 or len(figsize) != 2:
        raise TypeError(f"figsize must be (width, height) in inches, got {figsize!r}")
    return tuple(v.positive(f"figsize[{i}]", x) for i, x in enumerate(figsize))

