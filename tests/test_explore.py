"""The λ explorers, driven without a browser through set_lambda / state, in both render modes."""

import dataclasses
import html
import io
import logging
import re
import sys

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from regcourse import data, explore, logistic, network, plots  # noqa: E402

STATE_KEYS = {"lambd", "penalty_kind", "dataset", "train_accuracy", "dev_accuracy", "data_loss", "penalty",
              "sum_frobenius_sq", "best_lambd"}
LAMBDAS = [0.0, 0.01, 0.1, 1.0, 10.0, 100.0]
NET = dict(layer_dims=(2, 8, 4, 1), lambdas=LAMBDAS, m=120, num_iterations=200, learning_rate=0.5, seed=3)
LOG = dict(degree=4, lambdas=LAMBDAS, m=120, seed=3, resolution=40)


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


RENDERS = ["frames", "image", "ipympl"]


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
    """What the browser gets: the frame the slider selects, the PNG in the Image widget, or the ipympl
    canvas's Agg buffer."""
    if explorer.render == "frames":
        frame = explorer.view.widget.children[explorer.slider.index].value
        return np.asarray(Image.open(io.BytesIO(frame)).convert("RGB"))
    if explorer.render == "image":
        return np.asarray(Image.open(io.BytesIO(explorer.view.widget.value)))
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
    assert explorer.slider.value == 0.1
    assert explorer.state["lambd"] == 0.1 == explorer.lambd
    assert explorer.set_lambda(0) == 0.0
    assert explorer.state["lambd"] == 0.0


def test_slider_is_a_selection_slider_over_the_grid_with_zero_at_the_left(explorer):
    slider = explorer.slider
    assert isinstance(slider, widgets.SelectionSlider)
    assert slider.continuous_update is True
    labels = [label for label, _ in slider.options]
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
    html = explorer.status_line.value
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
    fits = logistic.fit_path(F, split.Y_train, LAMBDAS, penalty=penalty)
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
    assert f"active hidden units: {high['active_units']:.0f} of {n_hidden}" in net.view.panels[2].title.get_text()


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
    panels = list(explorer.view.panels)
    boundary = explorer.view.panels[0].artists
    explorer.set_lambda(10)
    assert list(explorer.figure.axes) == axes
    assert [list(ax.get_children()) for ax in axes] == children
    assert explorer.view.panels == panels and explorer.view.panels[0].artists is boundary
    k = list(explorer.lambdas).index(10)
    np.testing.assert_array_equal(boundary.image.get_array(), explorer.sweep.prepared[explore.panels.BoundaryPanel][k])


def test_fast_redraw_matches_a_full_draw(explorer):
    explorer.set_lambda(1)
    fast = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
    full = explorer.to_array()
    if explorer.render == "frames":         # the frame shown, drawn the fast way, in the frames' palette
        assert np.abs(shown_pixels(explorer).astype(int) - full[..., :3]).mean() < 0.5
        return
    differ = (fast != full).any(axis=-1)
    assert differ.mean() < 0.005            # at most the 1-pixel rims around legends
    if explorer.render == "image":
        np.testing.assert_array_equal(shown_pixels(explorer), fast[..., :3])


