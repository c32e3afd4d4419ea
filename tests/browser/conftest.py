"""Fixtures for the real-browser tests: JupyterLab and Voila driven by headless Chromium.

Everything runs on 127.0.0.1 with a free port and a random token (auth stays on). The
servers get private Jupyter/IPython/matplotlib folders and HOME under pytest's temp dir,
and serve copies of the notebooks with their outputs stripped: a run never touches the
committed notebooks or the user's home.

Chromium: /usr/bin/chromium, or the path in REGCOURSE_CHROMIUM. When it is missing the
browser tests are skipped with a loud warning in the terminal summary, except under
CI=true, where they fail (CI must run them).

Artifacts (screenshots, server logs, latency.json) go to test-artifacts/browser/.
"""

from __future__ import annotations

import atexit
import datetime
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from browser_support import (
    ARTIFACTS, CHROMIUM_ARGS, CHROMIUM_DEFAULT, PAGE_JS, VIEWPORT, ConsoleWatch, Server,
    explorer_notebooks, find_executable, free_port, in_ci, notebook_facts, notebooks_dir,
    private_jupyter_env, strip_notebook,
)

SKIPS = pytest.StashKey[list]()
LATENCY = pytest.StashKey[dict]()


# ------------------------------------------------------------------------------ hooks

def pytest_configure(config):
    config.stash[SKIPS] = []
    config.stash[LATENCY] = {}


def pytest_generate_tests(metafunc):
    """`notebook`: the name of every notebook that uses regcourse.explore (grows with the course)."""
    if "notebook" in metafunc.fixturenames:
        names = [p.name for p in explorer_notebooks()]
        metafunc.parametrize("notebook", names, ids=[n.removesuffix(".ipynb") for n in names])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skips = config.stash.get(SKIPS, [])
    latency = config.stash.get(LATENCY, {})
    tr = terminalreporter
    if skips:
        tr.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        for what, reason, fix in dict.fromkeys(skips):
            tr.write_line(f"WARNING: {what} did NOT run: {reason}", red=True, bold=True)
            tr.write_line(f"{fix} Under CI=true this is an error.", red=True)
    if latency:
        tr.write_sep("-", "explorer latency: slider keypress -> new pixels (headless Chromium)")
        for mode, rec in latency.items():
            px, dom = rec.get("keypress_to_pixels_ms"), rec.get("keypress_to_dom_ms")
            frames = rec.get("frames_to_pixels")
            if not (px and dom and frames):
                tr.write_line(f"{mode:<10} {rec.get('notebook', '?')}: no pixel change seen")
                continue
            tr.write_line(f"{mode:<10} {rec.get('notebook', '?')}: over {px['n']} presses, new picture in the DOM "
                          f"median {dom['median']:.1f} ms [max {dom['max']:.1f}], on screen in frame "
                          f"{frames['median']:.0f} (median) [max {frames['max']:.0f}], clock to that frame "
                          f"median {px['median']:.0f} ms [{px['min']:.0f}–{px['max']:.0f}]")
        tr.write_line(f"(recorded in {ARTIFACTS / 'latency.json'})")


# --------------------------------------------------------------------- environment

@pytest.fixture(scope="session")
def chromium_path(pytestconfig) -> str:
    """Chromium's path; fails under CI=true and skips (loudly) elsewhere when it is missing."""
    path = os.environ.get("REGCOURSE_CHROMIUM") or CHROMIUM_DEFAULT
    problem = None
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        problem = (f"Chromium not found at {path} "
                   f"({'from REGCOURSE_CHROMIUM' if os.environ.get('REGCOURSE_CHROMIUM') else 'default'})")
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:
            problem = f"the playwright package is missing ({exc}); pip install -e '.[test]'"
    if problem:
        cannot_run(pytestconfig, "the real-browser tests (JupyterLab, Voila)", problem,
                   "Install Chromium (Debian: apt-get install -y chromium) or set REGCOURSE_CHROMIUM.")
    return path


def cannot_run(pytestconfig, what, problem, fix):
    """Fail under CI=true; elsewhere skip, and repeat the warning in the terminal summary."""
    if in_ci():
        pytest.fail(f"CI=true and {what} cannot run: {problem}", pytrace=False)
    pytestconfig.stash[SKIPS].append((what, problem, fix))
    pytest.skip(f"SKIPPED: {what} — {problem}")


@pytest.fixture(scope="session")
def hub_proxy(pytestconfig, chromium_path) -> str:
    """configurable-http-proxy for the JupyterHub test (`python3 course.py test` puts it in .venv)."""
    path = os.environ.get("REGCOURSE_CHP") or str(Path(sys.prefix) / "node_modules" / ".bin"
                                                    / "configurable-http-proxy")
    try:
        import jupyterhub  # noqa: F401
        problem = None if os.access(path, os.X_OK) else f"configurable-http-proxy not found at {path}"
    except ImportError as exc:
        problem = f"the jupyterhub package is missing ({exc})"
    if problem:
        cannot_run(pytestconfig, "the JupyterHub test", problem,
                   "Run it through `python3 course.py test`, which installs the hub extra and "
                   "`npm install configurable-http-proxy` into .venv (npm needed), or set REGCOURSE_CHP.")
    return path


@pytest.fixture(scope="session")
def sigterm_raises():
    """Turn SIGTERM (e.g. a CI job being cancelled) into KeyboardInterrupt, so fixture teardown
    still stops the servers; atexit is a last resort for anything left."""
    atexit.register(Server.stop_all)

    def handler(signum, frame):
        if Server.stopping:  # already cleaning up: let that finish, Server.stop raises after
            Server.sigterm_pending = True
            return
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends us at once
        raise KeyboardInterrupt(f"received signal {signum} (SIGTERM)")

    previous = signal.signal(signal.SIGTERM, handler)
    yield
    signal.signal(signal.SIGTERM, previous)
    Server.stop_all()


