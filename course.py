#!/usr/bin/env python3
"""The two commands of the regcourse course (standard library only).

    python3 course.py lab     open the course in JupyterLab
    python3 course.py test    run unit tests, notebook checks (nbval) and browser tests

Both first make sure the environment is ready: a virtual environment in .venv
(created with the Python running this script) holding the regcourse package,
installed in editable mode with its dependencies. The install is skipped when
nothing changed since the last run (a stamp file in .venv records a hash of
pyproject.toml, the extras installed, the Python version and the repo path).
Any further arguments are passed on: to `jupyter lab` or to `pytest`.
"""

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
FIRST_NOTEBOOK = "notebooks/01_overfitting.ipynb"
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
  lab     set up .venv if needed, then start JupyterLab on the course notebooks
          (127.0.0.1 only, token login). ARGS go to `jupyter lab`,
          e.g.  python3 course.py lab --port 8899 --no-browser
  test    set up .venv with the test extra, make sure Chromium is there for the
          browser tests, then run pytest on tests/ and nbval on notebooks/.
          ARGS go to pytest, e.g.  python3 course.py test -k logistic
          Exit status is pytest's.
  site    set up .venv if needed, then build the static course site in _site/:
          every notebook executed fresh, sliders that work with no kernel, and
          everything bundled for offline use (fetched once from npm).
          ARGS: --cdn (link scripts from CDNs instead), notebooks to build.

The environment lives in .venv (created with the Python running this script);
re-runs skip the install unless pyproject.toml changed.
Needs Python >= {0}.{1}.
""".format(*MIN_PYTHON)


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
    if up_to_date:
        say(".venv is up to date (Python {}, extras: {})".format(
            version, ", ".join(sorted(stamp["extras"])) or "none"))
        return
    extras |= set(stamp.get("extras", []))  # keep extras installed earlier up to date too
    target = ".[{}]".format(",".join(sorted(extras))) if extras else "."
    say("installing regcourse and its dependencies into .venv: pip install -e {}"
        " (about a minute the first time)".format(target))
    result = subprocess.run(
        # -qq: only errors (pip's warnings about this machine's index settings are noise)
        [str(PY), "-m", "pip", "install", "-qq", "--disable-pip-version-check",
         "-e", target],
        cwd=str(ROOT),
    )
    if result.returncode != 0:
        STAMP.unlink(missing_ok=True)
        fail("pip install failed (exit {}); see the messages above.".format(result.returncode),
             result.returncode)
    STAMP.write_text(json.dumps({
        "pyproject_sha256": digest,
        "python": version,
        "extras": sorted(extras),
        "root": str(ROOT),
    }, indent=1) + "\n")
    say(".venv ready (Python {})".format(version))


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
    ensure_env([])
    default_url = "/lab/tree/" + (
        FIRST_NOTEBOOK if (ROOT / FIRST_NOTEBOOK).exists() else "notebooks")
    argv = [
        str(PY), "-m", "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.root_dir=" + str(ROOT),
        "--LabApp.default_url=" + default_url,
    ]
    if is_root() and "--allow-root" not in args:
        argv.append("--allow-root")
    say("starting JupyterLab on 127.0.0.1 (token login; Ctrl-C twice to stop)")
    run_final(argv + list(args), venv_environ())


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
    bar = "!" * 78
    print("\n".join([
        bar,
        "!! WARNING: {} is missing: {}.".format(CHROMIUM, why),
        "!! The real-browser tests (JupyterLab and Voila in headless Chromium) will be SKIPPED.",
        "!! Everything else still runs. Under CI=true this is an error.",
        bar,
    ]), flush=True)


def warm_matplotlib():
    """Build matplotlib's font cache now, so its one-off notice never lands in a notebook."""
    result = subprocess.run(
        [str(PY), "-c", "import matplotlib.font_manager"],
        capture_output=True, text=True, env=venv_environ(), cwd=str(VENV),
    )
    if result.returncode != 0:
        fail("importing matplotlib in .venv failed:\n" + result.stderr)
    say("matplotlib font cache ready")


def user_gave_paths(args):
    """True if ARGS name test paths (then they replace the default tests/ + notebooks/)."""
    previous = ""
    for arg in args:
        if (not arg.startswith("-") and previous not in PYTEST_VALUE_OPTIONS
                and (ROOT / arg.split("::")[0]).exists()):
            return True
        previous = arg
    return False


def cmd_test(args):
    ensure_env(["test"])
    ensure_browser()
    warm_matplotlib()
    argv = [str(PY), "-m", "pytest", "-p", "no:cacheprovider"]
    if not user_gave_paths(args):
        argv.append("tests")
        if any((ROOT / "notebooks").glob("*.ipynb")):
            argv.append("notebooks")
    argv += NBVAL_ARGS  # --nbval only changes how .ipynb files are collected
    argv += list(args)
    say("running: " + shlex.join(["pytest"] + argv[3:]))
    run_final(argv, venv_environ())


# ---------------------------------------------------------------------------- site

def cmd_site(args):
    ensure_env([])
    say("building the static course site (tools/build_site.py {})".format(shlex.join(args)))
    run_final([str(PY), str(ROOT / "tools" / "build_site.py")] + list(args), venv_environ())


COMMANDS = {"lab": cmd_lab, "test": cmd_test, "site": cmd_site}


def main(argv):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print("unknown command {!r}\n".format(command), file=sys.stderr)
        print(USAGE, end="", file=sys.stderr)
        return 2
    COMMANDS[command](rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
