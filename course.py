#!/usr/bin/env python3
"""The commands of the regcourse course (standard library only).

    python3 course.py lab      open the course in JupyterLab
    python3 course.py present  show a notebook to a room: an app (Voila), projector style
    python3 course.py test     run unit tests, notebook checks (nbval) and browser tests
    python3 course.py site     build the static course site

Each first makes sure the environment is ready: a virtual environment in .venv
(created with the Python running this script) holding the regcourse package,
installed in editable mode with its dependencies. The install is skipped when
nothing changed since the last run (a stamp file in .venv records a hash of
pyproject.toml, the extras installed, the Python version and the repo path),
and the key packages still import (checked again whenever anything in .venv
changed; a damaged .venv is repaired with pip).
Any further arguments are passed on: to `jupyter lab`, `voila` or `pytest`.

`lab` opens the student's working copy my-notebooks/ (git-ignored), made from
notebooks/ on the first run; later runs bring in new course notebooks and offer
(never force) the new version of one the student edited. Every Jupyter server
the course starts reads the course's settings from deploy/jupyter-config/.
"""

import datetime
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

MIN_PYTHON = (3, 10)
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".regcourse-stamp"
WINDOWS = os.name == "nt"
BIN = VENV / ("Scripts" if WINDOWS else "bin")
PY = BIN / ("python.exe" if WINDOWS else "python")
CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOKS = ROOT / "notebooks"        # the course as published: pristine, what `test` checks
WORKDIR = ROOT / "my-notebooks"       # the student's working copy, what `lab` opens (git-ignored)
COPIES_RECORD = ".course-copies.json"  # in WORKDIR: the hash of each file as the course shipped it
FIRST_NOTEBOOK = "01_overfitting.ipynb"
# The course's Jupyter settings (no news, no update check, idle kernels culled, ...):
# on JUPYTER_CONFIG_PATH for every server started through this script.
JUPYTER_CONFIG = ROOT / "deploy" / "jupyter-config"
# Jupyter data for `present`: the Voila template "regcourse" (hides cells by tag), on JUPYTER_PATH.
JUPYTER_DATA = ROOT / "deploy" / "jupyter-data"
PRESENT_TEMPLATE = "regcourse"
# The environment variable regcourse.style reads: the kernels of `lab --projector` and `present` get it.
STYLE_ENV = "REGCOURSE_STYLE"
# What must import in .venv before the stamp is trusted, per extra ("" = always).
KEY_MODULES = {
    "": ["regcourse", "jupyterlab", "ipywidgets", "ipympl", "voila", "jupyterlab_rise"],
    "test": ["pytest", "nbval", "xdist", "playwright"],
    "hub": ["jupyterhub", "nbgitpuller"],
}
# JupyterHub's proxy for the hub test, from npm, kept inside .venv.
PROXY_PACKAGE = "configurable-http-proxy@5"
PROXY = VENV / "node_modules" / ".bin" / ("configurable-http-proxy.cmd" if WINDOWS
                                          else "configurable-http-proxy")
# The BLAS settings a notebook session ran under, handed to the tests session (see cmd_test).
COVERED_ENV = "REGCOURSE_NOTEBOOKS_CHECKED_UNDER"
BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS")
NBVAL_ARGS = [
    "--nbval",
    "--nbval-current-env",
    "--nbval-cell-timeout=120",
    "--nbval-sanitize-with",
    "tests/nbval_sanitize.cfg",
]
# pytest options whose value is the next argument (so it is not taken for a path)
PYTEST_VALUE_OPTIONS = {
    "-k", "-m", "-p", "-o", "-c", "-W", "--rootdir", "--basetemp", "--deselect",
    "--ignore", "--ignore-glob", "--maxfail", "--durations", "--tb", "-r",
    "--junitxml", "--junit-xml", "--confcutdir", "--override-ini", "--log-level",
}

