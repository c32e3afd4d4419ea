"""Inside the network: the diagram with units shaded by activity, tanh and its near-linear band."""

from __future__ import annotations

from typing import NamedTuple

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, StepPatch
from matplotlib.text import Text

from .. import _validate as v
from ..style import BAND_COLOR, INACTIVE_COLOR, OKABE_ITO
from . import _checks as checks
from .axes import opaque_legend
from .weights import mark_overflow, overflow_text, weight_list


# Unit activity: light grey (≈ 0, a unit that has faded) to strong blue (fully active).
ACTIVITY_CMAP = LinearSegmentedColormap.from_list(
    "regcourse_activity", [INACTIVE_COLOR, OKABE_ITO["sky blue"], OKABE_ITO["blue"]])


class NetworkArtists(NamedTuple):
    units: PathCollection   # all units, layer by layer
    edges: LineCollection   # all weights, layer by layer (W[1] first, row-major within a layer)
    layer_dims: tuple[int, ...]


def plot_network(ax: Axes, layer_dims, activity=None, weights=None, *, weight_scale=None,
                 unit_size: float | None = None) -> NetworkArtists:
    """A network diagram: units as circles shaded by activity, weights as lines.

    `activity` is one array per layer (n[l],) with values in [0, 1] — e.g. mean |A[l]| divided by a
    reference — or None for a layer drawn in neutral grey; ≈ 0 is drawn pale grey (a faded unit).
    `weights` (W[1], ..., W[L]) set each edge's opacity and width ∝ |W_ij| / weight_scale[l]
    (default: the largest |W| of the layer).
    """
    checks.axes(ax)
    if isinstance(layer_dims, (str, bytes)) or not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise TypeError(f"layer_dims must be a list of at least two layer sizes like (2, 20, 3, 1), "
                        f"got {v.described(layer_dims)}")
    dims = tuple(v.integer(f"layer_dims[{i}]", n, minimum=1) for i, n in enumerate(layer_dims))
    unit_size = checks.optional_positive("unit_size", unit_size)
    xy = _unit_positions(dims)
    starts, ends = [], []
    offsets = np.cumsum((0,) + dims)
    for l in range(1, len(dims)):
        prev, cur = xy[offsets[l - 1]:offsets[l]], xy[offsets[l]:offsets[l + 1]]
        starts.append(np.repeat(prev[None], len(cur), axis=0).reshape(-1, 2))
        ends.append(np.repeat(cur, len(prev), axis=0))
    segments = np.stack([np.concatenate(starts), np.concatenate(ends)], axis=1)
    edges = LineCollection(segments, colors=mpl.rcParams["text.color"], linewidths=0.6, alpha=None, zorder=1)
    ax.add_collection(edges)
    height_in = ax.get_position().height * ax.figure.get_figheight()
    size = unit_size if unit_size is not None else min(
        (0.55 * 72 * height_in / max(max(dims), 2)) ** 2, 2.5 * mpl.rcParams["lines.markersize"] ** 2 * 4)
    units = ax.scatter(xy[:, 0], xy[:, 1], s=size, c=[INACTIVE_COLOR] * len(xy), edgecolors="#555555",
                       linewidths=0.8, zorder=3)
    ax.set_xlim(-0.4, len(dims) - 0.6)
    ax.set_ylim(-0.6, max(dims) - 0.4)
    ax.set_xticks(range(len(dims)), ["x"] + [f"A[{l}]" for l in range(1, len(dims))])
    ax.set_yticks([])
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", length=0)
    artists = NetworkArtists(units, edges, dims)
    update_network(artists, activity, weights, weight_scale=weight_scale)
    return artists


def update_network(artists: NetworkArtists, activity=None, weights=None, *, weight_scale=None) -> None:
    """Re-shade the units (activity) and re-weight the edges (weights) of a plot_network diagram."""
    checks.artists(artists, NetworkArtists, "plot_network")
    dims = artists.layer_dims
    if activity is not None:
        if not isinstance(activity, (list, tuple)):
            raise TypeError(f"activity must be a list with one entry per layer (an array or None), "
                            f"got {v.described(activity)}")
        if len(activity) != len(dims):
            raise ValueError(f"activity must hold one entry per layer ({len(dims)}), got {len(activity)}")
        colors = []
        for l, (n, a) in enumerate(zip(dims, activity)):
            if a is None:
                colors.append(np.tile(to_rgba("#BBBBBB"), (n, 1)))
            else:
                a = checks.numbers_1d(f"activity[{l}]", np.ravel(a) if np.ndim(a) else a, n, 0.0, 1.0)
                colors.append(ACTIVITY_CMAP(a))
        artists.units.set_facecolors(np.concatenate(colors))
    if weights is not None:
        mats = weight_list(weights)
        if len(mats) != len(dims) - 1:
            raise ValueError(f"weights must hold one matrix per layer ({len(dims) - 1}), got {len(mats)}")
        for l, W in enumerate(mats, start=1):
            if W.shape != (dims[l], dims[l - 1]):
                raise ValueError(f"weights[{l - 1}] must be W[{l}] of shape (n[{l}], n[{l - 1}]) = "
                                 f"{(dims[l], dims[l - 1])}, got {W.shape}")
        scales = ([float(np.abs(W).max()) for W in mats] if weight_scale is None
                  else checks.numbers_1d("weight_scale", weight_scale, len(mats)))
        if weight_scale is not None and (scales <= 0).any():
            raise ValueError(f"weight_scale must be > 0 for every layer, got {scales.tolist()}")
        strength = np.concatenate([np.abs(W).ravel() / max(s, 1e-12) for W, s in zip(mats, scales)])
        strength = np.clip(strength, 0.0, 1.0)
        rgba = np.tile(to_rgba(mpl.rcParams["text.color"]), (strength.size, 1))
        rgba[:, 3] = 0.05 + 0.75 * strength
        artists.edges.set_color(rgba)
        artists.edges.set_linewidths(0.3 + 2.0 * strength)


