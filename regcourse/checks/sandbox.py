"""How a checker runs a student's function: a sandbox that turns every way a call can go wrong into one sentence.

`run_student(student, args, name, ...)` calls ``student(*args)`` once and returns ``(answer, None)`` or
``(None, verdict)``:

- a time limit ends an endless loop ("did not finish within 5 s: an endless loop?");
- what the function prints goes to a `Printed` buffer that keeps only the beginning (see `Printed.excerpt`);
- ``raise NotImplementedError`` means "not written yet"; any other error, ``sys.exit()`` included, becomes
  one sentence with the line of the student's own code where it happened (never a line of this package);
- the answer comes back in plain types (NumPy scalars as Python numbers, array-likes as arrays), so an
  answer that cannot be read as a number fails here, in one sentence, not later in a comparison.

Ctrl-C (KeyboardInterrupt) is never caught: it stops the check, as it stops any cell.
`changed_argument` tells whether the call modified one of its inputs.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import numbers
import os
import signal
import site
import sysconfig
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

REPEAT = 0.1     # seconds between repeated time-outs, so that a bare `except:` inside a loop cannot swallow it


class TimeUp(BaseException):
    """Raised inside a student's function when its time is up. A BaseException, like KeyboardInterrupt,
    so that an `except Exception:` in the student's code does not swallow it."""


# --- the time limit --------------------------------------------------------------------------------

class _Alarm:
    """TimeUp in the main thread after `seconds`, by SIGALRM (Linux, macOS: where a Jupyter kernel runs cells)."""

    def __init__(self, seconds: float):
        self.seconds, self.active, self.stopped = seconds, False, False

    def _ring(self, signum, frame):
        if self.active:
            raise TimeUp

    def start(self) -> None:
        self.previous_handler = signal.signal(signal.SIGALRM, self._ring)
        self.active, self.started = True, time.monotonic()
        self.previous_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds, REPEAT)

    def stop(self) -> None:
        self.active = False          # first: from here on a late signal does nothing
        if self.stopped:
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous_handler if self.previous_handler is not None else signal.SIG_DFL)
        delay, interval = self.previous_timer   # give back a timer someone else had set
        if delay > 0:
            signal.setitimer(signal.ITIMER_REAL, max(delay - (time.monotonic() - self.started), 1e-3), interval)
        self.stopped = True


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    """CPython's PyThreadState_SetAsyncExc: raise `exception` in that thread at its next bytecode
    (None forgets one that has not landed yet)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               None if exception is None else ctypes.py_object(exception))


class _Watchdog:
    """TimeUp in the calling thread after `seconds`, from a watchdog thread: for checks run outside the main
    thread, or where SIGALRM does not exist (Windows)."""

    def __init__(self, seconds: float):
        self.seconds, self.active = seconds, False
        self.lock, self.done = threading.Lock(), threading.Event()

    def _watch(self) -> None:
        wait = self.seconds
        while not self.done.wait(wait):
            with self.lock:
                if self.active:
                    _raise_in_thread(self.target, TimeUp)
            wait = REPEAT

    def start(self) -> None:
        self.target, self.active = threading.get_ident(), True
        threading.Thread(target=self._watch, name="regcourse-check-time-limit", daemon=True).start()

    def stop(self) -> None:
        with self.lock:
            if self.active:
                self.active = False
                self.done.set()
                _raise_in_thread(self.target, None)


def _timer(seconds: float) -> _Alarm | _Watchdog:
    """A time limit for the calling thread: `start()` it before the call, `stop()` it after (twice is fine)."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _Alarm(seconds)
    return _Watchdog(seconds)


# --- printing ---------------------------------------------------------------------------------------

class Printed(io.TextIOBase):
    """Stands in for sys.stdout and sys.stderr while a student's function runs: it keeps the first
    KEEP characters and counts the lines, so a function printing 20,000 lines costs nothing."""

    KEEP = 4000

    def __init__(self):
        super().__init__()
        self._head: list[str] = []
        self._kept = self._newlines = 0
        self._open_line = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            self._newlines += text.count("\n")
            self._open_line = not text.endswith("\n")
            if self._kept < self.KEEP:
                self._head.append(text[:self.KEEP - self._kept])
                self._kept += len(self._head[-1])
        return len(text)

    @property
    def lines(self) -> int:
        return self._newlines + self._open_line

    def excerpt(self, name: str, max_lines: int = 8, width: int = 100) -> str:
        """'name printed 20,000 lines; the first 8:' and those lines, indented; '' if nothing was printed."""
        if not self.lines:
            return ""
        shown = "".join(self._head).splitlines()[:max_lines]
        shown = [line if len(line) <= width else line[:width - 1] + "…" for line in shown]
        plural = "s" if self.lines > 1 else ""
        head = (f"{name} printed {self.lines:,} line{plural}:" if len(shown) >= self.lines else
                f"{name} printed {self.lines:,} line{plural}; the first {len(shown)}:")
        return "\n".join([head] + ["    " + line for line in shown])


