"""Shared helpers for the real-browser tests (JupyterLab and Voila in headless Chromium).

Used by conftest.py (servers, browser) and by test_lab.py / test_voila.py (driving the
lambda explorers). Nothing here is collected as a test.

How an explorer is found and driven (CSS classes set by regcourse/explore.py):

    .regcourse-explorer   the whole box (one per explorer)
    .regcourse-lambda     the lambda SelectionSlider; its `.noUi-handle` takes the keys
    .regcourse-penalty    L1/L2 ToggleButtons (optional)
    .regcourse-dataset    dataset Dropdown (optional)
    .regcourse-status     status line: lambda, accuracies, losses (a Stack of one HTML per lambda,
                          flipped by the slider in the browser)
    .regcourse-figure     the plot: a Tab of one <img> per lambda (render="frames", the default:
                          all are in the page, only the selected one is displayed), an <img> or
                          an ipympl canvas
    .regcourse-progress   progress bar shown while the lambda grid is precomputed (optional)
    .regcourse-error      error box, must stay empty

A move counts as done when BOTH the status text and the figure pixels changed. Pixels are
compared by hashing the canvas' getImageData() (ipympl) or by the src of the <img> displayed
(each image view gets its own blob URL; hidden ones do not count), and an <img> counts only once
it is loaded (complete, with a natural width), polled once per animation frame inside the page.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
# The course's Jupyter settings (course.py puts them on JUPYTER_CONFIG_PATH for its servers).
COURSE_JUPYTER_CONFIG = REPO / "deploy" / "jupyter-config"
# The venv the tests run in: its bin/ has `jupyter` and `voila`.
VENV_BIN = Path(sys.executable).parent

CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}

# Generous limits (no test asserts on speed; these only stop a hung run).
SERVER_START_TIMEOUT = 90.0  # s
PAGE_READY_TIMEOUT = 240.0  # s, page load + kernel idle / Voila execution (100 s seen on a loaded 2-core machine)
RUN_ALL_TIMEOUT = 180.0  # s
EXPLORER_READY_TIMEOUT = 90.0  # s (precomputing the lambda grid)
MOVE_TIMEOUT_MS = 10_000  # one slider key: status and pixels must change within this
DATASET_TIMEOUT_MS = 90_000  # a dataset switch may retrain


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


# --------------------------------------------------------------------------- notebooks

EXPLORE_RE = re.compile(r"regcourse\.explore\b|from\s+regcourse\s+import\s[^\n]*\bexplore\b")


def notebooks_dir() -> Path:
    """notebooks/ of the repo (REGCOURSE_BROWSER_NOTEBOOKS may point elsewhere, for development)."""
    return Path(os.environ.get("REGCOURSE_BROWSER_NOTEBOOKS") or REPO / "notebooks")


def _code_sources(nb: dict):
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            yield cell, ("".join(src) if isinstance(src, list) else src)


def explorer_notebooks() -> list[Path]:
    """Every notebook whose code uses regcourse.explore, in course order."""
    found = []
    for path in sorted(notebooks_dir().glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found.append(path)  # unreadable: include it so the test says so loudly
            continue
        if any(EXPLORE_RE.search(src) for _, src in _code_sources(nb)):
            found.append(path)
    return found


def notebook_facts(path: Path) -> dict:
    """What the browser should see after running `path` top to bottom.

    code_cells: number of non-empty code cells whose source is shown (each must get an
                execution count; JupyterLab shows no prompt for a collapsed cell).
    explorers:  number of explorers expected on the page: code cells that mention the
                explorers and whose stored outputs hold a widget view; None when the
                notebook has no stored outputs (then: at least one). The live TrainingExplorer
                is not one of them (it has no .regcourse-explorer box; test_training.py drives it).
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    code_cells = 0
    explorers = 0
    has_outputs = False
    for cell, src in _code_sources(nb):
        if src.strip() and not (cell.get("metadata", {}).get("jupyter") or {}).get("source_hidden"):
            code_cells += 1
        outputs = cell.get("outputs") or []
        has_outputs = has_outputs or bool(outputs)
        if re.search(r"explore|Explorer", src) and "TrainingExplorer" not in src and any(
            "application/vnd.jupyter.widget-view+json" in (o.get("data") or {}) for o in outputs
        ):
            explorers += 1
    return {"code_cells": code_cells, "explorers": explorers if has_outputs else None}