USAGE = """\
usage: python3 course.py COMMAND [ARGS...]

commands:
  lab     set up .venv if needed, then start JupyterLab on your working copy
          my-notebooks/ (127.0.0.1 only, token login). ARGS go to `jupyter lab`,
          e.g.  python3 course.py lab --port 8899 --no-browser
          --projector [--dark]: every figure and explorer in projector style
  present set up .venv if needed, then show notebook NN (or a page of all of
          them) as an app for a room: Voila, projector style, code, exercises
          and solutions hidden (127.0.0.1 only, token login).
          e.g.  python3 course.py present 06 --dark
  test    set up .venv with the test and hub extras, make sure Chromium and the
          JupyterHub proxy are there for the browser tests, then run pytest on
          tests/ and nbval on notebooks/.
          ARGS go to pytest, e.g.  python3 course.py test -k logistic
          Exit status is pytest's.
  site    set up .venv if needed, then build the static course site in _site/:
          every notebook executed fresh, sliders that work with no kernel, and
          everything bundled for offline use (fetched once from npm).
          ARGS: --cdn (link scripts from CDNs instead), notebooks to build.

`python3 course.py COMMAND --help` explains one command.
The environment lives in .venv (created with the Python running this script);
re-runs skip the install unless pyproject.toml changed.
Needs Python >= {0}.{1}.
""".format(*MIN_PYTHON)

# `python3 course.py COMMAND --help`: prints this and starts nothing.
COMMAND_HELP = {
    "lab": """\
usage: python3 course.py lab [--update] [JUPYTERLAB ARGS...]

Starts JupyterLab on 127.0.0.1 with token login (the URL with the token is
printed) and opens notebook 01 of your working copy, my-notebooks/.

Your working copy: the first run copies notebooks/ to my-notebooks/; you work
there, so updating the course (git pull) never conflicts with your edits.
Each later run copies in notebooks the course added, and updates the ones you
have not changed. When the course changed a notebook you edited, it tells you
and leaves your file alone until you ask:

  --update   keep your version as NN_name.mine-YYYY-MM-DD.ipynb and copy the
             course's new version to NN_name.ipynb

  --projector [--dark]
             projector style for every notebook of this session: large fonts,
             large explorer controls (and dark figures with --dark). The
             notebooks' own style.use() keeps it (it reads $REGCOURSE_STYLE).

Every other argument goes to JupyterLab, e.g. --port 8899 --no-browser.
JupyterLab's own options:  .venv/bin/jupyter lab --help   (after a first run)
""",
    "present": """\
usage: python3 course.py present [NN] [--dark] [VOILA ARGS...]

Shows notebook NN of notebooks/ (e.g. 06) as an app for a room, through Voila;
without NN, a page listing every notebook. The URL, with its login token, is
printed (the token is never on the command line, where `ps` would show it).

What the room sees: the story, the figures and the explorers, in projector
style (large fonts, large controls, figures that fit a 1280-pixel screen).
Code, exercises, solutions, checker lines, source listings and the static
pictures meant for readers without a kernel are hidden, by the cell tags that
tools/tag_notebooks.py gives every notebook. With NN, one kernel is kept
ready (it has already run the notebook), so the page is usable seconds after
the URL is opened; idle kernels are shut down after 5 minutes.

  --dark     dark page and dark figures, for a dark room
  --ip ADDR  serve on ADDR (e.g. 0.0.0.0, for a classroom network) instead of
             127.0.0.1. Anyone on that network who has the URL with the token
             can use the page; a warning says so.

Every other argument goes to Voila, e.g. --port 8866 --no-browser.
Voila's own options:  .venv/bin/voila --help   (after a first run)
""",
    "test": """\
usage: python3 course.py test [PYTEST ARGS...]

Sets up .venv with the test and hub extras, makes sure Debian's Chromium
(browser tests) and JupyterHub's configurable-http-proxy (npm, into .venv) are
there, then runs two pytest sessions:

  1. nbval (strict) on the pristine notebooks/, a notebook per CPU at a time
     (pytest-xdist; each notebook runs whole in one kernel);
  2. tests/: unit, browser, JupyterHub and portability tests.

A missing browser or npm skips those tests with a loud warning; under CI=true
it is an error. Both sessions run (a first one that fails with -x, or is
interrupted, ends there); a line per session at the end says how it went. Exit status: the first
failing session's pytest status, else 0.

Arguments go to pytest, to both sessions: e.g. -k logistic, -x, -m "not hub".
Naming paths (tests/test_network.py, notebooks/02_l2_logistic.ipynb) runs one
session over just those, one notebook at a time.
pytest's own options:  .venv/bin/python -m pytest --help   (after a first run)

The tests session also runs nbval once per BLAS configuration of the
portability matrix (tests/portability.py; marker "portability"), skipping the
one the notebook session already covered.
""",
    "site": """\
usage: python3 course.py site [--cdn] [--out DIR] [NOTEBOOKS...]

Builds the static course site in _site/ (or DIR): index.html with the course
map, and one page per notebook, executed fresh, with its widget state stored,
so every explorer's slider works with no kernel. require.js, the widget manager
and MathJax are copied into _site/assets/ from their npm packages (fetched once
with npm), so the pages work opened from disk with no network.

  --cdn      link those scripts from public CDNs instead (smaller; needs network)
  --out DIR  write the site to DIR instead of _site/
""",
}


