"""The explorers' lecture controls (scenes, Play, pin, reset) and their data controls (the dataset menu of a
notebook's explorer, noise and training-set size), driven through the public handles."""

import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from regcourse import data, explore, logistic, network  # noqa: E402

LAMBDAS = [0.0, 0.01, 0.1, 1.0, 10.0, 100.0]
NET = dict(layer_dims=(2, 8, 4, 1), lambdas=LAMBDAS, m=120, num_iterations=200, learning_rate=0.5, seed=3,
           resolution=30, panels=("boundary", "weights"))


def net(render="image", **kwargs):
    return explore.NetworkExplorer("moons", render=render, **{**NET, **kwargs})


def notebook_fit(penalty="l2"):
    """A notebook's own run: 'two regions' data, trained outside the explorer."""
    X, Y = data.load("two regions", m=100, seed=1)
    split = data.train_dev_test_split(X, Y, seed=1)
    fit = network.train(split.X_train, split.Y_train, [2, 6, 1], lambd=np.array(LAMBDAS), penalty=penalty,
                        learning_rate=0.5, num_iterations=150, seed=5)
    return split, fit


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def links_between(explorer, a, b) -> bool:
    return any({tuple(link.source), tuple(link.target)} == {a, b} for link in explorer.lecture.links)


@pytest.fixture(scope="module")
def explorer():
    return net()


@pytest.fixture(autouse=True)
def fresh(request):
    if "explorer" in request.fixturenames:
        request.getfixturevalue("explorer").reset()


# --- scenes ---

def test_built_in_scenes_are_read_off_the_sweep(explorer):
    s = explorer.sweep
    scenes = explorer.scenes
    assert list(scenes)[:3] == ["no regularization", "best on dev", "too strong"]
    assert scenes["no regularization"].lambd == 0.0
    assert scenes["best on dev"].lambd == explorer.state["best_lambd"] == s.lambdas[s.best]
    assert scenes["too strong"].lambd == s.lambdas[~s.diverged].max()
    assert all(scene.penalty is None for scene in scenes.values())     # they keep the penalty shown


def test_show_scene_moves_lambda_and_selects_its_button_until_lambda_moves(explorer):
    best = explorer.scenes["best on dev"].lambd
    assert explorer.show_scene("best on dev") == best == explorer.lambd == explorer.state["lambd"]
    assert explorer.scene == "best on dev" == explorer.lecture.scene_buttons.value
    explorer.set_lambda(explorer.lambdas[-2] if best != explorer.lambdas[-2] else explorer.lambdas[-3])
    assert explorer.scene is None and explorer.lecture.scene_buttons.value is None
    assert explorer.show_scene("too strong") == explorer.lambd == explorer.scenes["too strong"].lambd


def test_clicking_a_scene_button_shows_the_scene(explorer):
    explorer.set_lambda(0.1)
    explorer.lecture.scene_buttons.value = "no regularization"
    assert explorer.lambd == 0.0 and explorer.scene == "no regularization"
    assert explorer.error_box.value == ""


def test_best_on_dev_follows_the_penalty_shown(explorer):
    explorer.set_penalty("l1")
    l1 = explorer.sweep
    assert explorer.show_scene("best on dev") == l1.lambdas[l1.best]
    assert explorer.state["penalty_kind"] == "l1"


def test_a_notebooks_own_scenes_come_after_the_built_in_ones_and_may_set_the_penalty():
    explorer = net(scenes={"weights die": explore.Scene(0.1, "l1"), "mild": 0.012})
    assert list(explorer.scenes) == ["no regularization", "best on dev", "too strong", "weights die", "mild"]
    assert list(explorer.lecture.scene_buttons.options) == list(explorer.scenes)
    assert explorer.show_scene("mild") == 0.01                       # snapped to the grid
    assert explorer.state["penalty_kind"] == "l2"
    assert explorer.show_scene("weights die") == 0.1
    assert explorer.state["penalty_kind"] == "l1" == explorer.penalty_toggle.value
    assert explorer.scene == "weights die"
    explorer.set_penalty("l2")                                          # moving away deselects the scene
    assert explorer.scene is None and explorer.lecture.scene_buttons.value is None


