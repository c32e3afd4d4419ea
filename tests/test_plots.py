"""regcourse.plots: pure functions that draw on a given axes and return artists to update in place."""

import inspect
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from regcourse import data, network, plots  # noqa: E402
from regcourse.style import CLASS_COLORS, CLASS_MARKERS, INACTIVE_COLOR  # noqa: E402


@pytest.fixture(autouse=True)
def no_pyplot(monkeypatch):
    """Plot functions must neither show anything nor use pyplot's figures."""
    def forbidden(*args, **kwargs):
        raise AssertionError("plt.show() was called")

    monkeypatch.setattr(plt, "show", forbidden)
    before = plt.get_fignums()
    yield
    assert plt.get_fignums() == before


def new_ax(width=4, height=3):
    fig = Figure(figsize=(width, height), dpi=60)
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def pixels(ax):
    ax.figure.canvas.draw()
    return np.asarray(ax.figure.canvas.buffer_rgba()).copy()


@pytest.fixture(scope="module")
def moons():
    return data.load("moons", m=60, seed=0)


# --- λ formatting and axes ---

@pytest.mark.parametrize("value, text", [(0, "0"), (0.001, "0.001"), (0.0016, "0.0016"), (0.01, "0.01"),
                                         (0.1, "0.1"), (1, "1"), (2.5, "2.5"), (100, "100"), (1000, "1000"),
                                         (0.00158489, "0.00158"), (1e-6, "1e-6")])
def test_format_lambda(value, text):
    assert plots.format_lambda(value) == text


@pytest.mark.parametrize("value, kwargs, text", [
    (0.0, {}, "0"), (1.84e-37, {}, "< 1e-6"), (-3e-9, {}, "> -1e-6"), (2.5e-6, {}, "2.5e-6"),
    (0.012345, {}, "0.0123"), (6.64, {}, "6.64"), (123456.0, {}, "1.23e+5"),
    (0.6931, {"decimals": 3}, "0.693"), (0.0004, {"decimals": 3}, "< 0.001"), (5e-4, {"floor": 1e-3}, "< 0.001"),
])
def test_format_value_shows_nothing_below_its_precision(value, kwargs, text):
    assert plots.format_value(value, **kwargs) == text


def test_format_lambda_rejects_what_is_not_a_lambda():
    for bad in (float("nan"), float("inf"), -1.0):
        with pytest.raises(ValueError, match="lambd"):
            plots.format_lambda(bad)


def test_lambda_axis_shows_zero_at_the_left_of_a_log_axis():
    ax = new_ax()
    lambdas = [0, 0.001, 0.01, 0.1, 1, 10, 100]
    ax.plot(lambdas, np.arange(7))
    plots.lambda_axis(ax, lambdas)
    assert ax.get_xscale() == "symlog"
    left, right = ax.get_xlim()
    assert left < 0 < 0.001 < 100 < right
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["0", "0.001", "0.01", "0.1", "1", "10", "100"]
    # the data coordinate of 0 is drawn left of 0.001, which is left of 100
    x0, x1, x2 = ax.transData.transform([(0, 0), (0.001, 0), (100, 0)])[:, 0]
    assert x0 < x1 < x2


# --- decision boundary ---

def test_grid_for_covers_the_data(moons):
    X, _ = moons
    grid = plots.grid_for(X, resolution=30)
    assert grid.xx.shape == grid.yy.shape == (30, 30)
    assert grid.points.shape == (2, 900)
    assert grid.xx.min() < X[0].min() and grid.xx.max() > X[0].max()
    assert grid.yy.min() < X[1].min() and grid.yy.max() > X[1].max()
    with pytest.raises(ValueError, match="X"):
        plots.grid_for(X.T)


