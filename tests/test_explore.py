"""The λ explorers, driven without a browser through set_lambda / state, in both render modes."""

import io
import logging
import sys

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from regcourse import data, explore, logistic, network  # noqa: E402

STATE_KEYS = {"lambd", "penalty_kind", "dataset", "train_accuracy", "dev_accuracy", "data_loss", "penalty",
              "sum_frobenius_sq", "best_lambd"}
LAMBDAS = [0.0, 0.01, 0.1, 1.0, 10.0, 100.0]
NET = dict(layer_dims=(2, 8, 4, 1), lambdas=LAMBDAS, m=120, num_iterations=200, learning_rate=0.5, seed=3)
LOG = dict(degree=4, lambdas=LAMBDAS, m=120, seed=3, resolution=40, max_iter=500)


def network_explorer(render="image", dataset="moons", **kwargs):
    options = {**NET, "resolution": 40, **kwargs}
    return explore.NetworkExplorer(dataset, render=render, **options)


_BUILT = {}


def built(kind, render):
    """One explorer of each kind and render mode for the whole module (building is the slow part)."""
    if (kind, render) not in _BUILT:
        if kind == "net":
            _BUILT[kind, render] = network_explorer(
                render=render, panels=("boundary", "weights", "units", "tanh", "curve"), activation="tanh")
        else:
            _BUILT[kind, render] = explore.LogisticExplorer(
                "two regions", render=render, panels=("boundary", "coefficients", "weights", "path", "curve"), **LOG)
    return _BUILT[kind, render]


RENDERS = ["image", "ipympl"]


@pytest.fixture(params=RENDERS)
def net(request):
    return built("net", request.param)


@pytest.fixture(params=RENDERS)
def log(request):
    return built("log", request.param)


@pytest.fixture(params=[(kind, render) for kind in ("net", "log") for render in RENDERS],
                ids=lambda p: "-".join(p))
def explorer(request):
    return built(*request.param)


def shown_pixels(explorer):
    """What the browser gets: the PNG in the Image widget, or the ipympl canvas's Agg buffer."""
    if explorer.render == "image":
        return np.asarray(Image.open(io.BytesIO(explorer._view.value)))
    return np.asarray(explorer.figure.canvas.buffer_rgba())[..., :3].copy()


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


# --- the λ grid ---

def test_default_lambdas_are_zero_and_a_log_grid_from_0001_to_100():
    grid = explore.default_lambdas()
    assert grid[0] == 0 and grid[1] == 0.001 and grid[-1] == 100
    assert len(grid) == 27
    ratios = grid[2:] / grid[1:-1]
    assert np.all((ratios > 1.4) & (ratios < 1.8))            # 5 per decade: ~1.585 each, rounded
    assert 0.01 in grid and 0.1 in grid and 1 in grid and 10 in grid


@pytest.mark.parametrize("value, snapped", [(0, 0), (1e-9, 0), (0.004, 0), (0.0051, 0.01), (0.011, 0.01),
                                            (0.031, 0.01), (0.032, 0.1), (5, 10), (1e6, 100)])
def test_snap_lambda_is_nearest_in_log_space(value, snapped):
    assert explore.snap_lambda(LAMBDAS, value) == snapped


def test_snap_lambda_rejects_negative_values():
    with pytest.raises(ValueError, match="lambd"):
        explore.snap_lambda(LAMBDAS, -1)


# --- programmatic handle ---

def test_set_lambda_moves_the_slider_and_returns_the_lambda_used(explorer):
    assert explorer.set_lambda(0.09) == 0.1
    assert explorer._slider.value == 0.1
    assert explorer.state["lambd"] == 0.1 == explorer.lambd
    assert explorer.set_lambda(0) == 0.0
    assert explorer.state["lambd"] == 0.0