def test_from_fit_takes_scenes():
    split, fit = notebook_fit()
    explorer = explore.NetworkExplorer.from_fit(fit, split, seed=5, render="image", panels=("boundary",),
                                                resolution=30, scenes={"units fade": 10})
    assert explorer.show_scene("units fade") == 10.0 == explorer.state["lambd"]


def test_a_scene_that_cannot_be_shown_says_why_in_the_widget():
    split, fit = notebook_fit()                    # no seed: the other penalty cannot be trained
    explorer = explore.NetworkExplorer.from_fit(fit, split, render="image", panels=("boundary",), resolution=30,
                                                scenes={"sparse": explore.Scene(0.1, "l1")})
    with pytest.raises(ValueError, match="seed= or init_params="):
        explorer.show_scene("sparse")
    explorer.lecture.scene_buttons.value = "sparse"
    assert "seed= or init_params=" in explorer.error_box.value
    assert explorer.lecture.scene_buttons.value is None and explorer.state["penalty_kind"] == "l2"


@pytest.mark.parametrize("scenes, error, match", [
    ([0.1], TypeError, "scenes must be a dict"),
    ({"": 0.1}, TypeError, "non-empty string"),
    ({"best on dev": 0.1}, ValueError, "built-in scene"),
    ({"x": "big"}, TypeError, r"scenes\['x'\] must be a λ"),
    ({"x": -1.0}, ValueError, "lambd"),
    ({f"s{i}": 0.1 for i in range(7)}, ValueError, "at most 6"),
])
def test_bad_scenes_are_rejected_by_name(scenes, error, match):
    with pytest.raises(error, match=match):
        net(scenes=scenes)


def test_scene_rejects_a_bad_penalty_and_show_scene_an_unknown_name(explorer):
    with pytest.raises(ValueError, match="penalty"):
        explore.Scene(0.1, "l3")
    with pytest.raises(ValueError, match="scene must be one of .*'no regularization'"):
        explorer.show_scene("nope")


# --- Play, pin, reset ---

def test_play_is_linked_to_the_slider_in_the_browser(explorer):
    play = explorer.lecture.play
    assert isinstance(play, widgets.Play) and "regcourse-play" in play._dom_classes
    assert (play.min, play.max, play.step) == (0, len(explorer.lambdas) - 1, 1)
    assert all(isinstance(link, widgets.widget_link.Link) for link in explorer.lecture.links)   # not a kernel link
    assert links_between(explorer, (play, "value"), (explorer.slider, "index"))
    assert links_between(explorer, (explorer.lecture.speed, "value"), (play, "interval"))


def test_play_starts_from_the_lambda_shown_at_the_speed_asked(explorer):
    explorer.set_lambda(0.1)
    explorer.play(interval=250)
    play = explorer.lecture.play
    assert play.playing and play.value == 2 and play.interval == 250 == explorer.lecture.speed.value
    explorer.pause()
    assert not play.playing and explorer.lambd == 0.1
    explorer.set_lambda(100)
    explorer.play()                                   # at the last λ: from the first
    assert play.value == 0 == explorer.slider.index and play.interval == 250
    with pytest.raises(ValueError, match="interval"):
        explorer.play(interval=0)


def test_play_steps_reach_the_kernel_as_slider_moves(explorer):
    """What the browser link does on each step (sets the slider's index) updates state and the figure."""
    before = explorer.to_array()
    explorer.slider.index = 4
    assert explorer.state["lambd"] == explorer.lambdas[4]
    assert not np.array_equal(before, explorer.to_array())


@pytest.mark.parametrize("render", ["frames", "image"])
def test_pin_keeps_the_picture_of_a_lambda_beside_the_live_one(render):
    explorer = net(render=render)
    explorer.set_lambda(0.0)
    at_zero = explorer.to_array()[..., :3]
    state = explorer.pin()
    lecture = explorer.lecture
    assert state == explorer.pinned and state["lambd"] == 0.0
    assert lecture.pinned_box.layout.display != "none" and lecture.pin_button.value
    np.testing.assert_array_equal(pixels(lecture.pinned_image.value), at_zero)
    assert lecture.pinned_box in explorer.figure_row.children and explorer.view.widget in explorer.figure_row.children
    assert "λ = 0" in lecture.pinned_label.value and "L2" in lecture.pinned_label.value
    explorer.set_lambda(100)
    explorer.set_penalty("l1")                        # the pinned picture stays: L2 at 0 beside L1 at 100
    np.testing.assert_array_equal(pixels(lecture.pinned_image.value), at_zero)
    assert explorer.pinned["penalty_kind"] == "l2" and explorer.state["penalty_kind"] == "l1"
    explorer.unpin()
    assert explorer.pinned is None and lecture.pinned_box.layout.display == "none" and not lecture.pin_button.value