def test_boundary_segments_find_the_half_probability_line():
    xx, yy = np.meshgrid(np.linspace(-2, 2, 41), np.linspace(-1, 1, 21))
    P = 1 / (1 + np.exp(-(xx - 0.5) * 3))           # P = 0.5 exactly on the line x = 0.5
    segments = plots.boundary_segments(xx, yy, P)
    assert len(segments) == 1
    assert segments[0].shape[1] == 2
    np.testing.assert_allclose(segments[0][:, 0], 0.5, atol=1e-9)
    assert plots.boundary_segments(xx, yy, np.zeros_like(xx)) == []
    with pytest.raises(ValueError, match="P"):
        plots.boundary_segments(xx, yy, P[:, :-1])


def test_plot_decision_boundary_from_a_function_and_from_a_grid(moons):
    X, Y = moons
    grid = plots.grid_for(X, resolution=25)
    w = np.array([[1.0, -2.0]])

    def proba(points):
        return 1 / (1 + np.exp(-(w @ points)))

    ax = new_ax()
    artists = plots.plot_decision_boundary(ax, X, Y, proba, grid=grid)
    assert artists.image.get_array().shape == (25, 25)
    assert artists.image.norm.vmin == 0 and artists.image.norm.vmax == 1
    assert len(artists.boundary.get_segments()) >= 1
    assert len(artists.points) == 2
    for c, scatter in enumerate(artists.points):
        assert scatter.get_offsets().shape[0] == int((Y == c).sum())
        np.testing.assert_allclose(scatter.get_facecolors()[0], to_rgba(CLASS_COLORS[c]))
    assert [p.get_label() for p in artists.points] == ["y = 0", "y = 1"]
    assert CLASS_MARKERS == ("o", "^")

    ax2 = new_ax()
    P = proba(grid.points).reshape(25, 25)
    artists2 = plots.plot_decision_boundary(ax2, X, Y, P, grid=grid, legend=False)
    np.testing.assert_allclose(artists2.image.get_array(), artists.image.get_array())
    with pytest.raises(ValueError, match="proba"):
        plots.plot_decision_boundary(new_ax(), X, Y, P[:10], grid=grid)


def test_update_decision_boundary_changes_the_same_artists(moons):
    X, Y = moons
    grid = plots.grid_for(X, resolution=25)
    ax = new_ax()
    artists = plots.plot_decision_boundary(ax, X, Y, 1 / (1 + np.exp(-grid.xx)), grid=grid)
    before = pixels(ax)
    children = list(ax.get_children())
    P = 1 / (1 + np.exp(-grid.yy))
    plots.update_decision_boundary(artists, P)                       # contour computed here
    segments = artists.boundary.get_segments()
    np.testing.assert_allclose(segments[0][:, 1], 0.0, atol=1e-3)    # now the line y = 0
    plots.update_decision_boundary(artists, plots.probability_rgba(P), plots.boundary_segments(grid.xx, grid.yy, P))
    assert list(ax.get_children()) == children                       # no artist added or removed
    assert not np.array_equal(before, pixels(ax))
    with pytest.raises(ValueError, match="segments"):
        plots.update_decision_boundary(artists, plots.probability_rgba(P))


def test_small_multiples_in_a_figure_and_in_given_axes(moons):
    X, Y = moons
    grid = plots.grid_for(X, resolution=20)
    probas = [1 / (1 + np.exp(-s * grid.xx)) for s in (5.0, 1.0, 0.1)]
    fig = Figure(figsize=(9, 3))
    out = plots.small_multiples(fig, X, Y, probas, [0, 0.1, 100], grid=grid, train_accuracy=[1.0, 0.95, 0.5],
                                dev_accuracy=[0.8, 0.9, 0.45])
    assert len(out) == 3 and len(fig.axes) == 3
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("λ = 0\n") and titles[1].startswith("λ = 0.1\n") and titles[2].startswith("λ = 100")
    assert "train 100%" in titles[0] and "dev 80%" in titles[0]

    axes = Figure().subplots(1, 2)
    plots.small_multiples(axes, X, Y, probas[:2], [0, 1], grid=grid)
    assert axes[1].get_title() == "λ = 1"
    with pytest.raises(ValueError, match="probas"):
        plots.small_multiples(Figure(), X, Y, probas, [0, 1], grid=grid)
    with pytest.raises(ValueError, match="fig_or_axes"):
        plots.small_multiples(axes, X, Y, probas, [0, 1, 2], grid=grid)