def strip_notebook(src: Path, dst: Path) -> None:
    """Copy a notebook without outputs, execution counts or saved widget state."""
    nb = json.loads(src.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
    nb.get("metadata", {}).pop("widgets", None)
    dst.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------- servers

def private_jupyter_env(root: Path) -> dict:
    """os.environ for servers started by a test: Jupyter, IPython, matplotlib, XDG folders and
    HOME in fresh folders under `root` (nothing lands in the user's home), the venv first on
    PATH, the course's Jupyter settings on JUPYTER_CONFIG_PATH, no inherited token."""
    env = dict(os.environ)
    for var in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH",
                "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "PYTHONHOME", "MPLBACKEND"):
        env.pop(var, None)
    for var, name in {
        "HOME": "home", "JUPYTER_CONFIG_DIR": "jupyter-config", "JUPYTER_DATA_DIR": "jupyter-data",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime", "IPYTHONDIR": "ipython", "MPLCONFIGDIR": "matplotlib",
        "XDG_CONFIG_HOME": "xdg-config", "XDG_CACHE_HOME": "xdg-cache", "XDG_DATA_HOME": "xdg-data",
    }.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        env[var] = str(root / name)
    env["PATH"] = str(VENV_BIN) + os.pathsep + env.get("PATH", "")
    env["JUPYTER_CONFIG_PATH"] = str(COURSE_JUPYTER_CONFIG)
    env["JUPYTER_PREFER_ENV_PATH"] = "1"  # the venv's python3 kernel, not a user-level one
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def processes_showing(secret: str) -> list[str]:
    """Command lines of running processes that contain `secret` (what `ps -eo args` shows
    every user), with the secret masked."""
    out = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=True).stdout
    me = str(os.getpid())
    return [line.strip().replace(secret, "<token>") for line in out.splitlines()
            if secret in line and line.split(None, 1)[0] != me]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_executable(name: str) -> str:
    candidate = VENV_BIN / name
    if candidate.exists():
        return str(candidate)
    import shutil

    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name!r} not found next to {sys.executable} nor on PATH")
    return found