# --- where an error happened ---------------------------------------------------------------------------

def _roots() -> tuple[str, ...]:
    paths = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths |= set(site.getsitepackages()) | {site.getusersitepackages(), str(Path(__file__).parents[1])}
    return tuple(os.path.realpath(p) + os.sep for p in paths)


_NOT_STUDENTS = _roots()      # the standard library, installed packages and regcourse itself


def _in_students_code(filename: str) -> bool:
    if filename.startswith("<"):          # a notebook cell in older IPython, or exec(): the student's
        return not filename.startswith("<frozen")
    return not os.path.realpath(filename).startswith(_NOT_STUDENTS)


def _where(error: BaseException) -> str:
    """' (line 3 of your code)': the deepest line of the student's own code in the traceback, or '' if none."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if _in_students_code(frame.filename)]
    return f" (line {lines[-1]} of your code)" if lines else ""


def short(text: object, width: int = 160) -> str:
    """The first line of `text`, cut to `width` characters: what fits in a one-sentence verdict."""
    line = (str(text).strip().splitlines() or [""])[0]
    return line if len(line) <= width else line[:width - 1] + "…"


# --- the student's answer, in plain types ------------------------------------------------------------------

def plain(value):
    """NumPy scalars as Python numbers, array-likes as float arrays; tuples, lists and dicts kept, their items
    made plain. Raises whatever the conversion raises (the caller reports it)."""
    if isinstance(value, np.generic):     # first: np.float64 is also a float
        return value.item()
    if value is None or isinstance(value, (str, bool, int, float, complex)):
        return value
    if isinstance(value, np.ndarray):
        return np.array(value, dtype=float) if value.dtype == object else np.array(value)
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, numbers.Real):
        return float(value)
    return np.asarray(value, dtype=float)


# --- one call -------------------------------------------------------------------------------------------

def run_student(student: Callable, args: Sequence, name: str, *, time_limit: float,
                printed: Printed) -> tuple[object, str | None]:
    """Call student(*args) within `time_limit` seconds, its printing going to `printed`:
    (the answer in plain types, None), or (None, a one-sentence verdict) if it could not give one."""
    limit = _timer(time_limit)
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            limit.start()
            try:
                answer = student(*args)
                try:
                    return plain(answer), None
                except Exception as error:  # noqa: BLE001 — what the answer's own methods raise
                    return None, (f"{name} returned a value of type {type(answer).__name__}, which cannot be read "
                                  f"as a number or an array ({type(error).__name__}: {short(error)}).")
            finally:
                limit.stop()
    except NotImplementedError:
        return None, (f"{name} is not written yet: replace `raise NotImplementedError` with your code and "
                      f"run this cell again.")
    except TimeUp:
        limit.stop()
        return None, f"{name} did not finish within {time_limit:g} s: an endless loop?"
    except SystemExit as error:
        return None, (f"{name} called sys.exit(){_where(error)}, which would stop Python; a function "
                      f"returns its answer with `return`.")
    except Exception as error:  # noqa: BLE001 — the student's bug, reported in one sentence
        return None, f"{name} raised {type(error).__name__}: {short(error)}{_where(error)}."


# --- did the call change its inputs? ----------------------------------------------------------------------

def identical(a, b) -> bool:
    """True if a and b hold the same values: same types, arrays of the same shape, dtype and entries."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(identical(a[key], b[key]) for key in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(identical, a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return bool(a == b)


def changed_argument(before: Sequence, after: Sequence, names: Sequence[str]) -> str | None:
    """The name of the first argument whose value differs between `before` and `after`, or None."""
    for k, (old, new) in enumerate(zip(before, after)):
        if not identical(old, new):
            return names[k] if k < len(names) else f"number {k + 1}"
    return None