# --- weights ---

def test_weight_histogram_counts_exact_zeros_apart():
    weights = [np.array([[0.0, 0.5], [-0.5, 0.0]]), np.array([[0.0, 2.0, -3.0]])]
    edges = np.linspace(-1, 1, 5)
    counts = plots.weight_histogram_counts(weights, edges)
    assert counts.n_zero == 3 and counts.n_total == 7
    assert counts.counts.sum() + counts.n_zero == counts.n_total        # out-of-range values kept in end bins
    per_layer = plots.weight_histogram_counts(weights, edges, per_layer=True)
    assert per_layer.counts.shape == (2, 4)
    np.testing.assert_array_equal(per_layer.counts.sum(axis=0), counts.counts[0])


def test_plot_weight_histogram_and_update():
    rng = np.random.default_rng(0)
    params = {"W1": rng.standard_normal((4, 2)), "b1": np.zeros((4, 1)), "W2": rng.standard_normal((1, 4)),
              "b2": np.zeros((1, 1))}
    ax = new_ax()
    artists = plots.plot_weight_histogram(ax, params, bins=10)
    assert artists.zero_bar.get_height() == 0
    assert artists.text.get_text() == "weights: 0 of 12 exactly 0"
    before = pixels(ax)
    sparse = {k: np.where(np.abs(v) < 0.8, 0.0, v) for k, v in params.items()}
    counts = plots.weight_histogram_counts(sparse, artists.edges)
    plots.update_weight_histogram(artists, counts)
    top = ax.get_ylim()[1]                              # 1.15 x the tallest bar of the first weights (3)
    assert counts.n_zero == 9 > top                     # the zero bar is cut at the top and labelled
    assert artists.zero_bar.get_height() == top and artists.overflow.get_text() == "↑9"
    assert artists.overflow.get_position() == (0.0, top)
    assert artists.text.get_text() == f"weights: {counts.n_zero} of 12 exactly 0"
    assert not np.array_equal(before, pixels(ax))


def test_weight_histogram_of_all_zero_weights_is_one_visible_zero_bar():
    ax = new_ax()
    artists = plots.plot_weight_histogram(ax, [np.zeros((3, 3)), np.zeros((1, 3))])
    assert artists.zero_bar.get_height() == 12
    assert artists.text.get_text() == "weights: 12 of 12 exactly 0"
    assert ax.get_ylim()[1] > 12
    pixels(ax)


def test_weight_histogram_per_layer_stacks_and_cuts_at_the_top():
    ax = new_ax()
    artists = plots.plot_weight_histogram(ax, [np.ones((2, 2)), -np.ones((1, 2))], per_layer=True, bins=4, ymax=10)
    assert len(artists.bars) == 2
    same_sign = plots.weight_histogram_counts([np.ones((2, 2)), np.ones((1, 2))], artists.edges, per_layer=True)
    plots.update_weight_histogram(artists, same_sign)
    top = artists.bars[1].get_data()
    assert top.values.max() == 6 and top.baseline.max() == 4 and artists.overflow.get_text() == ""
    ax.set_ylim(0, 5)                                   # the second layer's bar now runs past the top: cut there
    plots.update_weight_histogram(artists, same_sign)
    top = artists.bars[1].get_data()
    assert top.values.max() == 5 and top.baseline.max() == 4 and artists.overflow.get_text() == "↑6"
    with pytest.raises(ValueError, match="counts"):
        plots.update_weight_histogram(artists, plots.weight_histogram_counts(np.ones((2, 2)), artists.edges))