def test_slider_is_a_selection_slider_over_the_grid_with_zero_at_the_left(explorer):
    slider = explorer._slider
    assert isinstance(slider, widgets.SelectionSlider)
    assert slider.continuous_update is True
    labels = [label for label, _ in slider.options] if isinstance(slider.options[0], tuple) else slider._options_labels
    assert list(labels) == ["0", "0.01", "0.1", "1", "10", "100"]
    assert explorer.lambdas[0] == 0


def test_state_has_the_status_line_numbers(net, log):
    for explorer in (net, log):
        explorer.set_lambda(0.1)
        state = explorer.state
        assert STATE_KEYS <= set(state)
        assert state["penalty_kind"] == "l2" and isinstance(state["dataset"], str)
        for key in STATE_KEYS - {"penalty_kind", "dataset"}:
            assert isinstance(state[key], float), key
    assert "n_zero_weights" in log.state
    assert {"active_units", "linear_fraction"} <= set(net.state)


def test_status_line_shows_the_state(explorer):
    explorer.set_lambda(10)
    html = explorer._status.value
    state = explorer.state
    assert "λ = 10" in html
    assert f"train {100 * state['train_accuracy']:.1f}%" in html
    assert f"dev {100 * state['dev_accuracy']:.1f}%" in html
    assert f"data loss {state['data_loss']:.3f}" in html


def test_numbers_change_with_lambda_and_both_ends_work(explorer):
    norms = []
    for lam in LAMBDAS:
        explorer.set_lambda(lam)
        s = explorer.state
        assert s["lambd"] == lam
        assert np.isfinite([s["data_loss"], s["penalty"], s["sum_frobenius_sq"]]).all()
        assert 0 <= s["train_accuracy"] <= 1 and 0 <= s["dev_accuracy"] <= 1
        norms.append(s["sum_frobenius_sq"])
        if lam == 0:
            assert s["penalty"] == 0
    assert all(a > b for a, b in zip(norms, norms[1:])), norms   # larger λ, smaller Σ‖W‖²


def test_network_numbers_match_an_independent_training_run():
    explorer = network_explorer(panels=("boundary",))
    X, Y = data.load("moons", m=NET["m"], seed=NET["seed"])
    split = data.train_dev_test_split(X, Y, seed=NET["seed"])
    for lam in (0.0, 1.0):
        fit = network.train(split.X_train, split.Y_train, NET["layer_dims"], lambd=lam,
                            num_iterations=NET["num_iterations"], learning_rate=NET["learning_rate"], seed=NET["seed"])
        explorer.set_lambda(lam)
        s = explorer.state
        cost = fit.cost(split.X_train, split.Y_train)
        assert s["train_accuracy"] == pytest.approx(fit.accuracy(split.X_train, split.Y_train))
        assert s["dev_accuracy"] == pytest.approx(fit.accuracy(split.X_dev, split.Y_dev))
        assert s["data_loss"] == pytest.approx(cost.data_loss, rel=1e-9)
        assert s["penalty"] == pytest.approx(cost.penalty, rel=1e-9, abs=1e-15)
        assert s["sum_frobenius_sq"] == pytest.approx(fit.sum_frobenius_sq(), rel=1e-9)


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_logistic_numbers_match_fit_path(log, penalty):
    log.set_penalty(penalty)
    X, Y = data.load("two regions", m=LOG["m"], seed=LOG["seed"])
    split = data.train_dev_test_split(X, Y, seed=LOG["seed"])
    F, F_dev = (data.polynomial_features(x, LOG["degree"]) for x in (split.X_train, split.X_dev))
    options = {"max_iter": log.max_iter} if penalty == "l1" else {}
    fits = logistic.fit_path(F, split.Y_train, LAMBDAS, penalty=penalty, **options)
    for lam, fit in zip(LAMBDAS, fits):
        log.set_lambda(lam)
        s = log.state
        assert s["penalty_kind"] == penalty
        assert s["train_accuracy"] == pytest.approx(fit.accuracy(F, split.Y_train))
        assert s["dev_accuracy"] == pytest.approx(fit.accuracy(F_dev, split.Y_dev))
        assert s["data_loss"] == pytest.approx(fit.cost(F, split.Y_train).data_loss, rel=1e-9)
        assert s["penalty"] == pytest.approx(fit.cost(F, split.Y_train).penalty, rel=1e-9, abs=1e-15)
        assert s["n_zero_weights"] == np.sum(fit.w == 0)
    if penalty == "l1":
        log.set_lambda(100)
        assert log.state["n_zero_weights"] > 0                  # L1 gives exact zeros
    log.set_penalty("l2")