@pytest.fixture(scope="session")
def jupyter_env(tmp_path_factory, chromium_path, sigterm_raises) -> dict:
    """Environment for servers and browser: private folders under a temp dir, the venv first on PATH."""
    root = tmp_path_factory.mktemp("browser-env")
    env = private_jupyter_env(root)

    # JupyterLab user settings for the tests: no windowing (every cell attached), no autosave.
    # News and update checks are off through the course's own settings (deploy/jupyter-config),
    # which the tests check as they are.
    settings = root / "jupyter-config" / "lab" / "user-settings" / "@jupyterlab"
    for rel, value in {
        "notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    }.items():
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(json.dumps(value))
    env["JUPYTERLAB_SETTINGS_DIR"] = str(root / "jupyter-config" / "lab" / "user-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(root / "jupyter-config" / "lab" / "workspaces")

    # Build matplotlib's font cache now, so its one-off notice never lands in a notebook output.
    subprocess.run([find_executable("python"), "-c", "import matplotlib.font_manager"],
                   env=env, cwd=str(root), check=True, capture_output=True, timeout=300)
    return env


class NotebookCopies:
    """notebooks/ as it was when the session started: `dir` holds the stripped copies the servers
    run, `facts[name]` what the browser should see for each (taken from the same snapshot, so a
    notebook rewritten meanwhile by someone else cannot make the two disagree)."""

    def __init__(self, root):
        src = notebooks_dir()
        self.dir = root / "served"
        snapshot = root / "snapshot"
        for d in (self.dir, snapshot):
            shutil.copytree(src, d, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        self.facts = {}
        for nb in sorted(snapshot.glob("*.ipynb")):
            for attempt in range(10):  # a notebook caught half-written by its author: copy again
                try:
                    self.facts[nb.name] = notebook_facts(nb)
                    break
                except ValueError:
                    if attempt == 9:
                        raise
                    time.sleep(1)
                    shutil.copy2(src / nb.name, nb)
            strip_notebook(nb, self.dir / nb.name)


@pytest.fixture(scope="session")
def notebook_copies(tmp_path_factory, jupyter_env) -> NotebookCopies:
    """Stripped copies of the notebooks for the servers; the committed ones stay untouched."""
    return NotebookCopies(tmp_path_factory.mktemp("notebooks"))


# ------------------------------------------------------------------------------ servers

@pytest.fixture(scope="session")
def lab_server(jupyter_env, notebook_copies):
    """One JupyterLab server for all Lab tests."""
    port, token = free_port(), secrets.token_hex(24)
    # The token travels in the environment (JUPYTER_TOKEN), never in argv, where `ps` shows it.
    argv = [
        find_executable("jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--ServerApp.root_dir={notebook_copies.dir}", "--ServerApp.port_retries=0",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    server = Server("JupyterLab", argv, dict(jupyter_env, JUPYTER_TOKEN=token), notebook_copies.dir,
                    ARTIFACTS / "logs" / "lab-server.log", f"http://127.0.0.1:{port}", token)
    try:
        server.start("/api/status")
        yield server
    finally:
        server.stop()


@pytest.fixture
def voila_server(jupyter_env, notebook_copies, notebook):
    """A Voila server for this one notebook (as `voila NB`): its page is /?token=T."""
    port, token = free_port(), secrets.token_hex(24)
    # `--token` alone turns token login on; Voila then takes the token from JUPYTER_TOKEN.
    argv = [
        find_executable("voila"), str(notebook_copies.dir / notebook), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", "--token", "--show_tracebacks=True", "--Voila.port_retries=0",
    ]
    stem = notebook.removesuffix(".ipynb")
    server = Server(f"Voila {notebook}", argv, dict(jupyter_env, JUPYTER_TOKEN=token), notebook_copies.dir,
                    ARTIFACTS / "logs" / f"voila-{stem}.log", f"http://127.0.0.1:{port}", token)
    try:
        # Voila has no /api/status; /login answers once it serves. Without the token: with it,
        # /login redirects to / and that would run the notebook in a second kernel.
        server.start("/login", auth=False)
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------------------------ browser

@pytest.fixture(scope="session")
def browser(chromium_path, jupyter_env, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    env = dict(jupyter_env)
    env["TMPDIR"] = str(tmp_path_factory.mktemp("chromium-tmp"))
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS, env=env)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


class PageSession:
    """A fresh browser context + page with console capture."""

    def __init__(self, browser, origin):
        self.context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        self.context.add_init_script(PAGE_JS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.console = ConsoleWatch(self.page, origin)

    def close(self):
        try:
            self.context.close()
        except Exception:  # noqa: BLE001
            pass


@pytest.fixture
def open_page(browser):
    sessions = []

    def _open(origin):
        s = PageSession(browser, origin)
        sessions.append(s)
        return s

    yield _open
    for s in sessions:
        s.close()


@pytest.fixture
def record_latency(pytestconfig):
    """record_latency(mode, dict): kept for the terminal summary and written to latency.json."""

    def _record(mode, data):
        store = pytestconfig.stash[LATENCY]
        store[mode] = data
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        out = {"measured_at": datetime.datetime.now().isoformat(timespec="seconds"),
               "what": "from the keydown on the λ slider handle (headless Chromium): keypress_to_dom_ms, until "
                       "the explorer's DOM shows the new picture (MutationObserver); frames_to_pixels, the "
                       "animation frame that first shows it (1 = the next one); keypress_to_pixels_ms and "
                       "keypress_to_status_ms, the clock time to that frame (new picture / new status text)",
               **store}
        (ARTIFACTS / "latency.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")

    return _record