def test_layer_norms_bars_and_update():
    ax = new_ax()
    artists = plots.plot_layer_norms(ax, [3.0, 2.0, 1.0])
    assert [r.get_height() for r in artists.bars.patches] == [3.0, 2.0, 1.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["W[1]", "W[2]", "W[3]"]
    plots.update_layer_norms(artists, [0.0, 0.5, 1e-9])
    assert [r.get_height() for r in artists.bars.patches] == [0.0, 0.5, 1e-9]
    assert artists.labels[0].get_text() == "≈ 0"
    plots.plot_layer_norms(new_ax(), [0.0, 0.0])                        # all zero: still drawable


def test_coefficients_mark_exact_zeros():
    ax = new_ax()
    w = np.array([1.0, 0.0, -20.0, 0.0, 0.3])
    artists = plots.plot_coefficients(ax, w, group_sizes=[2, 3])
    np.testing.assert_array_equal(artists.zeros.get_xdata(), [1, 3])
    assert "2 of 5 exactly 0" in artists.text.get_text()
    plots.update_coefficients(artists, np.zeros(5))
    assert len(artists.zeros.get_xdata()) == 5
    with pytest.raises(ValueError, match="group_sizes"):
        plots.plot_coefficients(new_ax(), w, group_sizes=[2, 2])
    pixels(ax)


# --- curves against λ ---

def test_curves_vs_lambda_marks_current_and_best():
    ax = new_ax()
    lambdas = np.array([0, 0.001, 0.01, 0.1, 1, 10, 100])
    train = np.array([0, 1, 2, 3, 8, 20, 40.0])
    dev = np.array([15, 14, 10, 8, 9, 22, 45.0])
    artists = plots.plot_curves_vs_lambda(ax, lambdas, train, dev, current=0)
    assert artists.best_index == 3
    assert list(artists.best.get_xdata()) == [0.1]
    assert "λ = 0.1" in artists.best.get_label()
    assert list(artists.current.get_xdata()) == [0, 0]
    before = pixels(ax)
    plots.update_curves_vs_lambda(artists, 10, train[5], dev[5])
    assert list(artists.current.get_xdata()) == [10, 10]
    assert list(artists.current_points.get_ydata()) == [20, 22]
    assert not np.array_equal(before, pixels(ax))
    assert ax.get_xscale() == "symlog" and ax.get_xlim()[0] < 0
    accuracy = plots.plot_curves_vs_lambda(new_ax(), lambdas, 100 - train, 100 - dev, best="max")
    assert accuracy.best_index == 3
    with pytest.raises(ValueError, match="dev"):
        plots.plot_curves_vs_lambda(new_ax(), lambdas, train, dev[:3])
    with pytest.raises(ValueError, match="lambd"):
        plots.plot_curves_vs_lambda(new_ax(), -lambdas, train, dev)


def test_regularization_path_with_lambda_zero():
    ax = new_ax()
    lambdas = np.array([0, 0.01, 1, 100])
    coefs = np.array([[5.0, -3.0], [4.0, -2.0], [1.0, 0.0], [0.0, 0.0]])
    artists = plots.plot_regularization_path(ax, lambdas, coefs, labels=["$w_1$", "$w_2$"])
    assert len(artists.lines) == 2
    np.testing.assert_array_equal(artists.lines[0].get_xdata(), lambdas)
    plots.update_regularization_path(artists, 1.0)
    assert list(artists.current.get_xdata()) == [1.0, 1.0]
    with pytest.raises(ValueError, match="coefs"):
        plots.plot_regularization_path(new_ax(), lambdas, coefs[:2])
    pixels(ax)


def test_plot_history_from_a_batched_fit():
    X, Y = data.load("moons", m=40, seed=1)
    lambdas = np.array([0.0, 1.0, 10.0])
    fit = network.train(X, Y, [2, 4, 1], lambd=lambdas, num_iterations=30, record_every=10)
    ax = new_ax()
    artists = plots.plot_history(ax, fit)
    assert len(artists.lines) == 3
    assert [line.get_label() for line in artists.lines] == ["λ = 0", "λ = 1", "λ = 10"]
    F = fit.history["frobenius"]
    np.testing.assert_allclose(artists.lines[2].get_ydata(), np.sqrt((F[:, 2] ** 2).sum(axis=-1)))
    layer = plots.plot_history(new_ax(), fit.history, lambdas=lambdas, layer=2)
    np.testing.assert_allclose(layer.lines[0].get_ydata(), F[:, 0, 1])
    cost = plots.plot_history(new_ax(), fit, quantity="cost", max_lines=2)
    assert len(cost.lines) == 2
    with pytest.raises(ValueError, match="quantity"):
        plots.plot_history(new_ax(), fit, quantity="accuracy")
    with pytest.raises(ValueError, match="layer"):
        plots.plot_history(new_ax(), fit, layer=5)
    pixels(ax)


# --- inside the network ---

def test_plot_network_shades_units_by_activity():
    dims = (2, 4, 3, 1)
    ax = new_ax()
    activity = [None, np.array([1.0, 0.5, 0.0, 0.0]), np.array([0.0, 1.0, 1.0]), None]
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((4, 2)), rng.standard_normal((3, 4)), rng.standard_normal((1, 3))]
    artists = plots.plot_network(ax, dims, activity, weights)
    colors = artists.units.get_facecolors()
    assert len(colors) == sum(dims)
    np.testing.assert_allclose(colors[4], to_rgba(INACTIVE_COLOR), atol=1e-6)     # activity 0: pale grey
    assert np.mean(colors[2][:3]) < np.mean(colors[4][:3])                       # activity 1: darker
    assert len(artists.edges.get_segments()) == 8 + 12 + 3
    before = pixels(ax)
    plots.update_network(artists, [None, np.zeros(4), np.zeros(3), None], [0 * W for W in weights],
                         weight_scale=[1.0, 1.0, 1.0])
    np.testing.assert_allclose(artists.units.get_facecolors()[2], to_rgba(INACTIVE_COLOR), atol=1e-6)
    assert not np.array_equal(before, pixels(ax))
    with pytest.raises(ValueError, match="activity"):
        plots.update_network(artists, [None, np.zeros(3), np.zeros(3), None])
    with pytest.raises(ValueError, match="weights"):
        plots.update_network(artists, weights=weights[:2])


