"""TrainingExplorer: live training driven through its Python handle (no browser)."""

from __future__ import annotations

import asyncio
import io

import numpy as np
import pytest

from regcourse import network
from regcourse.explore import TrainingExplorer

SMALL = {"layer_dims": (2, 8, 1), "m": 120, "resolution": 20, "dpi": 40, "iterations_per_frame": 5}


@pytest.fixture
def explorer():
    e = TrainingExplorer("moons", **SMALL)
    yield e
    e.close()


def warm_start(e, params, lambd, penalty="l2", learning_rate=0.5):
    return network.train(e.split.X_train, e.split.Y_train, params=params, lambd=lambd, penalty=penalty,
                         learning_rate=learning_rate, num_iterations=SMALL["iterations_per_frame"],
                         record_every=SMALL["iterations_per_frame"])


def test_step_frames_advances_the_iteration_and_the_history(explorer):
    assert explorer.state["iteration"] == 0
    assert explorer.step_frames(3) == 3
    assert explorer.state["iteration"] == 15
    assert explorer.history["iteration"] == [0, 5, 10, 15]
    assert explorer.state["data_loss"] < explorer.history["data_loss"][0]     # it learns


def test_lambda_change_mid_run_is_a_warm_start_from_the_current_weights_and_is_marked(explorer):
    explorer.step_frames(4)
    before = {key: value.copy() for key, value in explorer.params.items()}
    assert explorer.set_lambda(1.0) == 1.0
    explorer.step_frames(1)
    expected = warm_start(explorer, before, 1.0)
    for key in before:
        np.testing.assert_array_equal(explorer.params[key], expected.params[key])
    assert explorer.state["changes"] == [(20, "λ=1")]
    assert explorer.state["iteration"] == 25            # no restart


def test_penalty_and_learning_rate_changes_are_warm_starts_too(explorer):
    explorer.step_frames(2)
    before = {key: value.copy() for key, value in explorer.params.items()}
    explorer.set_lambda(0.1)
    explorer.set_penalty("l1")
    explorer.set_learning_rate(0.2)
    explorer.step_frames(1)
    expected = warm_start(explorer, before, 0.1, "l1", explorer.learning_rate)
    for key in before:
        np.testing.assert_array_equal(explorer.params[key], expected.params[key])
    assert len(explorer.changes) == 1 and explorer.changes[0][0] == 10      # same iteration: one mark
    assert "L1" in explorer.changes[0][1] and "α=" in explorer.changes[0][1]


def test_raising_lambda_makes_the_penalty_jump_and_the_weights_shrink(explorer):
    explorer.step_frames(20)
    assert explorer.state["penalty_value"] == 0.0
    norms_before = np.array(explorer.state["frobenius"])
    explorer.set_lambda(30.0)
    explorer.step_frames(1)
    assert explorer.state["penalty_value"] > 0.05
    explorer.step_frames(20)
    assert np.all(np.array(explorer.state["frobenius"]) < norms_before)


def test_frames_change_the_picture_and_stay_finite(explorer):
    first = explorer.to_array()
    explorer.step_frames(5)
    second = explorer.to_array()
    assert first.shape == second.shape and first.dtype == np.uint8
    assert np.any(first != second)


def test_divergence_at_a_large_learning_rate_stops_and_is_reported(explorer):
    explorer.step_frames(2)
    explorer.set_learning_rate(50)
    done = explorer.step_frames(50)
    state = explorer.state
    assert done < 50 and state["diverged"]
    assert "learning rate" in state["divergence"]
    assert "diverged" in explorer.status_line.value
    assert all(np.isfinite(value).all() for value in explorer.params.values())
    assert np.isfinite(state["data_loss"]) and np.isfinite(state["sum_frobenius_sq"])
    assert not np.isnan(explorer.to_array().astype(float)).any()
    assert all(np.isfinite(explorer.history[key]).all() for key in ("data_loss", "penalty", "frobenius"))


def test_play_runs_on_the_event_loop_and_pause_stops_it(explorer, in_fresh_thread):
    async def scenario():
        explorer.play()
        assert explorer.playing and explorer.play_button.value
        await asyncio.sleep(0.5)
        explorer.pause()
        stopped_at = explorer.iteration
        await asyncio.sleep(0.3)
        return stopped_at

    stopped_at = in_fresh_thread(asyncio.run, scenario())
    assert stopped_at > 0
    assert explorer.iteration == stopped_at
    assert not explorer.playing and not explorer.play_button.value


def test_the_play_button_plays_and_pauses(explorer, in_fresh_thread):
    async def scenario():
        explorer.play_button.value = True
        await asyncio.sleep(0.3)
        assert explorer.playing
        explorer.play_button.value = False
        return explorer._task

    assert in_fresh_thread(asyncio.run, scenario()) is None
    assert not explorer.playing


def test_close_stops_the_task_and_closes_the_widgets(in_fresh_thread):
    e = TrainingExplorer("moons", **SMALL)

    async def scenario():
        e.play()
        task = e._task
        await asyncio.sleep(0.3)
        e.close()
        await asyncio.sleep(0.1)
        return task, [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]

    task, others = in_fresh_thread(asyncio.run, scenario())
    assert task.cancelled() and others == []
    assert e.widget.comm is None and e.play_button.comm is None
    with pytest.raises(RuntimeError, match="closed"):
        e.step_frames(1)


