"""Lecture controls of an explorer: scenes, Play through the λ grid, pin a λ beside the live one, Reset.

A scene is a preset an instructor clicks (or calls: ``explorer.show_scene("best on dev")``): a λ, and
the penalty when the scene says so. Three come with every explorer, read off the sweep shown:

    "no regularization"   λ = 0 (the smallest λ of the grid when 0 is not on it)
    "best on dev"         the dev-optimal λ of the grid (Sweep.best: diverged runs left out)
    "too strong"          the largest λ whose run did not diverge

and a notebook adds its own by name: ``scenes={"units fade": 3.0, "first exact zero": Scene(0.01, "l1")}``.

Play (``widgets.Play``) steps the slider's index through the grid in the browser (``jslink``): no kernel
round trip, so it also plays in a static page. Its speed is the Play's interval (ms per step), linked
in the browser to the `speed` box.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from .. import _validate as v
from .. import network
from .status import Status
from .sweep import Sweep

PLAY_INTERVAL = 500      # ms per λ step when playing
BUILT_IN_SCENES = ("no regularization", "best on dev", "too strong")
MAX_SCENES = 9           # the scene buttons stay one row (and keys 1-9 could name them)


@dataclass(frozen=True)
class Scene:
    """A preset: a λ (snapped to the explorer's grid when shown) and, if given, the penalty ("l2" or "l1")."""

    lambd: float
    penalty: str | None = None

    def __post_init__(self):
        v.lambd(self.lambd)
        if self.penalty is not None:
            v.choice("penalty", self.penalty, network.PENALTIES)


def built_in_scenes(sweep: Sweep) -> dict[str, Scene]:
    """The three scenes every explorer has, for the sweep shown (its penalty is kept)."""
    kept = sweep.lambdas[~sweep.diverged]
    return {"no regularization": Scene(float(sweep.lambdas[0])),
            "best on dev": Scene(float(sweep.lambdas[sweep.best])),
            "too strong": Scene(float(kept[-1] if kept.size else sweep.lambdas[-1]))}


def check_scenes(scenes) -> dict[str, Scene]:
    """The `scenes` argument: {name: λ or Scene}, names not those of the built-in scenes."""
    if scenes is None:
        return {}
    if not isinstance(scenes, dict):
        raise TypeError(f"scenes must be a dict {{name: λ or Scene(λ, penalty)}}, e.g. {{'units fade': 3.0}}, "
                        f"got {type(scenes).__name__}")
    checked = {}
    for name, scene in scenes.items():
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"scenes: every name must be a non-empty string, got {name!r}")
        if name in BUILT_IN_SCENES:
            raise ValueError(f"scenes: {name!r} is a built-in scene; give yours another name")
        if not isinstance(scene, Scene):
            if isinstance(scene, bool) or not isinstance(scene, (int, float)):
                raise TypeError(f"scenes[{name!r}] must be a λ (a number) or a Scene(λ, penalty), got {scene!r}")
            scene = Scene(float(scene))
        checked[name] = scene
    if len(BUILT_IN_SCENES) + len(checked) > MAX_SCENES:
        raise ValueError(f"scenes: at most {MAX_SCENES - len(BUILT_IN_SCENES)} of your own (with the "
                         f"{len(BUILT_IN_SCENES)} built-in ones they fill one row), got {len(checked)}")
    return checked