def test_tanh_band_with_and_without_pre_activations():
    ax = new_ax()
    plain = plots.plot_tanh_band(ax)
    assert plain.bars is None and plain.hist_ax is None
    np.testing.assert_allclose(plain.curve.get_ydata(), np.tanh(plain.curve.get_xdata()))
    assert plain.curve.get_xdata().min() == -4 and plain.curve.get_xdata().max() == 4

    z = np.array([-3.0, -0.2, 0.0, 0.1, 0.4, 2.0, 9.0, -0.6])
    assert plots.linear_fraction(z, band=0.5) == pytest.approx(4 / 8)
    assert plots.linear_fraction([z[:4], z[4:]], band=0.5) == pytest.approx(4 / 8)
    ax2 = new_ax()
    artists = plots.plot_tanh_band(ax2, z, band=0.5, bins=8)
    heights = plots.tanh_histogram(z, artists.edges)
    assert heights.sum() == pytest.approx(1.0)                              # 9.0 counted in the last bin
    assert artists.text.get_text() == "50% of z in the band"
    before = pixels(ax2)
    plots.update_tanh_band(artists, plots.tanh_histogram(np.zeros(5), artists.edges), 1.0)
    assert artists.text.get_text() == "100% of z in the band"
    top = artists.hist_ax.get_ylim()[1]                                     # every z in one bin: cut, labelled
    assert artists.bars.get_data().values.max() == top < 1
    assert artists.overflow.get_text() == "↑100%" and artists.overflow.get_position() == (0.5, top)
    assert not np.array_equal(before, pixels(ax2))
    with pytest.raises(ValueError, match="band"):
        plots.plot_tanh_band(new_ax(), band=0)


# --- bad input: every public function names the argument it rejects ---