def test_the_pin_button_pins_and_unpins(explorer):
    explorer.set_lambda(1.0)
    explorer.lecture.pin_button.value = True
    assert explorer.pinned["lambd"] == 1.0 and explorer.lecture.pinned_image.value
    explorer.lecture.pin_button.value = False
    assert explorer.pinned is None


def test_reset_goes_back_to_the_first_lambda_penalty_and_data():
    explorer = net(lambd=0.1)
    first, X_train = explorer.state, explorer.sweep.X_train
    explorer.set_penalty("l1")
    explorer.set_dataset("circles")
    explorer.set_data(noise=0.3, m=60)
    explorer.show_scene("too strong")
    explorer.pin()
    explorer.play()
    explorer.reset()
    assert explorer.state == first
    assert explorer.pinned is None and explorer.scene is None and not explorer.lecture.play.playing
    assert explorer.m == 120
    np.testing.assert_array_equal(explorer.sweep.X_train, X_train)
    explorer.lecture.reset_button.click()            # the button does the same
    assert explorer.state == first and explorer.error_box.value == ""


def test_css_classes_name_the_lecture_controls(explorer):
    classes = {c for w in (explorer.lecture.row, explorer.lecture.pinned_box) for c in w._dom_classes}
    classes |= {c for w in explorer.lecture.row.children for c in w._dom_classes}
    assert {"regcourse-scenes", "regcourse-play", "regcourse-speed", "regcourse-pin", "regcourse-reset",
            "regcourse-pinned"} <= classes
    assert isinstance(explorer.lecture.scene_buttons, widgets.ToggleButtons)
    assert explorer.lecture.row in explorer.widget.children and "regcourse-explorer" in explorer.widget._dom_classes


# --- the dataset menu of a notebook's explorer; noise and training-set size ---

def test_a_notebooks_explorer_offers_its_data_and_the_course_datasets():
    split, fit = notebook_fit()
    explorer = explore.NetworkExplorer.from_fit(fit, split, dataset="two regions", seed=5, render="image",
                                                panels=("boundary",), resolution=30)
    menu = explorer.dataset_menu
    assert not menu.disabled
    assert menu.options[0] == ("the notebook's data: two regions", "two regions")
    assert [value for _, value in menu.options[1:]] == [d for d in data.DATASETS if d != "two regions"]
    own = explorer.sweep
    assert explorer.noise_slider.layout.display == "none" and explorer.size_menu.layout.display == "none"
    menu.value = "moons"                             # trained on demand, on as many examples, from the same seed
    assert explorer.error_box.value == "" and explorer.state["dataset"] == "moons"
    X, Y = data.load("moons", m=100, seed=5)
    moons = data.train_dev_test_split(X, Y, dev=split.X_dev.shape[1] / 100, test=split.X_test.shape[1] / 100, seed=5)
    np.testing.assert_array_equal(explorer.sweep.X_train, moons.X_train)
    moons_fit = network.train(moons.X_train, moons.Y_train, [2, 6, 1], lambd=np.array(LAMBDAS), learning_rate=0.5,
                              num_iterations=150, seed=5)
    explorer.set_lambda(0.1)
    assert explorer.state["train_accuracy"] == moons_fit[2].accuracy(moons.X_train, moons.Y_train)
    assert explorer.noise_slider.layout.display is None and explorer.size_menu.value == 100
    explorer.set_dataset("two regions")              # back to the notebook's own run, not trained again
    assert explorer.sweep is own
    with pytest.raises(ValueError, match="dataset must be one of"):
        explorer.set_dataset("mnist")


