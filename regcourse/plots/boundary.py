"""The decision boundary: P(y = 1) on a grid, its 0.5 contour and the labelled points; small multiples."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import contourpy
import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from .. import _validate as v
from ..style import CLASS_COLORS, CLASS_MARKERS
from . import _checks as checks
from .axes import format_lambda, opaque_legend


def _tint(color, amount):
    """`color` mixed with white: amount 0 gives white, 1 the colour itself."""
    rgb = np.array(to_rgba(color)[:3])
    return tuple(1 - amount * (1 - rgb))


# P(y = 1): pale blue (class 0) through white (undecided) to pale vermillion (class 1).
PROBABILITY_CMAP = LinearSegmentedColormap.from_list(
    "regcourse_probability", [_tint(CLASS_COLORS[0], 0.55), (1, 1, 1), _tint(CLASS_COLORS[1], 0.55)])


class Grid(NamedTuple):
    """A square grid over the data: xx, yy are (r, r); points is (2, r*r), examples as columns."""

    xx: np.ndarray
    yy: np.ndarray
    points: np.ndarray


def grid_for(X, resolution: int = 120, margin: float = 0.15) -> Grid:
    """A resolution × resolution grid covering X (2, m) plus `margin` × its range on each side."""
    X = v.examples_as_columns(X, n_x=2)
    resolution = checks.resolution(resolution)
    margin = v.scalar("margin", margin, minimum=0.0)
    low, high = X.min(axis=1), X.max(axis=1)
    pad = margin * np.maximum(high - low, 1e-9)
    x = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    y = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    xx, yy = np.meshgrid(x, y)
    return Grid(xx, yy, np.vstack([xx.ravel(), yy.ravel()]))


def boundary_segments(xx, yy, P, level: float = 0.5) -> list[np.ndarray]:
    """The contour P = `level` (the decision boundary at 0.5) as a list of (n, 2) arrays of (x, y) points."""
    xx = v.as_matrix("xx", xx)
    yy = v.as_matrix("yy", yy)
    if yy.shape != xx.shape:
        raise ValueError(f"yy must have the shape of xx {xx.shape} (both from np.meshgrid), got {yy.shape}")
    P = v.as_matrix("P", P)                    # any field: probabilities, or logits with level 0
    if P.shape != xx.shape:
        raise ValueError(f"P must have the grid's shape {xx.shape}, got {P.shape}")
    level = v.scalar("level", level)
    generator = contourpy.contour_generator(xx, yy, P, line_type=contourpy.LineType.Separate)
    return [np.asarray(line) for line in generator.lines(level)]


class DecisionBoundaryArtists(NamedTuple):
    image: AxesImage               # P(y = 1) on the grid
    boundary: LineCollection       # the P = 0.5 contour
    points: tuple[PathCollection, ...]  # one scatter per class (y = 0, y = 1)


def plot_decision_boundary(ax: Axes, X, Y, proba, *, grid: Grid | None = None, resolution: int = 120,
                           legend: bool = True, point_size: float | None = None,
                           aspect: str = "auto") -> DecisionBoundaryArtists:
    """Probability map P(y = 1 | x), the decision boundary P = 0.5, and the labelled points.

    `proba` is either a function mapping points (2, n) to probabilities (1, n) — e.g.
    ``fit.predict_proba`` — or an array of P already computed on `grid` (shape (r, r)).
    Class 0 is drawn as blue circles, class 1 as vermillion triangles.
    """
    checks.axes(ax)
    if Y is None:
        raise TypeError("Y must be the labels (1, m) of the points X, got None")
    X, Y = v.examples_as_columns(X, Y, n_x=2)
    resolution = checks.resolution(resolution)
    if grid is not None and not isinstance(grid, Grid):
        raise TypeError(f"grid must be a Grid (what grid_for returns), got {v.described(grid)}")
    grid = grid_for(X, resolution) if grid is None else grid
    P = _evaluate(proba, grid)
    legend = checks.flag("legend", legend)
    aspect = checks.aspect(aspect)
    point_size = checks.optional_positive("point_size", point_size)
    extent = (grid.xx[0, 0], grid.xx[0, -1], grid.yy[0, 0], grid.yy[-1, 0])
    image = ax.imshow(P, origin="lower", extent=extent, cmap=PROBABILITY_CMAP, vmin=0.0, vmax=1.0,
                      interpolation="bilinear", aspect=aspect, zorder=0)
    boundary = LineCollection(boundary_segments(grid.xx, grid.yy, P), colors="black",   # the map is light in any theme
                              linewidths=1.4 * mpl.rcParams["lines.linewidth"], zorder=2, label="P = 0.5")
    ax.add_collection(boundary, autolim=False)
    size = point_size if point_size is not None else 1.6 * mpl.rcParams["lines.markersize"] ** 2
    points = tuple(
        ax.scatter(X[0, Y[0] == c], X[1, Y[0] == c], s=size, c=CLASS_COLORS[c], marker=CLASS_MARKERS[c],
                   edgecolors="white", linewidths=0.6, zorder=3, label=f"y = {c}")
        for c in (0, 1))
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if legend:
        # Light like the map it sits on, in any theme: the black P = 0.5 line stays visible in it.
        opaque_legend(ax, handles=[*points, boundary], loc="lower left", handlelength=1.2, borderpad=0.3,
                      labelspacing=0.2, facecolor="white", labelcolor="#111111")
    return DecisionBoundaryArtists(image, boundary, points)


def probability_rgba(P) -> np.ndarray:
    """P(y = 1) in the colours of PROBABILITY_CMAP, as (..., 4) uint8: ready for image.set_data."""
    if isinstance(P, (str, bytes)) or P is None:
        raise TypeError(f"P must be an array of probabilities, got {v.described(P)}")
    P = v.as_matrix("P", P, ndim=max(np.ndim(P), 1))
    if (P < 0).any() or (P > 1).any():
        raise ValueError(f"P must hold probabilities in [0, 1], got values from {P.min():g} to {P.max():g}")
    return PROBABILITY_CMAP(P, bytes=True)


def update_decision_boundary(artists: DecisionBoundaryArtists, P, segments=None) -> None:
    """Show another probability map (and its 0.5 contour) in the same artists, in place.

    `P` is the (r, r) grid of probabilities, or its colours from probability_rgba (faster to draw).
    `segments` is the 0.5 contour from boundary_segments; it is computed when not given.
    """
    checks.artists(artists, DecisionBoundaryArtists, "plot_decision_boundary")
    shape = artists.image.get_array().shape[:2]
    rgba = isinstance(P, np.ndarray) and P.dtype == np.uint8 and P.shape == (*shape, 4)
    if not rgba:
        P = checks.probabilities("P", P)
        if P.shape != shape:
            raise ValueError(f"P must have the grid's shape {shape} (or be its probability_rgba), got {P.shape}")
    if segments is None:
        if rgba:
            raise ValueError("segments must be given when P is an RGBA image")
        xmin, xmax, ymin, ymax = artists.image.get_extent()
        xx, yy = np.meshgrid(np.linspace(xmin, xmax, shape[1]), np.linspace(ymin, ymax, shape[0]))
        segments = boundary_segments(xx, yy, P)
    elif not isinstance(segments, (list, tuple)) or any(np.ndim(s) != 2 or np.shape(s)[1] != 2 for s in segments):
        raise TypeError(f"segments must be a list of (n, 2) arrays of (x, y) points (boundary_segments' result), "
                        f"got {v.described(segments)}")
    artists.image.set_data(P)
    artists.boundary.set_segments(segments)


def _evaluate(proba, grid: Grid) -> np.ndarray:
    if callable(proba):
        P = checks.named("proba(points)", lambda p: v.as_matrix("P", p, ndim=np.ndim(p)), proba(grid.points))
        if P.size != grid.xx.size:
            raise ValueError(f"proba must return one probability per grid point ({grid.xx.size}), "
                             f"got shape {P.shape}")
        return _grid_values("proba", P.reshape(grid.xx.shape), grid.xx)
    return _grid_values("proba", proba, grid.xx)


def _grid_values(name, P, xx) -> np.ndarray:
    P = checks.probabilities(name, P)
    if P.shape != np.shape(xx):
        raise ValueError(f"{name} must have the grid's shape {np.shape(xx)}, got {P.shape}")
    return P


def small_multiples(fig_or_axes, X, Y, probas: Sequence, lambdas: Sequence[float], *,
                    grid: Grid | None = None, train_accuracy: Sequence[float] | None = None,
                    dev_accuracy: Sequence[float] | None = None,
                    resolution: int = 100) -> list[DecisionBoundaryArtists]:
    """One row of decision boundaries, one per λ, titled "λ = 0", "λ = 0.1", ... with accuracies.

    `fig_or_axes` is a Figure (a 1 × n row of axes is added to it) or a sequence of n axes.
    `probas[i]` is a probability function or a P grid for `lambdas[i]` (see plot_decision_boundary).
    The static picture that stands next to each explorer, for readers without a live kernel.
    """
    lambdas = checks.lambdas(lambdas)
    n = len(lambdas)
    if isinstance(probas, (str, bytes)) or not isinstance(probas, Sequence):
        raise TypeError(f"probas must be a list of probability functions or P grids, one per λ, "
                        f"got {v.described(probas)}")
    if len(probas) != n:
        raise ValueError(f"probas must hold one entry per λ ({n}), got {len(probas)}")
    scores = [(label, checks.numbers_1d(name, values, n, 0.0, 1.0)) for label, name, values
              in (("train", "train_accuracy", train_accuracy), ("dev", "dev_accuracy", dev_accuracy))
              if values is not None]
    resolution = checks.resolution(resolution)
    if isinstance(fig_or_axes, Figure):
        X = v.examples_as_columns(X, n_x=2)                    # before any axes are added
        axes = np.atleast_1d(fig_or_axes.subplots(1, n, sharex=True, sharey=True))
    elif isinstance(fig_or_axes, (list, tuple, np.ndarray)):
        axes = list(np.ravel(fig_or_axes))
        if len(axes) != n:
            raise ValueError(f"fig_or_axes must hold one axes per λ ({n}), got {len(axes)}")
    else:
        raise TypeError(f"fig_or_axes must be a matplotlib Figure or a sequence of axes, got "
                        f"{v.described(fig_or_axes)}")
    grid = grid_for(X, resolution) if grid is None else grid
    out = []
    for i, (ax, proba, lambd) in enumerate(zip(axes, probas, lambdas)):
        out.append(plot_decision_boundary(ax, X, Y, proba, grid=grid, legend=(i == 0)))
        title = f"λ = {format_lambda(lambd)}"
        scored = [f"{label} {100 * values[i]:.0f}%" for label, values in scores]
        ax.set_title(title + ("\n" + " · ".join(scored) if scored else ""), loc="center")
        if i > 0:
            ax.set_ylabel("")
    return out