def _good_arguments(name):
    """Valid arguments for the public function `name` of plots (fresh axes and artists)."""
    X, Y = data.load("moons", m=30, seed=0)
    grid = plots.grid_for(X, resolution=12)
    P = 1 / (1 + np.exp(-grid.xx))
    weights = [np.ones((3, 2)), np.ones((1, 3))]
    edges = np.linspace(-1, 1, 5)
    lambdas = np.array([0.0, 0.1, 1.0])
    z = np.linspace(-2, 2, 9)
    return {
        "format_lambda": lambda: dict(lambd=0.1, digits=3),
        "format_value": lambda: dict(x=0.5, digits=3, decimals=2, floor=1e-6),
        "lambda_axis": lambda: dict(ax=new_ax(), lambdas=lambdas, axis="x", label="λ"),
        "grid_for": lambda: dict(X=X, resolution=10, margin=0.1),
        "boundary_segments": lambda: dict(xx=grid.xx, yy=grid.yy, P=P, level=0.5),
        "plot_decision_boundary": lambda: dict(ax=new_ax(), X=X, Y=Y, proba=P, grid=grid, resolution=12, legend=True,
                                       point_size=10.0, aspect="auto"),
        "probability_rgba": lambda: dict(P=P),
        "update_decision_boundary": lambda: dict(artists=plots.plot_decision_boundary(new_ax(), X, Y, P, grid=grid), P=P,
                                         segments=None),
        "small_multiples": lambda: dict(fig_or_axes=Figure(), X=X, Y=Y, probas=[P, P], lambdas=[0.0, 1.0], grid=grid,
                                train_accuracy=[0.9, 0.8], dev_accuracy=[0.7, 0.8], resolution=12),
        "weight_list": lambda: dict(weights=weights),
        "weight_histogram_counts": lambda: dict(weights=weights, edges=edges, per_layer=False),
        "plot_weight_histogram": lambda: dict(ax=new_ax(), weights=weights, bins=4, limit=1.0, per_layer=False, ymax=10.0,
                                      xlabel="w"),
        "update_weight_histogram": lambda: dict(artists=plots.plot_weight_histogram(new_ax(), weights, bins=edges),
                                        counts=plots.weight_histogram_counts(weights, edges)),
        "plot_coefficients": lambda: dict(ax=new_ax(), w=np.arange(5.0), ylim=10.0, group_sizes=[2, 3], linthresh=1.0),
        "update_coefficients": lambda: dict(artists=plots.plot_coefficients(new_ax(), np.arange(5.0)), w=np.ones(5)),
        "plot_layer_norms": lambda: dict(ax=new_ax(), norms=[1.0, 2.0], ymax=3.0),
        "update_layer_norms": lambda: dict(artists=plots.plot_layer_norms(new_ax(), [1.0, 2.0]), norms=[0.5, 1.0]),
        "plot_curves_vs_lambda": lambda: dict(ax=new_ax(), lambdas=lambdas, train=[1.0, 2.0, 3.0], dev=[3.0, 2.0, 4.0],
                                      current=0.1, best="min", ylabel="error", labels=("train", "dev"),
                                      legend_loc="upper left", valid=np.array([True, True, True])),
        "update_curves_vs_lambda": lambda: dict(artists=plots.plot_curves_vs_lambda(new_ax(), lambdas, [1, 2, 3], [3, 2, 4]),
                                        lambd=1.0, train_value=3.0, dev_value=4.0),
        "plot_regularization_path": lambda: dict(ax=new_ax(), lambdas=lambdas, coefs=np.ones((3, 2)), labels=["a", "b"],
                                         current=0.1, ylabel="w"),
        "update_regularization_path": lambda: dict(artists=plots.plot_regularization_path(new_ax(), lambdas, np.ones((3, 2))),
                                           lambd=1.0),
        "plot_history": lambda: dict(ax=new_ax(), history=network.train(X, Y, [2, 3, 1], lambd=lambdas,
                                                                        num_iterations=4, record_every=2), quantity="frobenius", lambdas=lambdas, layer=1, max_lines=3,
                             logy=False),
        "plot_network": lambda: dict(ax=new_ax(), layer_dims=(2, 3, 1), activity=[None, np.ones(3), None],
                             weights=weights, weight_scale=[1.0, 1.0], unit_size=20.0),
        "update_network": lambda: dict(artists=plots.plot_network(new_ax(), (2, 3, 1)), activity=[None, np.ones(3), None],
                               weights=weights, weight_scale=[1.0, 1.0]),
        "linear_fraction": lambda: dict(z_values=z, band=0.5),
        "tanh_histogram": lambda: dict(z_values=z, edges=edges),
        "plot_tanh_band": lambda: dict(ax=new_ax(), z_values=z, band=0.5, zlim=4.0, bins=8, hist_max=0.5),
        "update_tanh_band": lambda: dict(artists=plots.plot_tanh_band(new_ax(), z, bins=8), heights=np.full(8, 0.1),
                                 fraction=0.5),
    }[name]()