def test_a_slider_move_does_no_training_and_no_contouring(explorer, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("heavy work in a slider callback")

    for module, name in ((network, "train"), (logistic, "fit"), (plots, "boundary_segments")):
        monkeypatch.setattr(module, name, forbidden)
    for lam in LAMBDAS[::-1]:
        explorer.set_lambda(lam)
    assert explorer.error_box.value == ""


def test_ipympl_canvas_is_set_up_and_sends_frames():
    for explorer in (built("net", "ipympl"), built("log", "ipympl")):
        canvas = explorer.figure.canvas
        assert isinstance(canvas, widgets.DOMWidget) and canvas in explorer.figure_row.children
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
        view = explorer.view.widget
        assert isinstance(view, widgets.Image) and view.format == "png"
        w, h = explorer.figure.canvas.get_width_height()
        assert (view.layout.width, view.layout.height) == (f"{w}px", f"{h}px")
        assert shown_pixels(explorer).shape == (h, w, 3)


def test_render_auto_picks_frames():
    assert explore.render.render_mode("auto") == "frames"
    assert explore.render.render_mode("ipympl") == "ipympl"
    with pytest.raises(ValueError, match="render"):
        explore.render.render_mode("canvas")


# --- pyplot's backend: ipympl's import must not switch it ---

BACKEND_SCRIPT = """
import json, sys
import matplotlib
if sys.argv[1] != "unset":
    matplotlib.use(sys.argv[1])
import matplotlib.pyplot as plt
from regcourse import explore
before = matplotlib.rcParams._get_backend_or_none()
explorer = explore.NetworkExplorer(layer_dims=(2, 4, 1), lambdas=[0, 1], m=40, num_iterations=20, resolution=20,
                                   panels=("boundary",), render="ipympl")
import ipympl.backend_nbagg
after = matplotlib.rcParams._get_backend_or_none()
fig, ax = plt.subplots()
print(json.dumps({"before": before, "after": after, "render": explorer.render,
                  "ipympl_canvas": isinstance(explorer.figure.canvas, ipympl.backend_nbagg.Canvas),
                  "in_widget": explorer.figure.canvas in explorer.figure_row.children,
                  "plt_canvas": type(fig.canvas).__module__,
                  "get_backend": matplotlib.get_backend() if before else None}))
"""


@pytest.mark.parametrize("backend", ["agg", "module://matplotlib_inline.backend_inline", "unset"])
def test_an_explorer_keeps_pyplots_backend_and_still_uses_an_ipympl_canvas(backend, tmp_path):
    # A fresh interpreter, so that ipympl is imported for the first time by the explorer, as in a notebook.
    import json
    import os
    import subprocess

    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    script = tmp_path / "backend.py"
    script.write_text(BACKEND_SCRIPT)
    done = subprocess.run([sys.executable, str(script), backend], capture_output=True, text=True, env=env,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["render"] == "ipympl" and result["ipympl_canvas"] and result["in_widget"]
    assert result["after"] == result["before"]
    assert "ipympl" not in result["plt_canvas"]                    # plt figures are not ipympl widgets
    if backend == "unset":
        assert result["before"] is None                            # still "not chosen yet"
    else:
        assert result["before"] == backend and result["get_backend"] == backend


def test_backend_kept_undoes_a_backend_switch_inside_the_block():
    import matplotlib.pyplot as plt

    previous = matplotlib.get_backend()
    assert previous.lower() == "agg"
    fallback = matplotlib.rcParams["backend_fallback"]
    with explore._mpl_private.backend_kept():
        matplotlib.use("module://ipympl.backend_nbagg")             # what ipympl/__init__.py does
        assert "ipympl" in matplotlib.get_backend()
    assert matplotlib.get_backend() == previous
    assert matplotlib.rcParams["backend_fallback"] == fallback
    fig, ax = plt.subplots()
    assert type(fig.canvas).__module__ == "matplotlib.backends.backend_agg"
    plt.close(fig)


# --- widgets ---

def test_css_classes_name_every_part(explorer):
    classes = {c for w in walk(explorer.widget) for c in getattr(w, "_dom_classes", ())}
    for name in ("explorer", "lambda", "penalty", "dataset", "status", "figure", "progress", "error"):
        assert f"regcourse-{name}" in classes, name
    assert "regcourse-explorer" in explorer.widget._dom_classes


def test_penalty_and_dataset_switches_are_cached(monkeypatch):
    explorer = network_explorer(panels=("boundary", "weights"))
    calls = []
    measure = explore.explorers.network_sweep
    monkeypatch.setattr(explore.explorers, "network_sweep", lambda *a: calls.append(a[:2]) or measure(*a))
    explorer.set_lambda(1)
    explorer.set_penalty("l1")
    assert explorer.state["penalty_kind"] == "l1" and explorer.state["lambd"] == 1
    explorer.set_dataset("circles")
    assert explorer.state["dataset"] == "circles"
    explorer.set_penalty("l2")
    explorer.set_dataset("moons")
    explorer.set_penalty("l1")
    assert calls == [("moons", "l1"), ("circles", "l1"), ("circles", "l2")]
    assert explorer.error_box.value == ""
    with pytest.raises(ValueError, match="penalty"):
        explorer.set_penalty("l3")
    with pytest.raises(ValueError, match="dataset"):
        explorer.set_dataset("mnist")


def test_l1_network_has_exact_zeros():
    explorer = network_explorer(panels=("boundary", "weights"), penalty="l1")
    explorer.set_lambda(10)
    counts = explorer.view.panels[1].counts[list(explorer.lambdas).index(10)]
    assert counts.n_zero > 0
    assert f"weights: {counts.n_zero} of" in explorer.view.panels[1].hist.text.get_text()


def test_progress_bar_appears_for_slow_precomputation(monkeypatch):
    explorer = network_explorer(panels=("boundary",))
    monkeypatch.setattr(explore.widget, "PROGRESS_DELAY", 0.0)
    seen = []
    explorer.progress.observe(lambda change: seen.append((change["new"], explorer.progress.layout.display)),
                               names="value")
    explorer.set_penalty("l1")
    assert seen and max(v for v, _ in seen) == pytest.approx(1.0)
    assert all(display is None for _, display in seen)        # visible while it ran
    assert explorer.progress.layout.display == "none"         # hidden again


def test_callback_errors_are_shown_in_the_widget_and_logged_in_one_line(caplog):
    explorer = network_explorer(panels=("boundary",))

    def broken(sweep, k):
        raise RuntimeError("the artist broke")

    panel = explorer.view.panels[0]
    working = panel.update
    panel.update = broken
    with caplog.at_level(logging.WARNING, logger="regcourse.explore"):
        explorer.set_lambda(1)
    assert "RuntimeError" in explorer.error_box.value and "the artist broke" in explorer.error_box.value
    assert "regcourse-error" in explorer.error_box._dom_classes
    records = [r for r in caplog.records if r.name == "regcourse.explore"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert records[0].exc_info is None and records[0].getMessage() == "regcourse explorer: RuntimeError: the artist broke"
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="regcourse.explore"):       # debugging asked for: the traceback
        explorer.set_lambda(10)
    assert [r.exc_info is not None for r in caplog.records if r.name == "regcourse.explore"] == [False, True]
    panel.update = working
    explorer.set_lambda(100)
    assert explorer.error_box.value == ""                      # cleared by the next good update


def failing_training(monkeypatch):
    """network.train raising as it does today for a run that diverges (grid up to λ = 1e3, say)."""
    def diverging(*args, **kwargs):
        raise ValueError("W must be finite, got NaN at [12, 0, 0]")

    monkeypatch.setattr(network, "train", diverging)


def test_a_failed_switch_reverts_the_controls_and_keeps_the_error(monkeypatch):
    explorer = network_explorer(panels=("boundary", "weights"), penalty="l1")
    explorer.set_lambda(1)
    shown, state = explorer.to_array(), explorer.state
    failing_training(monkeypatch)
    with pytest.raises(ValueError, match="must be finite"):
        explorer.set_penalty("l2")
    explorer.penalty_toggle.value = "l2"                       # the same by a click: shown, not raised
    explorer.dataset_menu.value = "circles"
    assert explorer.penalty_toggle.value == "l1" and explorer.dataset_menu.value == "moons"
    assert explorer.state == state and "must be finite" in explorer.error_box.value
    np.testing.assert_array_equal(explorer.to_array(), shown)
    assert explorer._repr_mimebundle_()["image/png"].startswith(b"\x89PNG")
    monkeypatch.undo()
    explorer.set_lambda(10)                                    # the next action that works clears the box
    assert explorer.error_box.value == "" and explorer.state["penalty_kind"] == "l1"
    explorer.set_penalty("l2")
    assert explorer.state["penalty_kind"] == "l2" == explorer.penalty_toggle.value


@pytest.mark.parametrize("failures", [1, 10])
def test_a_failed_redraw_leaves_an_explorer_that_draws_and_displays(monkeypatch, failures):
    explorer = network_explorer(panels=("boundary", "weights"))
    explorer.set_lambda(1)
    shown = explorer.to_array()
    left = [failures]
    init = explore.panels.WeightsPanel.__init__

    def flaky(self, *args):
        left[0] -= 1
        if left[0] >= 0:
            raise RuntimeError("the panel broke")
        init(self, *args)

    monkeypatch.setattr(explore.panels.WeightsPanel, "__init__", flaky)
    with pytest.raises(RuntimeError, match="the panel broke"):
        explorer.set_penalty("l1")
    assert explorer.penalty_toggle.value == "l2" == explorer.state["penalty_kind"]
    assert "the panel broke" in explorer.error_box.value
    assert explorer.to_array().shape == shown.shape
    assert explorer._repr_mimebundle_()["image/png"].startswith(b"\x89PNG")
    def like_before():         # what was shown, its axes now fitting the L1 weights too
        return len(explorer.view.panels) == 2 and (explorer.to_array() != shown).any(axis=-1).mean() < 0.01

    if failures == 1:                                          # what was shown is drawn again
        assert like_before()
    else:                                                      # blank while the panel keeps failing ...
        assert explorer.view.panels == []
        monkeypatch.undo()
        explorer.set_lambda(10)                                # ... and drawn at the next move once it works
        assert len(explorer.view.panels) == 2 and explorer.error_box.value == ""
        explorer.set_lambda(1)
        assert like_before()


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
    assert [t.split("\n")[0] for t in titles] == [f"λ = {plots.format_lambda(v)}" for v in expected]
    fig2 = explorer.small_multiples([0, 1])
    assert len(fig2.axes) == 2


# --- from_fit / from_fits: a notebook's own run, shown without training again ---

RUN = dict(layer_dims=(2, 6, 3, 1), activation="tanh", learning_rate=0.4, num_iterations=150)
RUN_LAMBDAS = [1.0, 0.0, 10.0, 0.1]          # unsorted on purpose: the slider's grid is sorted


def notebook_split():
    X, Y = data.load("two regions", m=120, seed=2, flip=0.15)
    return data.train_dev_test_split(X, Y, dev=0.25, test=0.15, seed=2)


def notebook_run(penalty="l2", seed=5):
    split = notebook_split()
    fit = network.train(split.X_train, split.Y_train, RUN["layer_dims"], lambd=np.array(RUN_LAMBDAS),
                        penalty=penalty, activation=RUN["activation"], learning_rate=RUN["learning_rate"],
                        num_iterations=RUN["num_iterations"], seed=seed)
    return split, fit


def no_training(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("trained again")

    monkeypatch.setattr(network, "train", forbidden)
    monkeypatch.setattr(logistic, "fit", forbidden)


def assert_state_matches_network_fit(explorer, fit, split):
    for k, lam in enumerate(RUN_LAMBDAS):
        explorer.set_lambda(lam)
        s, run = explorer.state, fit[k]
        assert s["lambd"] == lam and s["penalty_kind"] == fit.penalty
        cost = run.cost(split.X_train, split.Y_train)
        assert s["train_accuracy"] == run.accuracy(split.X_train, split.Y_train)
        assert s["dev_accuracy"] == run.accuracy(split.X_dev, split.Y_dev)
        assert s["data_loss"] == pytest.approx(cost.data_loss, rel=1e-12)
        assert s["penalty"] == pytest.approx(cost.penalty, rel=1e-12, abs=1e-15)
        assert s["sum_frobenius_sq"] == pytest.approx(run.sum_frobenius_sq(), rel=1e-12)


def test_from_fit_shows_the_notebooks_run_without_training(monkeypatch):
    split, fit = notebook_run()
    no_training(monkeypatch)
    explorer = explore.NetworkExplorer.from_fit(fit, split, dataset="two regions", seed=5, render="image",
                                                panels=("boundary", "weights", "units", "tanh", "curve"),
                                                resolution=30, lambd=0.1)
    assert explorer.lambd == 0.1 and explorer.lambdas.tolist() == sorted(RUN_LAMBDAS)
    assert explorer.layer_dims == RUN["layer_dims"] and explorer.activation == "tanh"
    assert explorer.learning_rate == RUN["learning_rate"] and explorer.num_iterations == RUN["num_iterations"]
    assert explorer.state["dataset"] == "two regions" and explorer.m == 120
    np.testing.assert_array_equal(explorer.sweep.X_train, split.X_train)
    np.testing.assert_array_equal(explorer.sweep.X_dev, split.X_dev)
    assert_state_matches_network_fit(explorer, fit, split)
    assert {"active_units", "linear_fraction"} <= set(explorer.state)
    assert not explorer.penalty_toggle.disabled
    assert explorer.error_box.value == ""
    explorer.set_dataset("two regions")                          # its own data: nothing to do


@pytest.mark.parametrize("start", ["seed", "init_params"])
def test_from_fit_toggle_trains_the_other_penalty_from_the_same_start(start):
    split, fit = notebook_run()
    _, fit_l1 = notebook_run(penalty="l1")
    given = {"seed": 5} if start == "seed" else {
        "init_params": network.initialize(RUN["layer_dims"], RUN["activation"], 5)}
    explorer = explore.NetworkExplorer.from_fit(fit, split, render="image", panels=("boundary",), resolution=30,
                                                **given)
    assert explorer.state["dataset"] == "notebook data"
    explorer.set_penalty("l1")
    assert explorer.error_box.value == ""
    assert_state_matches_network_fit(explorer, fit_l1, split)
    assert explorer.state["penalty_kind"] == "l1"


def test_from_fit_without_a_start_disables_the_penalty_toggle():
    split, fit = notebook_run()
    explorer = explore.NetworkExplorer.from_fit(fit, split, render="image", panels=("boundary",), resolution=30)
    toggle = explorer.penalty_toggle
    assert toggle.disabled and all("seed= or init_params=" in tip for tip in toggle.tooltips)
    with pytest.raises(ValueError, match="seed= or init_params="):
        explorer.set_penalty("l1")
    explorer.set_penalty("l2")
    assert explorer.state["penalty_kind"] == "l2"


def test_from_fit_takes_both_penalties_and_toggles_without_training(monkeypatch):
    split, fit = notebook_run()
    _, fit_l1 = notebook_run(penalty="l1")
    no_training(monkeypatch)
    explorer = explore.NetworkExplorer.from_fit({"l1": fit_l1, "l2": fit}, split, render="image",
                                                panels=("boundary",), resolution=30)
    assert not explorer.penalty_toggle.disabled and explorer.state["penalty_kind"] == "l2"
    explorer.set_penalty("l1")
    assert explorer.error_box.value == ""
    assert_state_matches_network_fit(explorer, fit_l1, split)


def test_from_fits_shows_the_notebooks_logistic_fits_without_fitting(monkeypatch):
    split = notebook_split()
    F, F_dev = (data.polynomial_features(X, 3) for X in (split.X_train, split.X_dev))
    fits = logistic.fit_path(F, split.Y_train, RUN_LAMBDAS)
    fits_l1 = logistic.fit_path(F, split.Y_train, RUN_LAMBDAS, penalty="l1")
    with monkeypatch.context() as patch:
        no_training(patch)
        explorer = explore.LogisticExplorer.from_fits(fits, split, dataset="two regions", render="image",
                                                      panels=("boundary", "coefficients", "path", "curve"),
                                                      resolution=30)
        assert explorer.degree == 3                                # read off the 9 weights
        assert explorer.lambdas.tolist() == sorted(RUN_LAMBDAS)
        for lam, f in zip(RUN_LAMBDAS, fits):
            explorer.set_lambda(lam)
            s = explorer.state
            assert explorer.sweep.model[list(explorer.lambdas).index(lam)] is f
            assert s["train_accuracy"] == f.accuracy(F, split.Y_train)
            assert s["dev_accuracy"] == f.accuracy(F_dev, split.Y_dev)
            assert s["data_loss"] == pytest.approx(f.cost(F, split.Y_train).data_loss, rel=1e-12)
        assert not explorer.penalty_toggle.disabled                    # L1 needs no start: fitted on demand
    explorer.set_penalty("l1")
    for lam, f in zip(RUN_LAMBDAS, fits_l1):
        explorer.set_lambda(lam)
        assert explorer.state["n_zero_weights"] == np.sum(f.w == 0)
        assert explorer.state["data_loss"] == pytest.approx(f.cost(F, split.Y_train).data_loss, rel=1e-9)
    with monkeypatch.context() as patch:
        no_training(patch)
        both = explore.LogisticExplorer.from_fits({"l2": fits, "l1": fits_l1}, split, degree=3, render="image",
                                                  panels=("boundary",), resolution=30)
        both.set_penalty("l1")
        assert both.state["penalty_kind"] == "l1" and both.error_box.value == ""


def _fits_for_bad_input():
    split = notebook_split()
    F = data.polynomial_features(split.X_train, 2)
    return split, logistic.fit_path(F, split.Y_train, [0.0, 1.0])


@pytest.mark.parametrize("case, error, match", [
    ("single fit", ValueError, "batched"),
    ("not a fit", TypeError, "network.Fit"),
    ("params dict", TypeError, r"dict with keys \['W1'"),
    ("no split", TypeError, "split must be the data.Split"),
    ("3-D points", ValueError, "split.X_train"),
    ("another split", ValueError, "was not trained on split.X_train"),
    ("seed and init_params", TypeError, "seed or init_params"),
    ("init_params shape", ValueError, "init_params"),
    ("dict penalty", ValueError, "penalty 'l1'"),
    ("dict grids differ", ValueError, "λ values"),
])
def test_from_fit_rejects_bad_arguments(case, error, match):
    split, fit = notebook_run()
    small = network.train(split.X_train, split.Y_train, RUN["layer_dims"], lambd=0.1, num_iterations=5)
    other = network.train(split.X_train, split.Y_train, RUN["layer_dims"], lambd=np.array([0.0, 3.0]),
                          penalty="l1", num_iterations=5, activation="tanh", learning_rate=0.4)
    args = {
        "single fit": (small, split),
        "not a fit": ([fit], split),
        "params dict": (fit.params, split),
        "no split": (fit, (split.X_train, split.Y_train)),
        "3-D points": (fit, split._replace(X_train=np.vstack([split.X_train, split.X_train[:1]]))),
        "another split": (fit, data.train_dev_test_split(*data.load("two regions", m=120, seed=3), seed=2)),
        "seed and init_params": (fit, split),
        "init_params shape": (fit, split),
        "dict penalty": ({"l1": fit}, split),
        "dict grids differ": ({"l2": fit, "l1": other}, split),
    }[case]
    kwargs = {"seed and init_params": {"seed": 1, "init_params": network.initialize(RUN["layer_dims"], "tanh")},
              "init_params shape": {"init_params": network.initialize((2, 5, 1))}}.get(case, {})
    with pytest.raises(error, match=match):
        explore.NetworkExplorer.from_fit(*args, render="image", **kwargs)


@pytest.mark.parametrize("case, error, match", [
    ("empty", TypeError, "non-empty list of LogisticFit"),
    ("not fits", TypeError, r"fits\[0\] must be a LogisticFit"),
    ("degree", ValueError, "degree 3 gives 9 features"),
    ("not polynomial", ValueError, "not the number of polynomial features"),
    ("dict key", TypeError, "dict with keys"),
    ("dict grids differ", ValueError, "same λ values"),
])
def test_from_fits_rejects_bad_arguments(case, error, match):
    split, fits = _fits_for_bad_input()
    odd = logistic.fit_path(split.X_train[:1].repeat(4, axis=0), split.Y_train, [0.0, 1.0])   # 4 weights
    fewer = logistic.fit_path(data.polynomial_features(split.X_train, 2), split.Y_train, [0.0, 2.0], penalty="l1")
    args = {"empty": [], "not fits": [1, 2], "degree": fits, "not polynomial": odd, "dict key": {"l3": fits},
            "dict grids differ": {"l2": fits, "l1": fewer}}[case]
    with pytest.raises(error, match=match):
        explore.LogisticExplorer.from_fits(args, split, degree=3 if case == "degree" else None, render="image")


# --- data options and split fractions ---

def test_data_options_and_split_fractions_reach_the_data():
    explorer = network_explorer(dataset="two regions", data_options={"flip": 0.3}, dev=0.3, test=0.1, m=100,
                                panels=("boundary",))
    X, Y = data.load("two regions", m=100, seed=NET["seed"], flip=0.3)
    expected = data.train_dev_test_split(X, Y, dev=0.3, test=0.1, seed=NET["seed"])
    np.testing.assert_array_equal(explorer.sweep.X_train, expected.X_train)
    np.testing.assert_array_equal(explorer.sweep.Y_dev, expected.Y_dev)
    assert explorer.sweep.X_dev.shape == (2, 30)
    explorer.set_dataset("moons")                # "flip" is not a moons option: moons gets its defaults
    X, Y = data.load("moons", m=100, seed=NET["seed"])
    np.testing.assert_array_equal(explorer.sweep.X_train,
                                  data.train_dev_test_split(X, Y, dev=0.3, test=0.1, seed=NET["seed"]).X_train)
    log = explore.LogisticExplorer("moons", degree=2, lambdas=[0.0, 1.0], m=100, seed=1, data_options={"noise": 0.4},
                                   test=0.0, render="image", resolution=20, panels=("boundary",))
    X, Y = data.load("moons", m=100, seed=1, noise=0.4)
    np.testing.assert_array_equal(log.sweep.X_train, data.train_dev_test_split(X, Y, test=0.0, seed=1).X_train)
    assert log.sweep.X_train.shape == (2, 80)


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
    ({"data_options": {"flip": 0.1}}, ValueError, "data_options"),
    ({"data_options": "noise"}, TypeError, "data_options"),
    ({"data_options": {"m": 50}}, ValueError, "data_options"),
    ({"dev": 0}, ValueError, "dev"),
    ({"test": -0.1}, ValueError, "test"),
    ({"dev": 0.6, "test": 0.5}, ValueError, "dev \\+ test"),
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
    assert net.error_box.value == ""


# --- state and status line ---

def test_state_has_the_same_keys_whatever_the_panels():
    keys = {f.name for f in dataclasses.fields(explore.status.Status)}
    plain = network_explorer(panels=("boundary",))
    for explorer in (plain, built("net", "image"), built("log", "image")):
        assert set(explorer.state) == keys
    assert plain.state["active_units"] is None and plain.state["linear_fraction"] is None
    assert built("log", "image").state["active_units"] is None
    assert isinstance(built("net", "image").state["active_units"], int)


@pytest.mark.parametrize("kind", ["net", "log"])
def test_status_line_follows_the_penalty_kind(kind):
    explorer = built(kind, "image")
    explorer.set_lambda(1)
    l2_norm = "Σ‖W<sup>[l]</sup>‖<sub>F</sub><sup>2</sup>" if kind == "net" else "‖w‖<sup>2</sup>"
    l1_norm = "Σ‖W<sup>[l]</sup>‖<sub>1</sub>" if kind == "net" else "‖w‖<sub>1</sub>"
    assert l2_norm in explorer.status_line.value and l1_norm not in explorer.status_line.value
    explorer.set_penalty("l1")
    state = explorer.state
    assert f"{l1_norm} = {plots.format_value(state['sum_abs'])}" in explorer.status_line.value
    assert f"exact zeros {state['n_zero_weights']} of {state['n_weights']}" in explorer.status_line.value
    w = np.concatenate([W.ravel() for W in explorer.sweep.weights[list(explorer.lambdas).index(1)]])
    assert state["sum_abs"] == pytest.approx(np.abs(w).sum()) and state["n_zero_weights"] == np.sum(w == 0)
    explorer.set_penalty("l2")


def test_status_line_shows_nothing_below_its_precision(explorer):
    for lam in LAMBDAS:
        explorer.set_lambda(lam)
        shown = re.findall(r"(?<![\w.])\d+(?:\.\d+)?e-(\d+)", explorer.status_line.value)
        assert all(int(exponent) <= 6 for exponent in shown), explorer.status_line.value


# --- axes and bars ---

def axis_limits(explorer):
    return [(ax.get_xlim(), ax.get_ylim()) for ax in explorer.figure.axes]


def test_axes_stay_put_when_l1_and_l2_flip():
    split, fit = notebook_run()
    _, fit_l1 = notebook_run(penalty="l1")
    both = explore.NetworkExplorer.from_fit({"l2": fit, "l1": fit_l1}, split, render="image", resolution=30,
                                            panels=("boundary", "weights", "curve"))
    limits = axis_limits(both)
    both.set_penalty("l1")
    assert axis_limits(both) == limits and "rescaled" not in both.status_line.value
    one = network_explorer(panels=("weights", "curve"))        # L1 trained on the first flip
    one.set_penalty("l1")
    limits = axis_limits(one)
    for penalty in ("l2", "l1", "l2"):
        one.set_penalty(penalty)
        assert axis_limits(one) == limits


def test_no_bar_runs_off_its_axis(net):
    weights, tanh = (next(p for p in net.view.panels if isinstance(p, cls))
                     for cls in (explore.panels.WeightsPanel, explore.panels.TanhPanel))
    cut = 0
    for lam in LAMBDAS:
        net.set_lambda(lam)
        top = weights.hist.zero_bar.axes.get_ylim()[1]
        heights = [bars.get_data().values.max() for bars in weights.hist.bars] + [weights.hist.zero_bar.get_height()]
        assert max(heights) <= top
        counts = weights.counts[list(net.lambdas).index(lam)]
        if max(counts.counts.sum(axis=0).max(), counts.n_zero) > top:
            cut += 1
            assert weights.hist.overflow.get_text().startswith("↑")
        assert tanh.artists.bars.get_data().values.max() <= tanh.artists.hist_ax.get_ylim()[1]
    assert cut > 0                                             # λ = 100: nearly every weight in one bin


# --- diverged runs (network.Fit.diverged / .divergence) ---

DIVERGED = "α·λ/m = 2.08 > 1: each step flips the sign of W. Lower the learning rate or λ"


def test_diverged_runs_are_shown_as_such():
    split, fit = notebook_run()                                # λ = 1, 0, 10, 0.1: say λ = 10 diverged
    fit.diverged = np.array([False, False, True, False])       # as network.Fit reports it: the run stopped,
    fit.divergence = (None, None, DIVERGED, None)              # its parameters finite but no result
    fit.params["W1"][2] *= 1e3
    explorer = explore.NetworkExplorer.from_fit(fit, split, render="image", resolution=30,
                                                panels=("boundary", "weights", "units", "tanh", "curve"))
    boundary, curve = explorer.view.panels[0], explorer.view.panels[4]
    explorer.set_lambda(10)
    state, status = explorer.state, explorer.status_line.value
    assert state["diverged"] and state["divergence"] == DIVERGED
    assert f"diverged: {html.escape(DIVERGED)}" in status and "nan" not in status.lower()
    assert boundary.veil.get_visible() and "diverged" in boundary.title.get_text()
    assert 10.0 not in curve.artists.dev.get_xdata() and len(curve.artists.current_points.get_xdata()) == 0
    assert state["best_lambd"] != 10 and explorer.error_box.value == ""
    assert np.isfinite(explorer.to_array()).all()
    explorer.set_lambda(1)
    assert not explorer.state["diverged"] and not boundary.veil.get_visible()
    fig = explorer.small_multiples()
    assert "λ = 10" not in [ax.get_title().split("\n")[0] for ax in fig.axes]


# --- the private matplotlib / ipympl APIs, pinned ---

def test_private_matplotlib_and_ipympl_apis_are_as_relied_on():
    import ipympl
    problems = explore._mpl_private.broken_assumptions()
    assert problems == [], (f"matplotlib {matplotlib.__version__} / ipympl {ipympl.__version__} changed what "
                            f"regcourse/explore/_mpl_private.py relies on: {problems}")


def test_fast_canvas_sends_the_frames_ipympl_would():
    explorer = built("net", "ipympl")
    canvas = explorer.figure.canvas
    original = type(canvas).__mro__[1].get_diff_image              # ipympl's own (Pillow) encoder

    def frame(get_diff_image, last):
        canvas._last_buff, canvas._png_is_old = last.copy(), True
        data = get_diff_image(canvas)
        return canvas._current_image_mode, np.asarray(Image.open(io.BytesIO(data)))

    explorer.set_lambda(0)
    full = np.empty((0, 0), dtype=np.uint32)
    assert frame(type(canvas).get_diff_image, full)[0] == "full"
    fast, slow = frame(type(canvas).get_diff_image, full), frame(original, full)
    assert fast[0] == slow[0] and np.array_equal(fast[1], slow[1])
    last = canvas._last_buff.copy()
    explorer.set_lambda(100)
    fast, slow = frame(type(canvas).get_diff_image, last), frame(original, last)
    assert fast[0] == slow[0] == "diff" and np.array_equal(fast[1], slow[1])


# --- size limits ---

@pytest.mark.parametrize("kwargs, limit", [
    ({"resolution": 401}, "resolution must be <= 400"), ({"dpi": 301}, "dpi must be <= 300"),
    ({"m": 5001}, "m must be <= 5000"), ({"figsize": (31, 3)}, r"figsize\[0\] must be <= 30"),
    ({"lambdas": np.linspace(0, 1, 101)}, "lambdas must be <= 100"),
    ({"layer_dims": (2, 101, 1)}, "hidden layer in layer_dims must be <= 100"),
    ({"num_iterations": 50_001}, "num_iterations must be <= 50000"),
])
def test_sizes_have_limits_that_the_message_states(kwargs, limit):
    with pytest.raises(ValueError, match=limit):
        network_explorer(**kwargs)
    with pytest.raises(ValueError, match="degree must be <= 12"):
        explore.LogisticExplorer(degree=13, render="image")


def test_a_diverged_run_does_not_fail_the_trained_on_this_split_check():
    """λ = 100 on 24 training examples has α·λ/m > 1: its record is NaN, and the check must skip it
    (it once compared NaN and rejected a correct split), while another split is still rejected."""
    from regcourse.explore import _checks

    X, Y = data.load("two regions", m=40, seed=0)
    split = data.train_dev_test_split(X, Y, seed=0)
    with pytest.warns(network.DivergenceWarning):
        fit = network.train(split.X_train, split.Y_train, [2, 5, 1], lambd=np.array([0.0, 1.0, 100.0]),
                            learning_rate=1.0, num_iterations=50, seed=0)
    assert list(fit.diverged) == [False, False, True]
    _checks.check_trained_on(fit, split, "fit")
    other = data.train_dev_test_split(*data.load("two regions", m=40, seed=1), seed=1)
    with pytest.raises(ValueError, match="was not trained on split.X_train"):
        _checks.check_trained_on(fit, other, "fit")