def test_a_notebooks_logistic_explorer_fits_a_course_dataset_on_demand():
    X, Y = data.load("circles", m=100, seed=2)
    split = data.train_dev_test_split(X, Y, seed=2)
    fits = logistic.fit_path(data.polynomial_features(split.X_train, 2), split.Y_train, LAMBDAS)
    explorer = explore.LogisticExplorer.from_fits(fits, split, render="image", panels=("boundary",), resolution=30)
    assert explorer.dataset_menu.options[0] == ("the notebook's data", "notebook data")
    explorer.set_dataset("xor")
    assert explorer.state["dataset"] == "xor" and explorer.sweep.X_train.shape[1] == split.X_train.shape[1]


def test_noise_and_size_remake_the_data_shown():
    explorer = net()
    explorer.set_data(noise=0.0, m=200)
    assert explorer.m == 200 and explorer.noise_slider.value == 0.0 and explorer.size_menu.value == 200
    X, Y = data.load("moons", m=200, seed=3, noise=0.0)
    expected = data.train_dev_test_split(X, Y, seed=3)
    np.testing.assert_array_equal(explorer.sweep.X_train, expected.X_train)
    explorer.set_dataset("two regions")               # noise is each dataset's own: flipped labels here
    X, Y = data.load("two regions", m=200, seed=3, flip=0.0)
    np.testing.assert_array_equal(explorer.sweep.Y_train, data.train_dev_test_split(X, Y, seed=3).Y_train)
    explorer.noise_slider.value = 0.25                # the controls do the same
    X, Y = data.load("two regions", m=200, seed=3, flip=0.25)
    np.testing.assert_array_equal(explorer.sweep.Y_train, data.train_dev_test_split(X, Y, seed=3).Y_train)
    explorer.size_menu.value = 100
    X, Y = data.load("two regions", m=100, seed=3, flip=0.25)
    np.testing.assert_array_equal(explorer.sweep.X_train, data.train_dev_test_split(X, Y, seed=3).X_train)


def test_noise_starts_at_the_datasets_own():
    explorer = net(data_options={"noise": 0.3})
    assert explorer.noise_slider.value == 0.3
    explorer.set_dataset("two regions")               # "noise" is not a two-regions option: its default flip
    assert explorer.noise_slider.value == 0.1


@pytest.mark.parametrize("kwargs, error, match", [
    ({"m": 5}, ValueError, "m must be"),
    ({"m": 10**6}, ValueError, "m must be <= 5000"),
    ({"noise": -0.1}, ValueError, "noise"),
    ({"noise": "lots"}, TypeError, "noise"),
])
def test_set_data_rejects_bad_values(explorer, kwargs, error, match):
    with pytest.raises(error, match=match):
        explorer.set_data(**kwargs)


def test_a_failed_remake_keeps_what_was_shown(explorer, monkeypatch):
    shown = explorer.state
    monkeypatch.setattr(data, "train_dev_test_split", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError, match="boom"):
        explorer.set_data(noise=0.45)
    assert "boom" in explorer.error_box.value and explorer.state == shown
    monkeypatch.undo()
    assert explorer.noise_slider.value == explorer.source.noise_of("moons") != 0.45


# --- the status line ---

def test_status_line_reads_values_below_its_precision_as_such():
    """The issue's numbers at λ = 100: penalty 1.84e-37, Σ‖W‖F² = 6.64e-37 are "< 1e-6", never printed."""
    status = explore.Status(lambd=100.0, penalty_kind="l2", dataset="two regions", train_accuracy=0.5,
                            dev_accuracy=0.5, data_loss=0.693, penalty=1.84e-37, sum_frobenius_sq=6.64e-37,
                            sum_abs=1e-18, n_zero_weights=0, n_weights=10, best_lambd=1.0, diverged=False,
                            divergence=None)
    line = status.html([])
    assert "penalty &lt; 1e-6" in line and "<sub>F</sub><sup>2</sup> &lt; 1e-6" in line
    assert "e-37" not in line and "= &lt;" not in line
    l1 = explore.Status(**{**status.__dict__, "penalty_kind": "l1", "penalty": 0.0, "sum_abs": 0.0}).html([], "w")
    assert "‖w‖<sub>1</sub> = 0" in l1 and "‖w‖<sup>2</sup>" not in l1
