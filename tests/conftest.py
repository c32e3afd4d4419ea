"""Shared test helpers and fixtures.

Each block belongs to one part of the package; add a new block rather than growing another's.
"""

import numpy as np
import pytest


# --- core (data, penalties, logistic, network, gradcheck, optimizers) -------------------------------

def _central_difference(f, x, eps=1e-6):
    """An independent centred difference (f(x + eps e_i) - f(x - eps e_i)) / 2 eps for every entry of x.

    x is an array (the result has its shape) or a dict of arrays (the result has the same keys with
    a "d" prefix, as backward's gradients do). x itself is never modified.
    """
    if isinstance(x, dict):
        return {"d" + key: _central_difference(lambda value, key=key: f({**x, key: value}), value, eps)
                for key, value in x.items()}
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += eps
        minus[idx] -= eps
        grad[idx] = (f(plus) - f(minus)) / (2 * eps)
    return grad


@pytest.fixture
def central_difference():
    """The finite-difference gradient of f at x: central_difference(f, x, eps=1e-6)."""
    return _central_difference


# --- event loops -----------------------------------------------------------------------------------

def _in_fresh_thread(fn, *args):
    """fn(*args) in a new thread, which has no event loop of its own; its result, or its exception.

    Playwright's sync API (the session-scoped browser fixture) keeps an asyncio loop running in the
    main thread for the rest of the session, so asyncio.run() there fails and code that looks for a
    running loop finds Playwright's. A thread started here sees neither.
    """
    import threading

    outcome = {}

    def target():
        try:
            outcome["value"] = fn(*args)
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="fresh-event-loop")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture
def in_fresh_thread():
    """in_fresh_thread(fn, *args): fn(*args) in a thread with no event loop, e.g. (asyncio.run, coro)."""
    return _in_fresh_thread