def test_units_fade_and_tanh_goes_linear_as_lambda_grows(net):
    net.set_lambda(0)
    low = net.state
    net.set_lambda(100)
    high = net.state
    n_hidden = sum(NET["layer_dims"][1:-1])
    assert 0 <= high["active_units"] < low["active_units"] <= n_hidden
    assert low["linear_fraction"] < high["linear_fraction"] <= 1
    assert f"active hidden units: {high['active_units']:.0f} of {n_hidden}" in net._panels[2].title.get_text()


def test_unit_activity_can_measure_the_spread():
    explorer = network_explorer(panels=("units",), unit_activity="std")
    explorer.set_lambda(100)
    assert explorer.state["active_units"] == 0
    with pytest.raises(ValueError, match="unit_activity"):
        network_explorer(panels=("units",), unit_activity="max")


def test_figsize_sets_the_picture_size():
    explorer = network_explorer(panels=("boundary",), figsize=(3, 2), dpi=50)
    assert explorer.figure.canvas.get_width_height() == (150, 100)
    assert shown_pixels(explorer).shape == (100, 150, 3)
    with pytest.raises(TypeError, match="figsize"):
        network_explorer(figsize=3)
    with pytest.raises(ValueError, match="figsize"):
        network_explorer(figsize=(3, 0))


def test_best_lambda_is_the_dev_optimum(explorer):
    s = explorer.sweep
    assert explorer.state["best_lambd"] == s.lambdas[s.best]
    assert s.dev_accuracy[s.best] == s.dev_accuracy.max()


# --- drawing ---

def test_figure_pixels_change_with_lambda(explorer):
    explorer.set_lambda(0)
    before = shown_pixels(explorer)
    explorer.set_lambda(100)
    after = shown_pixels(explorer)
    assert before.shape == after.shape
    assert (before != after).any(axis=-1).mean() > 0.01


def test_artists_are_updated_in_place(explorer):
    explorer.set_lambda(0.01)
    axes = list(explorer.figure.axes)
    children = [list(ax.get_children()) for ax in axes]
    panels = list(explorer._panels)
    boundary = explorer._panels[0].artists
    explorer.set_lambda(10)
    assert list(explorer.figure.axes) == axes
    assert [list(ax.get_children()) for ax in axes] == children
    assert explorer._panels == panels and explorer._panels[0].artists is boundary
    k = list(explorer.lambdas).index(10)
    np.testing.assert_array_equal(boundary.image.get_array(), explorer.sweep.panel_data["boundary"][k])


def test_fast_redraw_matches_a_full_draw(explorer):
    explorer.set_lambda(1)
    fast = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
    full = explorer.to_array()
    differ = (fast != full).any(axis=-1)
    assert differ.mean() < 0.005            # at most the 1-pixel rims around legends
    if explorer.render == "image":
        np.testing.assert_array_equal(shown_pixels(explorer), fast[..., :3])