def test_a_new_explorer_pauses_the_running_one(explorer, in_fresh_thread):
    async def scenario():
        explorer.play()
        await asyncio.sleep(0.2)
        other = TrainingExplorer("moons", **SMALL)
        playing = explorer.playing
        other.close()
        return playing

    assert in_fresh_thread(asyncio.run, scenario()) is False


def test_play_outside_an_event_loop_says_what_to_use(explorer, in_fresh_thread):
    with pytest.raises(RuntimeError, match="step_frames"):
        in_fresh_thread(explorer.play)


def test_reset_starts_again_from_the_seeded_weights(explorer):
    start = {key: value.copy() for key, value in explorer.params.items()}
    explorer.step_frames(3)
    explorer.set_lambda(1.0)
    explorer.reset()
    assert explorer.state["iteration"] == 0 and explorer.changes == []
    for key in start:
        np.testing.assert_array_equal(explorer.params[key], start[key])


@pytest.mark.parametrize("kwargs, error, words", [
    ({"dataset": "spiral"}, ValueError, "dataset"),
    ({"layer_dims": (3, 4, 1)}, ValueError, "layer_dims"),
    ({"learning_rate": 0}, ValueError, "learning_rate"),
    ({"lambd": -1}, ValueError, "lambd"),
    ({"penalty": "l3"}, ValueError, "penalty"),
    ({"activation": "sigmoid"}, ValueError, "activation"),
    ({"iterations_per_frame": 0}, ValueError, "iterations_per_frame"),
    ({"iterations_per_frame": 2.5}, TypeError, "iterations_per_frame"),
    ({"resolution": 1}, ValueError, "resolution"),
])
def test_bad_arguments_name_the_argument(kwargs, error, words):
    with pytest.raises(error, match=words):
        TrainingExplorer(**{"dataset": "moons", **SMALL, **kwargs})


def test_bad_settings_mid_run_name_the_argument(explorer):
    with pytest.raises(ValueError, match="lambd"):
        explorer.set_lambda(-0.5)
    with pytest.raises(ValueError, match="kind"):
        explorer.set_penalty("l0")
    with pytest.raises(ValueError, match="learning_rate"):
        explorer.set_learning_rate(1e3)
    with pytest.raises(TypeError, match="n must be an integer"):
        explorer.step_frames(1.5)


def png_pixels(data: bytes) -> np.ndarray:
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def test_the_picture_is_shown_before_the_first_frame_and_after_reset(explorer):
    shown = png_pixels(explorer.view.widget.value)
    assert shown.shape[:2] == explorer.to_array().shape[:2]
    explorer.step_frames(2)
    explorer.reset()
    assert np.array_equal(png_pixels(explorer.view.widget.value), shown)


def test_axes_that_grow_are_redrawn_exactly_as_a_full_draw_would(explorer):
    grown = []
    redraw_axes = explorer.view.redraw_axes
    explorer.view.redraw_axes = lambda axes: (grown.append(len(axes)), redraw_axes(axes))
    explorer.step_frames(15)
    explorer.set_lambda(1.0)                # the penalty axes grows from 0
    explorer.step_frames(15)
    assert grown, "no axes grew: the test shows nothing"
    canvas = explorer.figure.canvas
    partial = np.asarray(canvas.buffer_rgba()).copy()
    canvas.draw()                           # the whole figure from scratch, then the same dynamic artists
    explorer.view.redraw()
    assert np.array_equal(partial, np.asarray(canvas.buffer_rgba()))


def test_changes_while_playing_draw_nothing_themselves_the_next_frame_shows_them(explorer, in_fresh_thread):
    rebuilt, drawn_at = [], []
    explorer.view.draw = lambda make_panels: rebuilt.append(1)
    explorer.view.redraw = lambda: drawn_at.append(explorer.iteration)

    async def scenario():
        explorer.play()
        await asyncio.sleep(0.2)
        frames = len(drawn_at)
        for lambd in (0.01, 0.1, 1.0):              # three key presses on the λ slider
            explorer.set_lambda(lambd)
        assert len(drawn_at) == frames              # a change costs no drawing while frames come anyway
        await asyncio.sleep(0.3)
        explorer.pause()

    in_fresh_thread(asyncio.run, scenario())
    assert not rebuilt
    (changed_at, label), = explorer.changes
    assert label == "λ=0.01, λ=0.1, λ=1"
    assert drawn_at[-1] > changed_at                # frames after the change drew its mark


def test_step_frames_spans_the_iteration_axis_of_the_whole_run_from_its_first_frame(explorer):
    """A run of frames asked for from code (a notebook's replay) draws the iteration axis once, for the
    whole run, instead of re-rendering it at every doubling."""
    axes = list(explorer._curves)
    draw, spans = explorer._draw, []
    explorer._draw = lambda until=0: (draw(until), spans.append({ax.get_xlim() for ax in axes}))
    explorer.step_frames(12)                                # 60 iterations: past 5, 10, 20 and 40
    assert spans[0] == spans[-1] and len(spans) == 12
    (low, high), = spans[0]
    assert low == 0 and high >= 60