def _unit_positions(dims) -> np.ndarray:
    """(x, y) of every unit: layer l at x = l, units centred vertically."""
    top = max(dims) - 1
    return np.array([(l, top / 2 + (n - 1) / 2 - j) for l, n in enumerate(dims) for j in range(n)], dtype=float)


class TanhArtists(NamedTuple):
    curve: Line2D
    identity: Line2D
    band: Rectangle
    bars: StepPatch | None      # histogram of z (on hist_ax), None without z
    hist_ax: Axes | None
    text: Text
    edges: np.ndarray
    overflow: Text | None       # "↑93%" on a bar cut at the top of hist_ax (None without z)


def linear_fraction(z_values, band: float = 0.5) -> float:
    """Fraction of the pre-activations z with |z| <= band, where tanh(z) ≈ z."""
    z = checks.z_values(z_values)
    return float(np.mean(np.abs(z) <= v.positive("band", band)))


def tanh_histogram(z_values, edges) -> np.ndarray:
    """Fraction of the pre-activations z per bin of `edges` (z beyond the range goes to the end bins)."""
    z = checks.z_values(z_values)
    edges = checks.edges("edges", edges)
    counts = np.histogram(np.clip(z, edges[0], edges[-1]), edges)[0]
    return counts / z.size


def plot_tanh_band(ax: Axes, z_values=None, *, band: float = 0.5, zlim: float = 4.0, bins: int = 40,
                   hist_max: float | None = None) -> TanhArtists:
    """tanh on (-zlim, zlim) with its near-linear band |z| <= band shaded, where tanh(z) ≈ z.

    With `z_values` (an array or a list of arrays, e.g. each hidden layer's Z[l]) the histogram of
    the pre-activations is drawn behind the curve on a second y axis (fraction of z per bin), and the
    fraction inside the band is written on the plot.
    """
    checks.axes(ax)
    band = v.positive("band", band)
    zlim = v.positive("zlim", zlim)
    hist_max = checks.optional_positive("hist_max", hist_max)
    z = np.linspace(-zlim, zlim, 401)
    edges = np.linspace(-zlim, zlim, checks.integer("bins", bins, 1, checks.MAX_BINS) + 1)
    bars, hist_ax, overflow = None, None, None
    if z_values is not None:
        hist_ax = ax.twinx()
        heights = tanh_histogram(z_values, edges)
        bars = hist_ax.stairs(heights, edges, fill=True, color=OKABE_ITO["sky blue"], alpha=0.55)
        overflow = overflow_text(hist_ax)
        hist_ax.set_ylim(0, hist_max if hist_max is not None else 1.1 * max(heights.max(), 1e-12))
        hist_ax.set_ylabel("fraction of z per bin", color=OKABE_ITO["blue"])
        hist_ax.spines["right"].set_visible(True)
        ax.set_zorder(hist_ax.get_zorder() + 1)   # curve above the bars
        ax.patch.set_visible(False)
    band_patch = ax.axvspan(-band, band, color=BAND_COLOR, alpha=0.18, linewidth=0,
                            label=f"linear band |z| ≤ {band:g}")
    identity, = ax.plot(z, z, "--", color=mpl.rcParams["text.color"], linewidth=1.0, alpha=0.6, label="z")
    curve, = ax.plot(z, np.tanh(z), color=OKABE_ITO["vermillion"], label="tanh(z)")
    ax.set_xlim(-zlim, zlim)
    ax.set_ylim(-1.25, 1.25)
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("g(z)")
    text = ax.text(0.03, 0.96, "", transform=ax.transAxes, ha="left", va="top",
                   bbox=dict(facecolor=mpl.rcParams["axes.facecolor"], edgecolor="none", alpha=0.85, pad=2))
    artists = TanhArtists(curve, identity, band_patch, bars, hist_ax, text, edges, overflow)
    if z_values is not None:
        update_tanh_band(artists, heights, linear_fraction(z_values, band))
    opaque_legend(ax, loc="lower right")
    return artists


def update_tanh_band(artists: TanhArtists, heights, fraction: float) -> None:
    """New z histogram heights (tanh_histogram with the same edges) and fraction in the band.

    A bar taller than the histogram's axis is cut at its top and labelled with its height.
    """
    checks.artists(artists, TanhArtists, "plot_tanh_band")
    fraction = v.scalar("fraction", fraction, minimum=0.0, maximum=1.0)
    if artists.bars is not None:
        heights = v.as_matrix("heights", heights, ndim=1, cols=len(artists.edges) - 1)
        top = artists.hist_ax.get_ylim()[1]
        artists.bars.set_data(np.minimum(heights, top))
        centers = (artists.edges[:-1] + artists.edges[1:]) / 2
        mark_overflow(artists.overflow, centers, heights, top, lambda h: f"{100 * h:.0f}%")
    artists.text.set_text(_linear_text(fraction))


def _linear_text(fraction):
    return f"{100 * fraction:.0f}% of z in the band"