def _descendants(pid: int) -> list[int]:
    """PIDs of all descendants (kernels run in their own sessions, so the group kill misses them)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil ships with ipykernel
        return []
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie counts as gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _wait_gone(pids, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    left = [p for p in pids if _alive(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = [p for p in left if _alive(p)]
    return left


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_NO_REDIRECT = urllib.request.build_opener(_NoRedirect)


class Server:
    """A Jupyter-ish server started in its own process group, stopped with SIGTERM then SIGKILL."""

    # Every server still running; conftest's atexit / SIGTERM handling stops them all.
    running: list["Server"] = []

    def __init__(self, name, argv, env, cwd, log_path, base_url, token):
        self.name, self.argv, self.env, self.cwd = name, argv, env, cwd
        self.log_path, self.base_url, self.token = Path(log_path), base_url, token
        self.proc = None

    def start(self, ready_path: str, auth=True):
        """Start, then poll `ready_path` until it answers 200."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            self.argv, env=self.env, cwd=str(self.cwd), stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        Server.running.append(self)
        t0 = time.monotonic()
        deadline = t0 + SERVER_START_TIMEOUT
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with status {self.proc.returncode} during start-up:\n"
                    + self.log_tail())
            try:
                status = self.request("GET", ready_path, timeout=2, auth=auth)[0]
                if status == 200:
                    self.start_seconds = time.monotonic() - t0
                    return self
                last = f"HTTP {status}"
            except OSError as exc:
                last = repr(exc)
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {SERVER_START_TIMEOUT:.0f} s ({last}):\n"
                           + self.log_tail())

    def request(self, method, path, timeout=10, auth=True, json_body=None):
        """(status, body) of an HTTP request to the server (with the token unless auth=False;
        json_body, if given, is sent as JSON). Redirects are not followed."""
        headers = {"Authorization": f"token {self.token}"} if auth else {}
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, method=method, headers=headers, data=data)
        try:
            with _NO_REDIRECT.open(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def log_tail(self, lines=40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(text[-lines:]).replace(self.token, "<token>")

    # While a server is being stopped, conftest's SIGTERM handler only notes the signal
    # (sigterm_pending) instead of raising, so a CI cancellation cannot cut the clean-up
    # short; the KeyboardInterrupt is raised right after.
    stopping = 0
    sigterm_pending = False

    def stop(self):
        """SIGTERM the group, then SIGKILL it; then any leftover descendant (kernels)."""
        if self.proc is None:
            return
        Server.stopping += 1
        try:
            self._stop(self.proc)
            self.proc = None
            if self in Server.running:
                Server.running.remove(self)
            self._log.close()
        finally:
            Server.stopping -= 1
        if Server.sigterm_pending and not Server.stopping:
            Server.sigterm_pending = False
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            raise KeyboardInterrupt("received SIGTERM while stopping a server")

    @staticmethod
    def _stop(proc):
        kids = _descendants(proc.pid)
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if proc.poll() is None:
            proc.wait(timeout=10)
        left = _wait_gone(kids, 5)
        for pid in left:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in _wait_gone(left, 3):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    @classmethod
    def stop_all(cls):
        for server in list(cls.running):
            try:
                server.stop()
            except (Exception, KeyboardInterrupt):  # noqa: BLE001 - best effort, keep stopping the rest
                pass


# ------------------------------------------------------------------------ in the page

# Installed into every page (add_init_script). Everything the tests read from the
# explorers goes through window.__rc, so Lab and Voila use the same code.
PAGE_JS = r"""
(() => {
  if (window.__rc) return;
  const rc = {};
  rc.text = (el) => el ? (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim() : '';
  rc.explorer = (i) => document.querySelectorAll('.regcourse-explorer')[i] || null;
  rc.count = () => document.querySelectorAll('.regcourse-explorer').length;
  rc.status = (root) => rc.text(root.querySelector('.regcourse-status'));

  // Pixels are read from a private copy (drawImage), never from the page's own canvas: reading
  // a canvas back every frame would make Chromium move it to a slower, CPU-backed mode.
  let scratch = null, sctx = null;
  const hashCanvas = (c) => {
    if (!c.width || !c.height) return {key: 'empty', ready: false};
    if (!scratch) {
      scratch = document.createElement('canvas');
      sctx = scratch.getContext('2d', {willReadFrequently: true});
    }
    if (scratch.width !== c.width || scratch.height !== c.height) {
      scratch.width = c.width; scratch.height = c.height;
    }
    sctx.clearRect(0, 0, c.width, c.height);
    sctx.drawImage(c, 0, 0);
    const u = new Uint32Array(sctx.getImageData(0, 0, c.width, c.height).data.buffer);
    let h = 0x811c9dc5 | 0, g = 0, painted = 0;
    for (let i = 0; i < u.length; i++) {
      const v = u[i];
      h = Math.imul(h ^ v, 16777619);
      g = (g + Math.imul(v, i + 1)) | 0;
      if (v !== 0) painted++;
    }
    return {key: `${c.width}x${c.height}:${(h >>> 0).toString(16)}:${(g >>> 0).toString(16)}:${painted}`,
            ready: painted > 0};
  };
  // Displayed: no ancestor with display: none (the Tab's pages that are not selected).
  const shown = (el) => el.getClientRects().length > 0;
  // The figure(s) of an explorer: canvas pixel hashes and/or the sources of the <img> displayed.
  rc.figure = (root) => {
    const figs = Array.from(root.querySelectorAll('.regcourse-figure'));
    if (root.matches('.regcourse-figure')) figs.unshift(root);
    const parts = [];
    let ready = figs.length > 0;
    for (const f of figs) {
      const imgs = (f.matches('img') ? [f] : Array.from(f.querySelectorAll('img'))).filter(shown);
      let canvases = f.matches('canvas') ? [f] : Array.from(
        f.querySelectorAll('.jupyter-matplotlib-canvas-div > canvas:first-child'));
      if (!canvases.length && !imgs.length) canvases = Array.from(f.querySelectorAll('canvas')).slice(0, 1);
      if (!canvases.length && !imgs.length) { ready = false; parts.push('nothing'); }
      for (const c of canvases) { const r = hashCanvas(c); parts.push(r.key); ready = ready && r.ready; }
      for (const im of imgs) {
        parts.push('img:' + im.getAttribute('src'));
        ready = ready && !!im.getAttribute('src') && im.complete && im.naturalWidth > 0;
      }
    }
    return {key: parts.join('|'), ready, count: figs.length};
  };
  const visible = (el) => !!el && el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden';
  rc.progressDone = (root) => {
    const p = root.querySelector('.regcourse-progress');
    if (!p || !visible(p)) return true;
    const bar = p.querySelector('.progress-bar');
    return !!bar && /^100(\.0+)?%$/.test(bar.style.width || '');
  };
  rc.snapshot = (i) => {
    const root = rc.explorer(i);
    if (!root) return null;
    const handle = root.querySelector('.regcourse-lambda .noUi-handle');
    const readout = root.querySelector('.regcourse-lambda .widget-readout');
    const fig = rc.figure(root);
    const pen = root.querySelector('.regcourse-penalty');
    const ds = root.querySelector('.regcourse-dataset select');
    const progress = root.querySelector('.regcourse-progress');
    return {
      status: rc.status(root),
      figure: fig.key, figureReady: fig.ready, figureCount: fig.count,
      hasSlider: !!handle,
      now: handle ? parseFloat(handle.getAttribute('aria-valuenow')) : null,
      min: handle ? parseFloat(handle.getAttribute('aria-valuemin')) : null,
      max: handle ? parseFloat(handle.getAttribute('aria-valuemax')) : null,
      readout: rc.text(readout),
      penalty: pen ? Array.from(pen.querySelectorAll('button')).map(b => ({
        label: rc.text(b), active: b.classList.contains('mod-active'), disabled: b.disabled})) : null,
      datasets: ds && !ds.disabled ? Array.from(ds.options).filter(o => !o.disabled).map(o => o.value) : null,
      dataset: ds ? ds.value : null,
      error: root.querySelector('.regcourse-error') ? rc.text(root.querySelector('.regcourse-error')) : null,
      hasError: !!root.querySelector('.regcourse-error'),
      hasProgress: !!progress,
      progressDone: rc.progressDone(root),
    };
  };
  rc.ready = (i) => {
    const s = rc.snapshot(i);
    return !!s && s.status !== '' && s.figureReady && s.progressDone;
  };
  // Arm a watcher on explorer i: t0 = the next keydown/pointerdown/change (capture phase).
  // tDom: when the explorer's DOM first shows the new picture, seen by a MutationObserver (its
  // callback runs right after the handler that changed the DOM), so it is the work done for the
  // key press, free of where the key fell between two screen refreshes.
  // tStatus, tPixels: the first animation frame showing the new status text / picture (a frame
  // callback runs just before the browser paints), and framesToPixels: how many frames the
  // browser began after the key press up to that one (1 = the very next frame).
  rc.watch = (i) => {
    if (rc.w) rc.w.cancelled = true;
    const root = rc.explorer(i);
    const w = {t0: null, tStatus: null, tPixels: null, tDom: null, frameAtKey: null, framesToPixels: null,
               done: false, cancelled: false,
               status0: rc.status(root), figure0: rc.figure(root).key, frames: 0};
    const mark = () => { if (w.t0 === null) { w.t0 = performance.now(); w.frameAtKey = w.frames; } };
    const newPicture = () => { const f = rc.figure(root); return f.key !== w.figure0 && f.ready; };
    const observer = new MutationObserver(() => {
      if (w.t0 !== null && w.tDom === null && newPicture()) w.tDom = performance.now();
    });
    observer.observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
    const stop = () => {
      observer.disconnect();
      for (const ev of ['keydown', 'pointerdown', 'change']) document.removeEventListener(ev, mark, true);
    };
    for (const ev of ['keydown', 'pointerdown', 'change']) document.addEventListener(ev, mark, true);
    const tick = () => {
      if (w.cancelled) { stop(); return; }
      w.frames++;
      const now = performance.now();
      if (w.t0 !== null) {
        if (w.tStatus === null && rc.status(root) !== w.status0) w.tStatus = now;
        if (w.tPixels === null && newPicture()) {
          w.tPixels = now;
          w.framesToPixels = w.frames - w.frameAtKey;
          if (w.tDom === null) w.tDom = now;  // e.g. an image that finished loading without a mutation
        }
      }
      if (w.tStatus !== null && w.tPixels !== null) {
        w.done = true;
        stop();
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    rc.w = w;
    return true;
  };
  rc.watchState = () => {
    const w = rc.w;
    return w ? {t0: w.t0, tStatus: w.tStatus, tPixels: w.tPixels, tDom: w.tDom, done: w.done, frames: w.frames,
                framesToPixels: w.framesToPixels,
                statusChanged: w.tStatus !== null, pixelsChanged: w.tPixels !== null} : null;
  };
  rc.unwatch = () => { if (rc.w) rc.w.cancelled = true; };
  // Resolve once status and figure have not changed for `quietMs` (or after `maxMs`).
  rc.settle = (i, quietMs, maxMs) => new Promise((resolve) => {
    const root = rc.explorer(i);
    let last = rc.status(root) + '#' + rc.figure(root).key;
    let since = performance.now();
    const start = since;
    const tick = () => {
      const now = performance.now();
      const cur = rc.status(root) + '#' + rc.figure(root).key;
      if (cur !== last) { last = cur; since = now; }
      if (now - since >= quietMs || now - start >= maxMs) return resolve(now - start);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  window.__rc = rc;
})();
"""

# Errors a notebook run can show, in JupyterLab and in Voila.
ERROR_OUTPUTS_JS = r"""
() => {
  const text = (el) => (el.innerText || el.textContent || '').trim();
  const found = [];
  const sel = [
    '.jp-OutputArea-output[data-mime-type*="error"]',
    '.jp-RenderedText[data-mime-type*="error"]',
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
    '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]',
  ].join(',');
  for (const el of document.querySelectorAll(sel)) {
    const t = text(el);
    const mime = el.getAttribute('data-mime-type') || '';
    if (mime.includes('error') || /Traceback|Error|Exception/.test(t)) found.push(t.slice(0, 2000));
  }
  // Voila without --show_tracebacks prints this instead of the traceback.
  if (/There was an error when executing cell/.test(document.body.innerText)) found.push('Voila: error when executing a cell');
  return Array.from(new Set(found));
}
"""


# ------------------------------------------------------------------------ the explorers

NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
STATUS_LAMBDA_RE = re.compile(r"(?:λ|\blambda\b|\blambd\b)\s*(?:=|:|≈)\s*", re.IGNORECASE)
POWER_RE = re.compile(r"\s*(" + NUMBER + r")?\s*[×x·]?\s*10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)")
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")


def parse_number(text: str):
    """The number `text` starts with (else its first number); knows 1e-3, 1×10⁻³ and 10⁻³."""
    t = text.replace("−", "-").replace("\u2009", "").replace("\u202f", "")
    m = POWER_RE.match(t)
    if m:
        mant = float(m.group(1)) if m.group(1) else 1.0
        return mant * 10.0 ** int(m.group(2).translate(SUPERSCRIPTS))
    m = re.search(NUMBER, t)
    return float(m.group(0)) if m else None


def status_lambda(status: str):
    """λ as written in the status line ("λ = 0.01", "lambda: 1e-3", "λ = 10⁻³")."""
    m = STATUS_LAMBDA_RE.search(status)
    return parse_number(status[m.end():m.end() + 40]) if m else None


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.02, abs_tol=1e-12)


class MoveTimeout(AssertionError):
    pass


class ExplorerDriver:
    """Moves one explorer's controls the way a user does and checks the answer."""

    def __init__(self, page, index: int, shots, label: str):
        self.page, self.i, self.shots, self.label = page, index, shots, label
        self.grid = None
        self.root = page.locator(".regcourse-explorer").nth(index)
        self.log: list[str] = []

    def snap(self) -> dict:
        return self.page.evaluate("(i) => window.__rc.snapshot(i)", self.i)

    def wait_ready(self, timeout_s=EXPLORER_READY_TIMEOUT):
        self.root.scroll_into_view_if_needed(timeout=timeout_s * 1000)
        try:
            self.page.wait_for_function("(i) => window.__rc.ready(i)", arg=self.i,
                                        timeout=timeout_s * 1000, polling="raf")
        except Exception as exc:
            raise AssertionError(f"{self.label}: explorer not ready after {timeout_s:.0f} s "
                                 f"(status/figure/progress): {self.snap()}") from exc
        self.settle()
        snap = self.snap()
        assert snap["figureCount"] >= 1, f"{self.label}: no .regcourse-figure inside the explorer"
        assert snap["hasSlider"], f"{self.label}: no .regcourse-lambda slider handle (.noUi-handle)"
        self.check_no_error(snap)
        return snap

    def settle(self, quiet_ms=120, max_ms=3000):
        self.page.evaluate("([i, q, m]) => window.__rc.settle(i, q, m)", [self.i, quiet_ms, max_ms])

    def check_no_error(self, snap=None):
        snap = snap or self.snap()
        assert not snap["error"], f"{self.label}: the explorer's error box shows: {snap['error']!r}"

    def check_lambda_matches(self, snap):
        """The lambda in the status line is the one the slider shows."""
        shown = parse_number(snap["readout"])
        in_status = status_lambda(snap["status"])
        assert shown is not None, f"{self.label}: slider readout {snap['readout']!r} has no number"
        assert in_status is not None, f"{self.label}: no 'λ = …' in the status line {snap['status']!r}"
        assert same_value(shown, in_status), (
            f"{self.label}: slider shows λ = {snap['readout']!r} but the status says {snap['status']!r}")
        return shown

    def _act_and_wait(self, action, what, need_pixels=True, timeout_ms=MOVE_TIMEOUT_MS):
        self.begin(action)
        return self.finish(what, need_pixels, timeout_ms)

    def begin(self, action):
        """Arm the in-page watcher, then act. finish() waits for the answer; in between, other
        pages can be driven (their watchers time their own moves)."""
        self._before = self.snap()
        self.page.evaluate("(i) => window.__rc.watch(i)", self.i)
        action()

    def begin_press(self, key: str):
        self.begin(lambda: self.root.locator(".regcourse-lambda .noUi-handle").press(key))

    def finish(self, what, need_pixels=True, timeout_ms=MOVE_TIMEOUT_MS):
        """Wait until status (and pixels) changed after begin(); returns (snap, latency)."""
        before = self._before
        cond = ("() => { const s = window.__rc.watchState(); return s && s.statusChanged"
                + (" && s.pixelsChanged" if need_pixels else "") + "; }")
        try:
            self.page.wait_for_function(cond, timeout=timeout_ms, polling="raf")
        except Exception as exc:
            state = self.page.evaluate("() => window.__rc.watchState()")
            after = self.snap()
            self.page.evaluate("() => window.__rc.unwatch()")
            self.shots.take(f"timeout-{self.i}", self.root)
            raise MoveTimeout(
                f"{self.label}: after {what}, within {timeout_ms / 1000:.0f} s: "
                f"status changed={state and state['statusChanged']}, "
                f"pixels changed={state and state['pixelsChanged']} (key seen={state and state['t0'] is not None}).\n"
                f"  before: λ readout {before['readout']!r}, status {before['status']!r}\n"
                f"  after:  λ readout {after['readout']!r}, status {after['status']!r}, error {after['error']!r}"
            ) from exc
        state = self.page.evaluate("() => window.__rc.watchState()")
        self.page.evaluate("() => window.__rc.unwatch()")
        self.settle()
        after = self.snap()
        self.check_no_error(after)
        lat = {
            "status_ms": state["tStatus"] - state["t0"],
            "pixels_ms": (state["tPixels"] - state["t0"]) if state["tPixels"] is not None else None,
            "dom_ms": (state["tDom"] - state["t0"]) if state["tDom"] is not None else None,
            "frames": state["framesToPixels"],
        }
        self.log.append(f"{what}: λ {before['readout']} → {after['readout']}; "
                        f"status +{lat['status_ms']:.0f} ms, pixels "
                        + (f"+{lat['pixels_ms']:.0f} ms (DOM +{lat['dom_ms']:.0f} ms, frame {lat['frames']})"
                           if lat["pixels_ms"] is not None else "unchanged"))
        return after, lat

    def press(self, key: str):
        """Press `key` on the slider handle; wait for new status and pixels. Returns (snap, latency)."""
        self.begin_press(key)
        return self.finish(f"key {key}")

    def sweep(self):
        """End (largest λ), Home (λ = 0), then ArrowRight three times; checks every step."""
        seen = {}
        snap = self.snap()
        lo, hi = snap["min"], snap["max"]
        assert hi > lo, f"{self.label}: the λ slider has a single position ({snap})"
        for key in ["End", "Home", "ArrowRight", "ArrowRight", "ArrowRight"]:
            now = self.snap()["now"]
            target = {"End": hi, "Home": lo, "ArrowRight": min(now + 1, hi)}[key]
            if target == now:
                continue  # no move to see (e.g. already at the end)
            after, _ = self.press(key)
            assert after["now"] == target, (
                f"{self.label}: after {key} the slider is at position {after['now']}, expected {target}")
            lam = self.check_lambda_matches(after)
            seen.setdefault(key, lam)
        # DESIGN.md: "λ = 0 (no regularization) must be one click away".
        assert seen.get("Home") == 0.0, (
            f"{self.label}: Home (the slider's left end) gives λ = {seen.get('Home')}, expected λ = 0")
        self.grid = (seen.get("Home"), seen.get("End"))
        self.shots.take(f"explorer{self.i}-moved", self.root)

    def toggle_penalty(self):
        """Click the other L1/L2 button (if the explorer has one); the status must change."""
        snap = self.snap()
        if not snap["penalty"]:
            return False
        if status_lambda(snap["status"]) == 0:  # at λ = 0 L1 and L2 are the same model
            snap, _ = self.press("ArrowRight")
        buttons = self.root.locator(".regcourse-penalty button")
        idx = next((k for k, b in enumerate(snap["penalty"]) if not b["active"]), None)
        assert idx is not None, f"{self.label}: penalty toggle has no inactive button: {snap['penalty']}"
        if snap["penalty"][idx]["disabled"]:
            self.log.append(f"penalty toggle: {snap['penalty'][idx]['label']} is disabled, not clicked")
            return False
        label = snap["penalty"][idx]["label"]
        # A new penalty may retrain the whole λ grid: same generous limit as a dataset switch.
        after, _ = self._act_and_wait(lambda: buttons.nth(idx).click(), f"penalty → {label}",
                                      need_pixels=False, timeout_ms=DATASET_TIMEOUT_MS)
        self.wait_ready()
        after = self.snap()
        assert any(b["active"] and b["label"] == label for b in after["penalty"]), (
            f"{self.label}: clicked {label!r} but the toggle shows {after['penalty']}")
        self.check_lambda_matches(after)
        self.shots.take(f"explorer{self.i}-{label}", self.root)
        return True

    def switch_dataset(self):
        """Choose another dataset (if the explorer has a dropdown); status and pixels must change."""
        snap = self.snap()
        if not snap["datasets"] or len(snap["datasets"]) < 2:
            self.log.append("dataset: no other dataset to choose (dropdown absent, disabled or single)")
            return False
        other = next(v for v in snap["datasets"] if v != snap["dataset"])
        select = self.root.locator(".regcourse-dataset select")
        self._act_and_wait(lambda: select.select_option(other), f"dataset → {other}",
                           timeout_ms=DATASET_TIMEOUT_MS)
        self.wait_ready()
        self.check_lambda_matches(self.snap())
        self.shots.take(f"explorer{self.i}-dataset", self.root)
        return True

    def measure_latency(self, presses=25):
        """Keypress → new pixels (and → new status) over `presses` ArrowRight/ArrowLeft presses."""
        snap = self.snap()
        lo, hi, now = snap["min"], snap["max"], snap["now"]
        step = 1
        lats = []
        for _ in range(presses):
            if not lo <= now + step <= hi:
                step = -step
            key = "ArrowRight" if step > 0 else "ArrowLeft"
            after, lat = self.press(key)
            now = after["now"]
            lats.append(lat)
        return latency_record(lats)


def exercise_explorers(page, count, shots, label, steps: list, latency_sink=None, presses=25):
    """Drive every explorer on the page like a student: slider keys, L1/L2, dataset.

    Appends one line per action (with its timings) to `steps`, also when a check fails.
    latency_sink(record) receives the latency measurement done on the first explorer (only
    when given)."""
    for i in range(count):
        drv = ExplorerDriver(page, i, shots, f"{label} explorer {i + 1}/{count}")
        try:
            drv.wait_ready()
            shots.take(f"explorer{i}-initial", drv.root)
            drv.sweep()
            if i == 0 and latency_sink is not None:
                latency_sink({"presses": presses, **drv.measure_latency(presses)})
            drv.toggle_penalty()
            drv.switch_dataset()
            drv.check_no_error()
        finally:
            steps += [f"explorer {i + 1}: {line}" for line in drv.log]


def drive_explorers_and_check(page, session, shots, label, steps, notebook: str, app: str, count: int,
                              record_latency) -> None:
    """Move every explorer (timing the first notebook's), then require no error output, a clean console and
    key press → new pixels within one frame (median)."""
    first = notebook == explorer_notebooks()[0].name
    measured = []
    exercise_explorers(page, count, shots, label, steps,
                       latency_sink=measured.append if first else None)
    for rec in measured:
        record_latency(app, {"notebook": notebook, **rec})
    errors = page.evaluate(ERROR_OUTPUTS_JS)
    assert not errors, f"{label}: error output after moving the explorers:\n" + "\n---\n".join(errors)
    problems = session.console.problems()
    assert not problems, f"{label}: browser console:\n" + "\n".join(problems)
    shots.take("final")
    for rec in measured:
        check_one_frame(label, rec)


def write_log(name: str, lines) -> Path:
    """A text artifact in test-artifacts/browser/logs/."""
    path = ARTIFACTS / "logs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def summarize(xs):
    if not xs:
        return None
    p90 = statistics.quantiles(xs, n=10, method="inclusive")[-1] if len(xs) > 1 else xs[0]
    return {"median": round(statistics.median(xs), 1), "p90": round(p90, 1), "min": round(min(xs), 1),
            "max": round(max(xs), 1), "n": len(xs)}


def latency_record(lats) -> dict:
    """Summaries of a list of press() latencies (dicts with status_ms, pixels_ms, dom_ms, frames)."""
    pick = lambda key: [lat[key] for lat in lats if lat.get(key) is not None]
    return {"presses": len(lats),
            "keypress_to_pixels_ms": summarize(pick("pixels_ms")),
            "keypress_to_dom_ms": summarize(pick("dom_ms")),
            "keypress_to_status_ms": summarize(pick("status_ms")),
            "frames_to_pixels": summarize(pick("frames")),
            "samples_pixels_ms": [round(x, 1) for x in pick("pixels_ms")],
            "samples_dom_ms": [round(x, 1) for x in pick("dom_ms")],
            "samples_frames": pick("frames")}


# DESIGN.md: key press → new pixels within one frame at 60 Hz (median), in JupyterLab and Voilà.
ONE_FRAME_MS = 16.0


def check_one_frame(label: str, record: dict) -> None:
    """Key press → new pixels within one frame, for the median press of a latency_record():

    - the work: the explorer's DOM shows the new picture within ONE_FRAME_MS of the key press;
    - the screen: the new picture is in the first frame the browser begins after the key press.

    A clock time from the key press to the next painted frame also holds the wait for the screen's
    refresh (0–16.7 ms, depending on where the key fell) and any frame a busy machine drops, so
    it is recorded (keypress_to_pixels_ms) but judged in frames."""
    dom, frames = record["keypress_to_dom_ms"], record["frames_to_pixels"]
    assert dom is not None and frames is not None, f"{label}: no key press gave new pixels"
    detail = (f"DOM samples {record.get('samples_dom_ms')} ms; frames {record.get('samples_frames')}; "
              f"next-frame clock samples {record.get('samples_pixels_ms')} ms")
    assert dom["median"] <= ONE_FRAME_MS, (
        f"{label}: key press → new picture in the DOM: median {dom['median']} ms > {ONE_FRAME_MS} ms "
        f"(one frame at 60 Hz); {detail}")
    assert frames["median"] <= 1, (
        f"{label}: the new picture reached the screen in frame {frames['median']} (median) after the key "
        f"press, not the next one; {detail}")


# ------------------------------------------------------------------- JupyterLab pages

STATUS_IDLE_JS = r"""
() => Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
        .some(e => /\|\s*Idle$/.test((e.innerText || '').trim()))
"""

# Execution state of the open notebook: prompts of the code cells, errors shown so far.
RUN_STATE_JS = r"""
() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  if (!nb) return null;
  const prompts = Array.from(nb.querySelectorAll('.jp-CodeCell')).map(c => {
    const p = c.querySelector('.jp-InputArea-prompt, .jp-InputPrompt');
    return p ? (p.innerText || '').trim() : '';
  });
  return {
    prompts,
    numbered: prompts.filter(p => /^\[\d+\]:?$/.test(p)).length,
    running: prompts.filter(p => p.includes('*')).length,
    idle: Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
            .some(e => /\|\s*Idle$/.test((e.innerText || '').trim())),
  };
}
"""


def wait_kernel_idle(page, what, timeout_s=PAGE_READY_TIMEOUT):
    """Wait for '| Idle' in Lab's status bar (the toolbar's indicator reads idle too early)."""
    try:
        page.wait_for_function(STATUS_IDLE_JS, timeout=timeout_s * 1000, polling=200)
    except Exception as exc:
        status = page.locator("#jp-main-statusbar").inner_text(timeout=2000)
        raise AssertionError(f"kernel never showed '| Idle' in the status bar {what}: {status!r}") from exc


def start_run_all(page):
    """Run All through the Run menu, as a student does."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()


def wait_run_all(page, facts, label, timeout_s=RUN_ALL_TIMEOUT):
    """Wait for every code cell's count and Idle after start_run_all; fail fast on errors."""
    deadline = time.monotonic() + timeout_s
    state = None
    done_polls = 0
    while time.monotonic() < deadline:
        errors = page.evaluate(ERROR_OUTPUTS_JS)
        assert not errors, f"{label}: a cell shows an error:\n" + "\n---\n".join(errors)
        state = page.evaluate(RUN_STATE_JS)
        done = bool(state and state["numbered"] >= facts["code_cells"] and not state["running"]
                    and state["idle"])
        # The kernel is briefly idle between two cells (and collapsed cells show no count),
        # so "done" must hold for three polls in a row.
        done_polls = done_polls + 1 if done else 0
        if done_polls >= 3:
            return state
        page.wait_for_timeout(200)
    raise AssertionError(f"{label}: Run All did not finish in {timeout_s:.0f} s; "
                         f"{facts['code_cells']} code cells, prompts now: {state and state['prompts']}")


def wait_explorers(page, facts, label):
    """The number of explorers on the page, once the notebook's widget views are attached."""
    explorers = page.evaluate("() => window.__rc.count()")
    want = facts["explorers"] or 1
    if explorers < want:  # widget views attach a moment after the cell finished
        page.wait_for_function(f"() => window.__rc.count() >= {want}", timeout=30_000)
        explorers = page.evaluate("() => window.__rc.count()")
    assert explorers >= want, f"{label}: {explorers} explorers on the page, expected {want}"
    return explorers


def notifications(page) -> list[str]:
    """Texts of JupyterLab's toast notifications on the page (e.g. the news pop-up)."""
    return page.locator(".Toastify__toast").all_inner_texts()


# --------------------------------------------------------------------- console, shots

EXTERNAL_HINTS = ("fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg.com", "cdnjs",
                  "mathjax", "requirejs", "googletagmanager")


class ConsoleWatch:
    """Collects uncaught page errors and console errors; `problems()` keeps the ones that matter."""

    def __init__(self, page, origin: str):
        self.origin = origin
        self.page_errors: list[str] = []
        self.console_errors: list[tuple[str, str]] = []
        self.ignored: list[str] = []
        self.lines: list[str] = []  # every console message, for the artifacts
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", self._on_console)

    def _on_console(self, msg):
        try:
            url = (msg.location or {}).get("url", "")
        except Exception:  # noqa: BLE001
            url = ""
        self.lines.append(f"[{msg.type}] {msg.text} ({url})")
        if msg.type == "error":
            self.console_errors.append((msg.text, url))

    def _external(self, text, url):
        net = "net::ERR_" in text or "Failed to load resource" in text
        own = url.startswith(self.origin) and not any(h in url for h in EXTERNAL_HINTS)
        return net and (not own or any(h in text for h in EXTERNAL_HINTS))

    def problems(self) -> list[str]:
        out = [f"uncaught page error: {e}" for e in self.page_errors]
        for text, url in self.console_errors:
            if self._external(text, url):
                self.ignored.append(text)
            else:
                out.append(f"console error: {text} (at {url or 'unknown'})")
        return out


class Shots:
    """Screenshots saved to test-artifacts/browser/<notebook>-<mode>-<name>.png."""

    def __init__(self, page, stem: str, mode: str):
        self.page, self.prefix = page, f"{stem}-{mode}"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob(f"{self.prefix}-*.png"):
            old.unlink()
        self.saved: list[Path] = []

    def take(self, name, locator=None):
        path = ARTIFACTS / f"{self.prefix}-{name}.png"
        try:
            if locator is not None:
                locator.screenshot(path=str(path), timeout=10_000)
            else:
                self.page.screenshot(path=str(path), timeout=10_000)
            self.saved.append(path)
        except Exception:  # noqa: BLE001 - a screenshot must never hide the real failure
            pass
        return path