NAN, INF = float("nan"), float("inf")
SHARED_BAD = {"ax": [None, "ax", Figure()], "artists": [None, "artists", (1, 2)]}
BAD = {
    "format_lambda": {"lambd": [NAN, INF, -1, "0.1", None, [0.1], 1j], "digits": [0, 2.5, "3"]},
    "format_value": {"x": [NAN, INF, "1", None, [1.0], 1j], "digits": [0, 1.5], "decimals": [-1, 1.5],
                     "floor": [-1, NAN]},
    "lambda_axis": {"lambdas": [[-1, 1], [NAN], "0.1", [], None], "axis": ["z", None], "label": [3, None]},
    "grid_for": {"X": [None, "X", np.ones((3, 5)), np.full((2, 3), NAN), np.ones((2, 0))],
                 "resolution": [1, 1001, 2.5, None], "margin": [-0.1, NAN, "0.1"]},
    "boundary_segments": {"xx": [None, np.ones((3, 3)), "xx"], "yy": [np.ones((3, 3)), None],
                          "P": [np.ones((3, 3)), None, np.full((12, 12), NAN)], "level": [NAN, "0.5", None]},
    "plot_decision_boundary": {"X": [np.ones((3, 30)), None], "Y": [np.full((1, 30), 2.0), np.ones((1, 5)), None],
                               "proba": ["f", np.ones((3, 3)), lambda pts: np.ones(3), None, np.full((12, 12), NAN)],
                               "grid": [(1, 2), "grid"], "resolution": [1, 1001], "point_size": [-1, NAN],
                               "legend": ["yes", None], "aspect": ["wide", -1]},
    "probability_rgba": {"P": ["P", None, [[NAN]], [[1.5]], [[-0.1]]]},
    "update_decision_boundary": {"P": [np.ones((3, 3)), None, np.full((12, 12), NAN), "P"],
                                 "segments": ["s", [np.ones(3)], 5]},
    "small_multiples": {"fig_or_axes": [None, "fig"], "X": [np.ones((3, 30))], "probas": [[np.ones((12, 12))], "P"],
                        "lambdas": [[-1, 1], "ab", None], "train_accuracy": [[0.9], [1.5, 0.5], "x"],
                        "dev_accuracy": [[NAN, 0.5], [0.1]], "resolution": [0, 1001]},
    "weight_list": {"weights": [None, {}, [np.array([NAN])], "W", [], {"b1": np.ones(2)}, [np.ones((2, 2)), "W"]]},
    "weight_histogram_counts": {"weights": [None, "W"], "edges": [[1.0], [2.0, 1.0], [NAN, 1.0], None, "e"],
                                "per_layer": ["yes", None]},
    "plot_weight_histogram": {"weights": [None, [np.array([[NAN]])]], "bins": [0, [1.0], "b", [2.0, 1.0]],
                              "limit": [-1, NAN], "ymax": [0, NAN], "per_layer": [1, "yes"], "xlabel": [None, 3]},
    "update_weight_histogram": {"counts": [None, "c", (np.ones((2, 4)), 0, 6)]},
    "plot_coefficients": {"w": [None, [NAN], "w", np.ones((2, 2))], "ylim": [-1, NAN], "group_sizes": [[2, 2], "ab"],
                          "linthresh": [0, NAN]},
    "update_coefficients": {"w": [np.ones(3), [NAN] * 5, None, "w"]},
    "plot_layer_norms": {"norms": [[-1.0], [NAN], None], "ymax": [0, NAN]},
    "update_layer_norms": {"norms": [[1.0], [-1.0, 1.0], [NAN, 1.0], None]},
    "plot_curves_vs_lambda": {"lambdas": [[-1, 0, 1], None], "train": [[1.0], [NAN, 1, 2], None],
                              "dev": [[1.0, 2.0], "dev"], "current": [-1, NAN], "best": ["median", 99, 1.5],
                              "valid": [[1, 0, 1], np.array([True])], "labels": ["ab", ("a",)],
                              "legend_loc": ["nowhere", 3], "ylabel": [None, 3]},
    "update_curves_vs_lambda": {"lambd": [-1, NAN, None], "train_value": [NAN, "x"], "dev_value": [INF]},
    "plot_regularization_path": {"lambdas": [[NAN, 0, 1]], "coefs": [np.ones((2, 2)), None, np.full((3, 2), NAN)],
                                 "labels": [["a"], "ab"], "current": [-1], "ylabel": [3]},
    "update_regularization_path": {"lambd": [NAN, -1, None, "1"]},
    "plot_history": {"history": [None, {}, "h"], "quantity": ["accuracy", None], "layer": [0, 5, 1.5],
                     "max_lines": [0, 2.5], "lambdas": [[0.0, 1.0], [-1, 0, 1]], "logy": ["yes", None]},
    "plot_network": {"layer_dims": [[2], "2,3", None, (2, 0, 1)], "activity": [[None, np.ones(2), None], "a"],
                     "weights": [[np.ones((3, 2))], [np.ones((2, 2)), np.ones((1, 3))]],
                     "weight_scale": [[-1.0, 1.0], [1.0]], "unit_size": [-1, NAN]},
    "update_network": {"activity": [[None, np.ones(2), None], [None, [NAN] * 3, None], 5],
                       "weights": [[np.ones((3, 2))], [np.ones((2, 2)), np.ones((1, 3))], "W"],
                       "weight_scale": [[1.0], [0.0, -1.0]]},
    "linear_fraction": {"z_values": [None, "z", [NAN], []], "band": [0, -1, NAN]},
    "tanh_histogram": {"z_values": [None, [NAN], "z"], "edges": [[1.0], [2.0, 1.0], None]},
    "plot_tanh_band": {"z_values": [[NAN], "z"], "band": [0, NAN], "zlim": [-1, 0], "bins": [0, 1.5, 10_001],
                       "hist_max": [0, NAN]},
    "update_tanh_band": {"heights": [np.ones(3), [NAN] * 8, None], "fraction": [2, -0.1, NAN, None]},
}


def bad_input_cases():
    """(function, argument, bad value) for every public function of plots."""
    cases = []
    for name, arguments in BAD.items():
        shared = {arg: values for arg, values in SHARED_BAD.items() if arg in _GOOD_KEYS.get(name, ())}
        for arg, values in {**shared, **arguments}.items():
            cases += [(name, arg, i, value) for i, value in enumerate(values)]
    return cases


_GOOD_KEYS = {name: set(inspect.signature(getattr(plots, name)).parameters) for name in BAD if hasattr(plots, name)}


def test_the_bad_input_table_covers_every_public_function():
    public = {name for name in plots.__all__ if inspect.isfunction(getattr(plots, name))}
    assert public == set(BAD)
    for name in BAD:
        assert set(_good_arguments(name)) == _GOOD_KEYS[name], name


@pytest.mark.parametrize("name, arg, i, value", bad_input_cases(), ids=lambda x: x if isinstance(x, str) else "")
def test_bad_input_is_rejected_naming_the_argument(name, arg, i, value):
    arguments = _good_arguments(name)
    arguments[arg] = value
    with pytest.raises((TypeError, ValueError), match=rf"(?<![\w.]){re.escape(arg)}(?![\w])"):
        getattr(plots, name)(**arguments)