@dataclass
class LectureControls:
    """The widgets of the lecture row: scene buttons, Play and its speed, pin, reset; the pinned picture."""

    scene_buttons: widgets.ToggleButtons
    play: widgets.Play
    speed: widgets.BoundedIntText
    pin_button: widgets.ToggleButton
    reset_button: widgets.Button
    pinned_label: widgets.HTML
    pinned_image: widgets.Image
    pinned_box: widgets.VBox
    row: widgets.HBox
    links: list

    @classmethod
    def build(cls, names: list[str], slider: widgets.SelectionSlider) -> LectureControls:
        scene_buttons = widgets.ToggleButtons(options=names, value=None, description="scenes",
                                              style={"button_width": "auto"})
        play = widgets.Play(value=slider.index, min=0, max=len(slider.options) - 1, step=1,
                            interval=PLAY_INTERVAL, description="play λ", show_repeat=False)
        speed = widgets.BoundedIntText(value=PLAY_INTERVAL, min=50, max=5000, step=50, description="ms / step",
                                       layout=widgets.Layout(width="150px"))
        pin_button = widgets.ToggleButton(value=False, description="pin λ", icon="thumb-tack",
                                          tooltip="keep this λ's picture beside the live one")
        reset_button = widgets.Button(description="reset", icon="undo",
                                      tooltip="back to the first λ, penalty and data")
        pinned_label = widgets.HTML()
        pinned_image = widgets.Image(format="png", layout=widgets.Layout(width="auto", max_width="100%",
                                                                         height="auto"))     # never above its size
        pinned_box = widgets.VBox([pinned_label, pinned_image],
                                  layout=widgets.Layout(display="none", max_width="50%", flex="0 1 auto"))
        for w, name in ((scene_buttons, "scenes"), (play, "play"), (speed, "speed"), (pin_button, "pin"),
                        (reset_button, "reset"), (pinned_box, "pinned")):
            w.add_class(f"regcourse-{name}")
        links = [widgets.jslink((slider, "index"), (play, "value")),      # Play moves the slider in the browser
                 widgets.jslink((speed, "value"), (play, "interval"))]    # (and starts where the slider is)
        row = widgets.HBox([scene_buttons, play, speed, pin_button, reset_button],
                           layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        return cls(scene_buttons, play, speed, pin_button, reset_button, pinned_label, pinned_image, pinned_box,
                   row, links)


class Lecturing:
    """The lecture controls' methods, part of every `Explorer` (widget.py), which supplies what they use:
    `sweep`, `lecture` (the `LectureControls`), `set_lambda`, `set_penalty`, `state`, `view` and the error box."""

    @property
    def scenes(self) -> dict[str, Scene]:
        """The scenes, by name: the built-in ones read off the sweep shown, then the explorer's own."""
        return {**built_in_scenes(self.sweep), **self._own_scenes}

    def show_scene(self, name: str) -> float:
        """Show the scene `name` (its penalty first, when it has one); returns the λ shown. The scene's button
        stays selected until λ, the penalty or the data move away from it."""
        scenes = self.scenes
        if name not in scenes:
            raise ValueError(f"scene must be one of {list(scenes)}, got {name!r}")
        scene = scenes[name]
        if scene.penalty is not None and scene.penalty != self.sweep.penalty:
            self.set_penalty(scene.penalty)
        lam = self.set_lambda(scene.lambd)
        self._scene_follows(name)
        return lam

    @property
    def scene(self) -> str | None:
        """The name of the scene shown, or None once λ, the penalty or the data moved away from it."""
        return self._scene_shown

    def play(self, interval: int | None = None) -> None:
        """Play through the λ grid in the browser, from the λ shown (from the first λ when at the last), one
        step every `interval` ms (default: the speed box's). The kernel hears each step, as a slider move."""
        if interval is not None:
            self.lecture.speed.value = self.lecture.play.interval = v.integer(
                "interval", interval, minimum=self.lecture.speed.min, maximum=self.lecture.speed.max)
        k = self._index()
        if k == len(self.lambdas) - 1:
            self.set_lambda(self.lambdas[0])
        self.lecture.play.value = self._index()
        self.lecture.play.playing = True

    def pause(self) -> None:
        """Stop playing (λ stays where it is)."""
        self.lecture.play.playing = False

    def pin(self) -> dict:
        """Keep the picture of the λ shown beside the live one, until `unpin()`; returns its `state`. A pinned
        picture stays when the penalty or the data change: pin L2, switch to L1, compare."""
        with self._errors_shown(reraise=True):
            state, picture = self.state, self.view.png()
        lecture = self.lecture
        lecture.pinned_image.value = picture
        lecture.pinned_label.value = Status(**state).pinned_html()
        lecture.pinned_box.layout.display = None
        self._pinned = state
        self._button_follows(lecture.pin_button, self._on_pin, True)
        return state

    def unpin(self) -> None:
        """Remove the pinned picture."""
        self._pinned = None
        self.lecture.pinned_box.layout.display = "none"
        self.lecture.pinned_image.value = b""
        self._button_follows(self.lecture.pin_button, self._on_pin, False)

    @property
    def pinned(self) -> dict | None:
        """The `state` of the pinned λ, or None."""
        return None if self._pinned is None else dict(self._pinned)

    def reset(self) -> None:
        """Back to how the explorer started: its first data, penalty and λ; not playing, nothing pinned."""
        self.pause()
        self.unpin()
        dataset, penalty, lam = self._first
        self._set_course(self._first_course)
        if (dataset, penalty) != (self.sweep.dataset, self.sweep.penalty):
            self._switch(dataset, penalty)
        self.set_lambda(lam)
        self._scene_follows(None)

    # --- their buttons ---

    def _on_scene(self, change):
        """A scene button was clicked."""
        if change["new"] is not None:
            with self._errors_shown():
                try:
                    self.show_scene(change["new"])
                except Exception:
                    self._scene_follows(None)
                    raise

    def _on_pin(self, change):
        if not change["new"]:
            return self.unpin()
        try:
            self.pin()
        except Exception:                        # pin() has shown it
            self._button_follows(self.lecture.pin_button, self._on_pin, False)

    def _on_reset(self, button):
        with self._errors_shown():
            self.reset()

    def _scene_follows(self, name: str | None) -> None:
        """Select the scene button `name` (None: none), without calling _on_scene."""
        self._scene_shown = name
        self._button_follows(self.lecture.scene_buttons, self._on_scene, name)