def test_a_slider_move_does_no_training_and_no_contouring(explorer, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("heavy work in a slider callback")

    for module, name in ((network, "train"), (logistic, "fit"), (explore.plots, "boundary_segments")):
        monkeypatch.setattr(module, name, forbidden)
    for lam in LAMBDAS[::-1]:
        explorer.set_lambda(lam)
    assert explorer._error.value == ""


def test_ipympl_canvas_is_set_up_and_sends_frames():
    for explorer in (built("net", "ipympl"), built("log", "ipympl")):
        canvas = explorer.figure.canvas
        assert isinstance(canvas, widgets.DOMWidget) and canvas in explorer.widget.children
        assert canvas.header_visible is False and canvas.footer_visible is False
        assert canvas.toolbar_visible is False and canvas.resizable is False
        # the first picture a browser view loads must be a real data URL (ipympl 0.10 omits the prefix)
        assert canvas._data_url.startswith("data:image/png;base64,")
        sent = []
        canvas.send_binary = sent.append
        explorer.set_lambda(0)
        explorer.set_lambda(1)
        assert sent and all(frame.startswith(b"\x89PNG") for frame in sent)
        del canvas.send_binary


def test_image_mode_uses_a_fixed_size_image_widget():
    for explorer in (built("net", "image"), built("log", "image")):
        view = explorer._view
        assert isinstance(view, widgets.Image) and view.format == "png"
        w, h = explorer.figure.canvas.get_width_height()
        assert (view.layout.width, view.layout.height) == (f"{w}px", f"{h}px")
        assert shown_pixels(explorer).shape == (h, w, 3)


def test_render_auto_picks_ipympl_and_falls_back_to_image(monkeypatch):
    assert explore._render_mode("auto") == "ipympl"
    monkeypatch.setitem(sys.modules, "ipympl.backend_nbagg", None)      # as if ipympl were not installed
    assert explore._render_mode("auto") == "image"
    assert explore._render_mode("ipympl") == "ipympl"


# --- widgets ---

def test_css_classes_name_every_part(explorer):
    classes = {c for w in walk(explorer.widget) for c in getattr(w, "_dom_classes", ())}
    for name in ("explorer", "lambda", "penalty", "dataset", "status", "figure", "progress", "error"):
        assert f"regcourse-{name}" in classes, name
    assert "regcourse-explorer" in explorer.widget._dom_classes


def test_penalty_and_dataset_switches_are_cached(monkeypatch):
    explorer = network_explorer(panels=("boundary", "weights"))
    calls = []
    compute = explorer._compute
    monkeypatch.setattr(explorer, "_compute", lambda *a: calls.append(a[:2]) or compute(*a))
    explorer.set_lambda(1)
    explorer.set_penalty("l1")
    assert explorer.state["penalty_kind"] == "l1" and explorer.state["lambd"] == 1
    explorer.set_dataset("circles")
    assert explorer.state["dataset"] == "circles"
    explorer.set_penalty("l2")
    explorer.set_dataset("moons")
    explorer.set_penalty("l1")
    assert calls == [("moons", "l1"), ("circles", "l1"), ("circles", "l2")]
    assert explorer._error.value == ""
    with pytest.raises(ValueError, match="penalty"):
        explorer.set_penalty("l3")
    with pytest.raises(ValueError, match="dataset"):
        explorer.set_dataset("mnist")


def test_l1_network_has_exact_zeros():
    explorer = network_explorer(panels=("boundary", "weights"), penalty="l1")
    explorer.set_lambda(10)
    counts = explorer.sweep.panel_data["weights"]["counts"][list(explorer.lambdas).index(10)]
    assert counts.n_zero > 0
    assert f"weights: {counts.n_zero} of" in explorer._panels[1].hist.text.get_text()


def test_progress_bar_appears_for_slow_precomputation(monkeypatch):
    explorer = network_explorer(panels=("boundary",))
    monkeypatch.setattr(explore, "PROGRESS_DELAY", 0.0)
    seen = []
    explorer._progress.observe(lambda change: seen.append((change["new"], explorer._progress.layout.display)),
                               names="value")
    explorer.set_penalty("l1")
    assert seen and max(v for v, _ in seen) == pytest.approx(1.0)
    assert all(display is None for _, display in seen)        # visible while it ran
    assert explorer._progress.layout.display == "none"         # hidden again


def test_callback_errors_are_shown_in_the_widget_and_logged(caplog):
    explorer = network_explorer(panels=("boundary",))

    def broken(sweep, k):
        raise RuntimeError("the artist broke")

    panel = explorer._panels[0]
    working = panel.update
    panel.update = broken
    with caplog.at_level(logging.ERROR, logger="regcourse.explore"):
        explorer.set_lambda(1)
    assert "RuntimeError" in explorer._error.value and "the artist broke" in explorer._error.value
    assert "regcourse-error" in explorer._error._dom_classes
    record = [r for r in caplog.records if r.name == "regcourse.explore"][-1]
    assert record.exc_info is not None and "the artist broke" in record.getMessage()
    panel.update = working
    explorer.set_lambda(10)
    assert explorer._error.value == ""                          # cleared by the next good update


def test_explorer_displays_itself(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    assert bundle["text/plain"].startswith(type(explorer).__name__ + "(")
    assert bundle["image/png"].startswith(b"\x89PNG")
    assert isinstance(explorer.widget, widgets.VBox)


def test_small_multiples_default_to_zero_best_and_largest_lambda(explorer):
    fig = explorer.small_multiples()
    titles = [ax.get_title(loc="center") for ax in fig.axes]
    best = explorer.state["best_lambd"]
    expected = sorted({0.0, best, 100.0})
    assert [t.split("\n")[0] for t in titles] == [f"λ = {explore.plots.format_lambda(v)}" for v in expected]
    fig2 = explorer.small_multiples([0, 1])
    assert len(fig2.axes) == 2


# --- bad input ---

@pytest.mark.parametrize("kwargs, error, name", [
    ({"dataset": "mnist"}, ValueError, "dataset"),
    ({"lambdas": [-1, 0, 1]}, ValueError, "lambdas"),
    ({"lambdas": [0, np.nan]}, ValueError, "lambdas"),
    ({"lambdas": []}, ValueError, "lambdas"),
    ({"lambdas": "0.1"}, TypeError, "lambdas"),
    ({"penalty": "l3"}, ValueError, "penalty"),
    ({"panels": ("boundary", "histogram")}, ValueError, "panels"),
    ({"panels": ()}, TypeError, "panels"),
    ({"panels": ("boundary", "boundary")}, ValueError, "panels"),
    ({"render": "svg"}, ValueError, "render"),
    ({"m": 5}, ValueError, "m"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"lambd": -0.1}, ValueError, "lambd"),
    ({"layer_dims": (3, 4, 1)}, ValueError, "layer_dims"),
    ({"layer_dims": (2, 1)}, ValueError, "layer_dims"),
    ({"layer_dims": 20}, TypeError, "layer_dims"),
    ({"activation": "sigmoid"}, ValueError, "activation"),
    ({"learning_rate": 0}, ValueError, "learning_rate"),
    ({"num_iterations": 10.5}, TypeError, "num_iterations"),
])
def test_network_explorer_rejects_bad_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        network_explorer(**kwargs)


@pytest.mark.parametrize("kwargs, error, name", [
    ({"degree": 0}, ValueError, "degree"),
    ({"degree": "6"}, TypeError, "degree"),
    ({"panels": ("units",)}, ValueError, "panels"),
    ({"dataset": 3}, ValueError, "dataset"),
])
def test_logistic_explorer_rejects_bad_arguments(kwargs, error, name):
    options = {**LOG, **kwargs}
    dataset = options.pop("dataset", "two regions")
    with pytest.raises(error, match=name):
        explore.LogisticExplorer(dataset, render="image", **options)


def test_set_lambda_rejects_negative_values(net):
    with pytest.raises(ValueError, match="lambd"):
        net.set_lambda(-1)
    assert net._error.value == ""