def say(message):
    print("[course] " + message, flush=True)


def fail(message, code=1):
    print("[course] ERROR: " + message, file=sys.stderr, flush=True)
    sys.exit(code)


# --------------------------------------------------------------------------- venv

def venv_python_version():
    """Version string of .venv's Python, or None if .venv is missing or broken."""
    if not PY.exists():
        return None
    try:
        out = subprocess.run(
            [str(PY), "-I", "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
            capture_output=True, text=True, timeout=60, cwd=str(VENV),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def venv_missing_hint():
    """Why `python -m venv` cannot work here, with the fix, or None if it can."""
    import importlib.util

    missing = [m for m in ("venv", "ensurepip") if importlib.util.find_spec(m) is None]
    if not missing:
        return None
    ver = "%d.%d" % sys.version_info[:2]
    return (
        "this Python ({}) lacks the module(s) {} needed to create .venv.\n"
        "  On Debian/Ubuntu install them with:\n"
        "    sudo apt-get install python3-venv     (or: sudo apt-get install python{}-venv)\n"
        "  then run this command again.".format(sys.executable, ", ".join(missing), ver)
    )


def create_venv():
    hint = venv_missing_hint()
    if hint:
        fail(hint)
    if VENV.exists():
        say("removing the broken or moved .venv")
        shutil.rmtree(VENV)
    say("creating .venv with {} (Python {})".format(sys.executable, sys.version.split()[0]))
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
    if result.returncode != 0 or venv_python_version() is None:
        shutil.rmtree(VENV, ignore_errors=True)
        hint = (
            "creating .venv failed. On Debian/Ubuntu: sudo apt-get install python3-venv"
            if not WINDOWS else "creating .venv failed."
        )
        fail(hint)


def read_stamp():
    try:
        return json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return {}


def package_installed():
    """True if .venv has the regcourse distribution installed (editable or not)."""
    result = subprocess.run(
        [str(PY), "-I", "-c", "import importlib.metadata as m; m.version('regcourse')"],
        capture_output=True, cwd=str(VENV),
    )
    return result.returncode == 0


def ensure_env(extras):
    """Make .venv ready with regcourse installed (editable) plus the given extras."""
    extras = set(extras)
    if sys.version_info < MIN_PYTHON:
        fail("Python >= {}.{} is needed, this is {}".format(
            MIN_PYTHON[0], MIN_PYTHON[1], sys.version.split()[0]))
    check_venv_is_directory()
    stamp = read_stamp()
    version = venv_python_version()
    if version is None or (stamp and stamp.get("root") != str(ROOT)):
        # A venv is not relocatable: scripts carry absolute paths, so rebuild it.
        create_venv()
        version = venv_python_version()
        stamp = {}
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    up_to_date = (
        stamp.get("pyproject_sha256") == digest
        and stamp.get("python") == version
        and stamp.get("root") == str(ROOT)
        and extras <= set(stamp.get("extras", []))
        and package_installed()
    )
    modules = key_modules(extras)
    failed = {}
    if up_to_date:
        failed = venv_import_problems(modules, stamp.get("verified"))
        if not failed:
            say(".venv is up to date (Python {}, extras: {})".format(
                version, ", ".join(sorted(stamp["extras"])) or "none"))
            return
        say("the stamp says .venv is up to date, but {}.".format(describe_import_problems(failed)))
    extras |= set(stamp.get("extras", []))  # keep extras installed earlier up to date too
    target = ".[{}]".format(",".join(sorted(extras))) if extras else "."
    modules = key_modules(extras)
    if failed:
        # The same versions again, without their dependencies; then whatever is missing.
        again = [name if not info.get("version") else "{}=={}".format(name, info["version"])
                 for name, info in failed.items() if name in modules and name != "regcourse"]
        say("repairing .venv: pip install --force-reinstall --no-deps {} ; pip install -e {}"
            .format(" ".join(again) or "(nothing)", target))
        if again:
            pip_install(["--force-reinstall", "--no-deps"] + again)
    else:
        say("installing regcourse and its dependencies into .venv: pip install -e {}"
            " (about a minute the first time)".format(target))
    pip_install(["-e", target])
    say("checking that .venv's key packages import: " + ", ".join(modules))
    failed = import_problems(PY, modules)
    if failed:
        say("still {}: reinstalling every package, pip install --force-reinstall -e {} "
            "(several minutes)".format(describe_import_problems(failed), target))
        pip_install(["--force-reinstall", "-e", target])
        failed = import_problems(PY, modules)
    if failed:
        STAMP.unlink(missing_ok=True)
        fail("after pip install, {}. Delete .venv (rm -rf .venv) and run this command "
             "again to rebuild it from scratch.".format(describe_import_problems(failed)))
    STAMP.write_text(json.dumps({
        "pyproject_sha256": digest,
        "python": version,
        "extras": sorted(extras),
        "root": str(ROOT),
        "verified": {"modules": modules, "fingerprint": venv_fingerprint()},
    }, indent=1) + "\n")
    say(".venv ready (Python {})".format(version))


def pip_install(args):
    result = subprocess.run(
        # -qq: only errors (pip's warnings about this machine's index settings are noise)
        [str(PY), "-m", "pip", "install", "-qq", "--disable-pip-version-check"] + list(args),
        cwd=str(ROOT),
    )
    if result.returncode != 0:
        STAMP.unlink(missing_ok=True)
        fail("pip install failed (exit {}); see the messages above.".format(result.returncode),
             result.returncode)


def check_venv_is_directory():
    """A .venv that is a file (or a link to one) is the user's: say so instead of a traceback."""
    if VENV.exists() and not VENV.is_dir():
        fail("{} exists but is not a directory. course.py keeps the course's Python "
             "environment there. Move or delete that file (rm {}) and run this command "
             "again.".format(VENV, VENV))


def key_modules(extras):
    """The modules that must import for these extras, in a stable order."""
    names = list(KEY_MODULES[""])
    for extra in sorted(extras):
        names += KEY_MODULES.get(extra, [])
    return names


def site_packages_dirs(venv=None):
    venv = Path(venv or VENV)
    return sorted(venv.glob("lib/python3*/site-packages")) + sorted(venv.glob("Lib/site-packages"))


def venv_fingerprint(venv=None):
    """A hash of what .venv holds: name, size and mtime of every entry of site-packages and bin/.

    Installing, removing or damaging a package changes it (a removed package or file
    changes its folder's listing and mtime). It is cheap (a few hundred stat calls), so
    it decides when the slow check, importing the key packages, must run again."""
    venv = Path(venv or VENV)
    digest = hashlib.sha256()
    for folder in site_packages_dirs(venv) + [venv / ("Scripts" if WINDOWS else "bin")]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        digest.update(str(folder).encode() + b"\n")
        for entry in entries:
            st = entry.stat(follow_symlinks=False)
            digest.update("{}\0{}\0{}\n".format(entry.name, st.st_size, st.st_mtime_ns).encode())
    return digest.hexdigest()


IMPORT_CHECK = """\
import importlib, importlib.metadata, json, sys
failed = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except BaseException as exc:
        try:
            version = importlib.metadata.version(name)
        except Exception:
            version = None
        failed[name] = {"error": "%s: %s" % (type(exc).__name__, exc), "version": version}
print(json.dumps(failed))
"""


def import_problems(python, modules):
    """{module: {"error": ..., "version": installed version or None}} for each module that
    `python` cannot import ({} when all import)."""
    try:
        result = subprocess.run(
            [str(python), "-I", "-c", IMPORT_CHECK] + list(modules),
            capture_output=True, text=True, timeout=600, cwd=str(Path(python).parent),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return {"python": {"error": "cannot run {}: {}".format(python, exc)}}
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return {"python": {"error": "the import check crashed (exit {}): {}".format(
            result.returncode, last)}}


def describe_import_problems(failed):
    return "; ".join("{} cannot be imported ({})".format(name, info["error"])
                     for name, info in failed.items())


def venv_import_problems(modules, verified):
    """import_problems for .venv ({} when all import), skipped when nothing changed.

    `verified` is what the stamp records of the last successful check; while .venv's
    fingerprint is unchanged and that check covered these modules, it is not repeated.
    A successful check is recorded in the stamp."""
    verified = verified or {}
    fingerprint = venv_fingerprint()
    still_valid = verified.get("modules", []) if verified.get("fingerprint") == fingerprint else []
    if set(modules) <= set(still_valid):
        return {}
    say("checking that .venv's key packages import: " + ", ".join(modules))
    failed = import_problems(PY, modules)
    stamp = read_stamp()
    if stamp and not failed:
        stamp["verified"] = {"modules": sorted(set(modules) | set(still_valid)),
                             "fingerprint": venv_fingerprint()}
        STAMP.write_text(json.dumps(stamp, indent=1) + "\n")
    return failed


def venv_environ():
    """os.environ with .venv first on PATH, so `jupyter`, `python`, `voila` are its own."""
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    # Let .venv's kernelspec ("python3" = .venv's Python) win over user-level ones.
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    # Quiet debugpy's "frozen modules" warning in kernels started by tests.
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # The course's Jupyter settings, ahead of (not instead of) the user's own config.
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        [str(JUPYTER_CONFIG)] + [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p])
    return env


def run_final(argv, env):
    """Replace this process by argv (exit status becomes its status)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(str(ROOT))
    if WINDOWS:  # no real exec on Windows
        sys.exit(subprocess.call(argv, env=env))
    os.execve(argv[0], argv, env)


def is_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------------------- lab

def cmd_lab(args):
    args = list(args)
    update = "--update" in args
    projector, dark = "--projector" in args, "--dark" in args
    if dark and not projector:
        fail("--dark goes with --projector: python3 course.py lab --projector --dark")
    args = [a for a in args if a not in ("--update", "--projector", "--dark")]
    ensure_env([])
    warm_up()
    report_working_copy(sync_working_copy(NOTEBOOKS, WORKDIR, update=update), WORKDIR)
    argv = lab_argv(WORKDIR, args)
    env = venv_environ()
    if projector:
        env[STYLE_ENV] = style_value(dark)
        say("projector style for every notebook ({}={})".format(STYLE_ENV, env[STYLE_ENV]))
    say("starting JupyterLab on 127.0.0.1 in {}/ (token login; Ctrl-C twice to stop)".format(
        display_path(WORKDIR)))
    run_final(argv, env)


def style_value(dark):
    """The REGCOURSE_STYLE value (read by regcourse.style) for projector style, dark or not."""
    return "projector-dark" if dark else "projector"


def lab_argv(root_dir, args):
    """The JupyterLab command line for `lab`. No token here: argv is visible to every user
    (`ps`), so Jupyter makes one itself or takes $JUPYTER_TOKEN. The other settings come
    from deploy/jupyter-config/ (see venv_environ)."""
    first = FIRST_NOTEBOOK if (Path(root_dir) / FIRST_NOTEBOOK).exists() else ""
    argv = [
        str(PY), "-m", "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.root_dir=" + str(root_dir),
        "--LabApp.default_url=/lab/tree/" + first,
    ]
    if is_root() and "--allow-root" not in args:
        argv.append("--allow-root")
    return argv + list(args)


# ------------------------------------------------------------------------ present

def cmd_present(args):
    args = list(args)
    dark = "--dark" in args
    args = [a for a in args if a != "--dark"]
    number = args.pop(0) if args and args[0].isdigit() else None   # NN comes first (`--port 8866` is Voila's)
    target = present_target(number)
    ip, args = present_ip(args)
    ensure_env([])
    warm_up()
    if ip not in ("127.0.0.1", "localhost", "::1"):
        say("WARNING: serving on {} (--ip): anyone who can reach this machine and has the URL with "
            "its token can use the page. Share the URL only with the room.".format(ip))
    env = venv_environ()
    env[STYLE_ENV] = style_value(dark)
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(JUPYTER_DATA)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    say("presenting {} with Voila on {} ({} projector style; token login; Ctrl-C to stop)".format(
        display_path(target) + ("/ (every notebook)" if target.is_dir() else ""), ip,
        "dark" if dark else "light"))
    run_final(present_argv(target, dark, ip, args), env)


def present_target(number):
    """notebooks/NN_*.ipynb for "NN" (or "N"), or notebooks/ itself for None."""
    if number is None:
        return NOTEBOOKS
    found = sorted(NOTEBOOKS.glob("{:02d}_*.ipynb".format(int(number))))
    if not found:
        names = ", ".join(p.name[:2] for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")))
        fail("there is no notebook {} in {}/ (there are: {})".format(number, display_path(NOTEBOOKS), names))
    return found[0]


def present_ip(args):
    """(address, the other args): the address from --ip ADDR / --ip=ADDR / --Voila.ip=ADDR (the last
    one given), else 127.0.0.1. Voila itself has no --ip option."""
    ip, rest, args = "127.0.0.1", [], list(args)
    while args:
        arg = args.pop(0)
        if arg in ("--ip", "--Voila.ip"):
            if not args:
                fail("{} needs an address, e.g. {} 0.0.0.0".format(arg, arg))
            ip = args.pop(0)
        elif arg.startswith(("--ip=", "--Voila.ip=")):
            ip = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return ip, rest


def present_argv(target, dark, ip, args):
    """The Voila command line for `present`. `--token` turns token login on; Voila makes the token
    (or takes $JUPYTER_TOKEN) and prints the URL with it: it is never in argv, which `ps` shows.
    Idle kernels are culled by deploy/jupyter-config/voila.json. A single notebook gets one
    preheated kernel (it has run the notebook before anyone opens the URL)."""
    argv = [
        str(PY), "-m", "voila", str(target),
        "--Voila.ip=" + ip,
        "--token",
        "--template=" + PRESENT_TEMPLATE,
        "--theme=" + ("dark" if dark else "light"),
    ]
    if Path(target).is_file():
        argv += ["--preheat_kernel=True", "--pool_size=1"]
    return argv + list(args)


def display_path(path):
    """`path` relative to the repo when it is inside it (as the student sees it), else absolute."""
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# ------------------------------------------------------------------ working copy

def course_files(folder):
    """Relative paths of the course's files in `folder`: regular files, hidden ones and
    .ipynb_checkpoints left out."""
    folder = Path(folder)
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            found.append(rel.as_posix())
    return found


def file_sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def kept_name(path, today):
    """Where a student's version goes when the course's new one takes its name:
    01_x.ipynb -> 01_x.mine-2026-11-30.ipynb (then -2, -3, ... if that exists)."""
    path = Path(path)
    for n in range(1, 1000):
        tag = today if n == 1 else "{}-{}".format(today, n)
        candidate = path.with_name("{}.mine-{}{}".format(path.stem, tag, path.suffix))
        if not candidate.exists():
            return candidate
    raise RuntimeError("no free name for a copy of {}".format(path))


def sync_working_copy(source, workdir, update=False, today=None):
    """Bring the working copy `workdir` up to date with the course's files in `source`.

    A record in workdir (COPIES_RECORD) keeps the hash of each file as it was copied.
    For each course file:
      - missing from the working copy: copied ("added", or "restored" if it was copied before);
      - the same as the course's: nothing to do;
      - unchanged by the course since it was copied: nothing to do, whatever the student did;
      - changed by the course, and the student's copy is still as copied: updated ("updated");
      - changed by the course and edited by the student (or no record of it): left alone
        ("offered"), unless update=True: then the student's file is kept under a new name
        (kept_name) and the course's version is copied ("replaced": [(name, kept as)]).
    Files that are not the course's (the student's own, checkpoints) are never touched.
    Returns a dict of these lists."""
    source, workdir = Path(source), Path(workdir)
    today = today or datetime.date.today().isoformat()
    record_path = workdir / COPIES_RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        record = {}
    report = {"created": not workdir.exists(), "added": [], "restored": [], "updated": [],
              "offered": [], "replaced": []}
    for rel in course_files(source):
        src, dst = source / rel, workdir / rel
        upstream = file_sha256(src)
        copied = (record.get(rel) or {}).get("sha256")
        if not dst.exists():
            report["restored" if copied else "added"].append(rel)
        else:
            mine = file_sha256(dst)
            if mine == upstream or upstream == copied:
                record[rel] = {"sha256": upstream}
                continue
            if mine == copied:
                report["updated"].append(rel)
            elif update:
                kept = kept_name(dst, today)
                dst.rename(kept)
                report["replaced"].append((rel, kept.relative_to(workdir).as_posix()))
            else:
                report["offered"].append(rel)
                continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        record[rel] = {"sha256": upstream}
    workdir.mkdir(parents=True, exist_ok=True)
    record_path.write_text(json.dumps(
        {"source": display_path(source), "files": dict(sorted(record.items()))}, indent=1) + "\n",
        encoding="utf-8")
    return report


def report_working_copy(report, workdir):
    """Tell the student what sync_working_copy did and what they can do."""
    where = display_path(workdir) + "/"
    if report["created"]:
        say("made your working copy {} from notebooks/ ({} files). You work there; "
            "notebooks/ stays as the course ships it.".format(where, len(report["added"])))
    elif report["added"]:
        say("new in the course, copied to {}: {}".format(where, ", ".join(report["added"])))
    if report["restored"]:
        say("missing from {}, copied again: {}".format(where, ", ".join(report["restored"])))
    if report["updated"]:
        say("the course updated these and you had not changed them, so {} has the new "
            "version: {}".format(where, ", ".join(report["updated"])))
    for rel, kept in report["replaced"]:
        say("{}{}: the course's new version; yours is kept as {}{}".format(where, rel, where, kept))
    if report["offered"]:
        say("the course has a newer version of {} notebook(s) you edited: {}".format(
            len(report["offered"]), ", ".join(report["offered"])))
        say("  your files are left as they are. To get the new versions, run:")
        say("    python3 course.py lab --update")
        say("  it keeps each of yours as NN_name.mine-{}.ipynb next to the new one.".format(
            datetime.date.today().isoformat()))


# --------------------------------------------------------------------------- test

def in_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def ensure_browser():
    """Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests."""
    if CHROMIUM.exists():
        say("browser: {} found".format(CHROMIUM))
        return
    apt = shutil.which("apt-get")
    if is_root() and apt:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for step in (["apt-get", "-q", "update"], ["apt-get", "install", "-y", "-q", "chromium"]):
            say("browser: running " + " ".join(step))
            if subprocess.run(step, env=env, stdin=subprocess.DEVNULL).returncode != 0:
                break
        if CHROMIUM.exists():
            say("browser: {} installed".format(CHROMIUM))
            return
        why = "apt-get could not install chromium"
    elif not apt:
        why = "no apt-get here (not Debian/Ubuntu)"
    else:
        why = "not root, so it cannot be installed from here (run: sudo apt-get install -y chromium)"
    if in_ci():
        fail("CI=true and the browser tests need {}: {}.".format(CHROMIUM, why))
    warn_skipped("{} is missing: {}.".format(CHROMIUM, why),
                 "The real-browser tests (JupyterLab and Voila in headless Chromium)")


def warn_skipped(problem, tests):
    bar = "!" * 78
    print("\n".join([
        bar,
        "!! WARNING: " + problem,
        "!! {} will be SKIPPED.".format(tests),
        "!! Everything else still runs. Under CI=true this is an error.",
        bar,
    ]), flush=True)


def ensure_proxy():
    """JupyterHub's configurable-http-proxy (npm) in .venv/node_modules, for the hub test."""
    if proxy_works():
        say("JupyterHub proxy: {} found".format(display_path(PROXY)))
        return
    npm = shutil.which("npm")
    if npm:
        say("JupyterHub proxy: npm install --prefix .venv " + PROXY_PACKAGE)
        subprocess.run([npm, "install", "--prefix", str(VENV), "--no-audit", "--no-fund",
                        "--loglevel=error", PROXY_PACKAGE], stdin=subprocess.DEVNULL)
        if proxy_works():
            say("JupyterHub proxy: {} installed".format(display_path(PROXY)))
            return
        why = "npm install {} failed (see above)".format(PROXY_PACKAGE)
    else:
        why = "npm is not installed (Debian: apt-get install -y npm)"
    if in_ci():
        fail("CI=true and the JupyterHub test needs configurable-http-proxy: {}.".format(why))
    warn_skipped("JupyterHub's configurable-http-proxy is missing: {}.".format(why),
                 "The JupyterHub test (5 students in headless Chromium)")


def proxy_works():
    try:
        return subprocess.run([str(PROXY), "--version"], capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def warm_up():
    """Build matplotlib's font cache now, so its one-off notice never lands in a notebook; and write
    regcourse's bytecode. Every kernel imports regcourse when it starts; where PYTHONDONTWRITEBYTECODE
    is set, Python never caches that bytecode, so each kernel would compile the package again."""
    result = subprocess.run(
        [str(PY), "-c", "import matplotlib.font_manager"],
        capture_output=True, text=True, env=venv_environ(), cwd=str(VENV),
    )
    if result.returncode != 0:
        fail("importing matplotlib in .venv failed:\n" + result.stderr)
    subprocess.run([str(PY), "-m", "compileall", "-q", str(ROOT / "regcourse")],
                   capture_output=True, env=venv_environ(), cwd=str(ROOT))
    say("matplotlib font cache and regcourse bytecode ready")


def user_gave_paths(args):
    """True if ARGS name test paths (then they replace the default tests/ + notebooks/)."""
    previous = ""
    for arg in args:
        if (not arg.startswith("-") and previous not in PYTEST_VALUE_OPTIONS
                and (ROOT / arg.split("::")[0]).exists()):
            return True
        previous = arg
    return False


def notebook_workers(n_notebooks):
    """How many notebooks nbval checks at once: one per CPU this process may use, at most one each."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, n_notebooks))


def notebook_session_options(n_notebooks, args=()):
    """pytest options of an nbval session over notebooks: a notebook per CPU at a time
    (pytest-xdist; --dist loadfile keeps each notebook whole, in one kernel), and a faster start
    (tests/nbval_fast_start.py says why; hypothesis's plugin is not needed unless asked for)."""
    options = ["-p", "tests.nbval_fast_start"]
    if not any("hypothesis" in arg for arg in args):
        options += ["-p", "no:hypothesispytest"]
    workers = notebook_workers(n_notebooks)
    if workers > 1:
        options += ["-n", str(workers), "--dist", "loadfile"]
    return options


def notebook_session(args, env):
    """argv and environment of the nbval session over notebooks/, and how many notebooks it
    runs at once. Each kernel's BLAS gets one thread so the kernels do not fight over the cores
    (unless OPENBLAS_NUM_THREADS is set already)."""
    n = len(list((ROOT / "notebooks").glob("*.ipynb")))
    argv = [str(PY), "-m", "pytest", "-p", "no:cacheprovider", *notebook_session_options(n, args)]
    env = dict(env)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    return argv + NBVAL_ARGS + ["notebooks"] + list(args), env, notebook_workers(n)


def combined_status(codes):
    """One exit status for several pytest sessions: the first failure's; 5 (nothing collected)
    only if no session ran a test; else 0."""
    failures = [c for c in codes if c not in (0, 5)]
    if failures:
        return failures[0]
    return 5 if codes and all(c == 5 for c in codes) else 0


def stops_at_first_failure(args):
    return any(a in ("-x", "--exitfirst") or a.startswith("--maxfail") for a in args)


def run_session(name, argv, env):
    """Run one pytest session; its exit status (2, as pytest's own, if Ctrl-C stopped it)."""
    say(f"{name}: running " + shlex.join(["pytest"] + argv[3:]))
    try:
        return subprocess.call(argv, env=env, cwd=str(ROOT))
    except KeyboardInterrupt:  # pytest got the Ctrl-C too and has stopped
        return 2


def report_sessions(results):
    """A line per session (the first one's summary has scrolled away); the combined status."""
    words = {0: "passed", 1: "failed", 2: "interrupted", 5: "nothing collected"}
    for name, code in results:
        say(f"{name}: {words.get(code, 'error')} (pytest exit {code})")
    return combined_status([code for _, code in results])


def cmd_test(args):
    ensure_env(["test", "hub"])
    ensure_browser()
    ensure_proxy()
    warm_up()
    env = venv_environ()
    if user_gave_paths(args):
        argv = [str(PY), "-m", "pytest", "-p", "no:cacheprovider"] + NBVAL_ARGS + list(args)
        say("running: " + shlex.join(["pytest"] + argv[3:]))
        run_final(argv, env)
        return
    results = []
    if any((ROOT / "notebooks").glob("*.ipynb")):
        nb_argv, nb_env, workers = notebook_session(args, env)
        name = f"notebooks (nbval, {workers} at a time)"
        code = run_session(name, nb_argv, nb_env)
        results.append((name, code))
        if code == 0:  # tests/test_portability.py skips the BLAS configuration this run covered
            env[COVERED_ENV] = json.dumps({k: nb_env.get(k) for k in BLAS_ENV})
        elif code == 2 or (code != 5 and stops_at_first_failure(args)):  # 2: interrupted, or bad usage
            sys.exit(report_sessions(results))
    tests_argv = [str(PY), "-m", "pytest", "-p", "no:cacheprovider", "tests"] + NBVAL_ARGS + list(args)
    results.append(("tests", run_session("tests", tests_argv, env)))
    sys.exit(report_sessions(results))


# ---------------------------------------------------------------------------- site

def cmd_site(args):
    ensure_env([])
    say("building the static course site (tools/build_site.py {})".format(shlex.join(args)))
    run_final([str(PY), str(ROOT / "tools" / "build_site.py")] + list(args), venv_environ())


COMMANDS = {"lab": cmd_lab, "present": cmd_present, "test": cmd_test, "site": cmd_site}


def main(argv):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print("unknown command {!r}\n".format(command), file=sys.stderr)
        print(USAGE, end="", file=sys.stderr)
        return 2
    if "-h" in rest or "--help" in rest:
        print(COMMAND_HELP.get(command, USAGE), end="")
        return 0
    COMMANDS[command](rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
