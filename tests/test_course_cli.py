"""course.py as a student meets it: help, a damaged or odd .venv, the working copy my-notebooks/,
and the JupyterLab it starts (token out of argv, no deprecation warning, no news, idle kernels
culled, the working copy as its root, regcourse imported from the repo).

Fast: nothing here rebuilds the real .venv. Commands that must stop before touching .venv run
against a temporary copy of course.py; the working-copy logic runs on temporary folders; the
one JupyterLab start uses the real .venv with the working copy redirected to a temp folder.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from browser_support import Server, free_port, private_jupyter_env, processes_showing  # noqa: E402


def load_course():
    spec = importlib.util.spec_from_file_location("course_under_test", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def course():
    return load_course()


@pytest.fixture
def course_copy(tmp_path):
    """A bare copy of the repo's entry points (course.py, pyproject.toml) with no .venv."""
    for name in ("course.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def run_course(folder, *args, timeout=60):
    return subprocess.run([sys.executable, str(folder / "course.py"), *args], cwd=str(folder),
                          capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------------------ help

@pytest.mark.parametrize("args, says", [
    (["lab", "--help"], ["course.py lab [--update]", "--update", "jupyter lab --help"]),
    (["lab", "-h"], ["course.py lab [--update]"]),
    (["lab", "--port", "9999", "--help"], ["course.py lab [--update]"]),
    (["test", "--help"], ["course.py test [PYTEST ARGS...]", "pytest --help"]),
])
def test_help_prints_help_and_starts_nothing(course_copy, args, says):
    result = run_course(course_copy, *args)
    assert result.returncode == 0, result.stderr
    for text in says:
        assert text in result.stdout
    assert "[course]" not in result.stdout + result.stderr, "help must not set up or start anything"
    assert not (course_copy / ".venv").exists()
    assert not (course_copy / "my-notebooks").exists()


# --------------------------------------------------------------------------- the venv

@pytest.mark.parametrize("command", ["lab", "test"])
def test_a_venv_that_is_a_file_gets_a_clear_error(course_copy, command):
    (course_copy / ".venv").write_text("not a virtual environment\n")
    result = run_course(course_copy, command)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ".venv exists but is not a directory" in result.stderr
    assert "rm " in result.stderr  # says what to do
    assert (course_copy / ".venv").read_text() == "not a virtual environment\n", "the file is the user's"


def test_import_problems_names_what_does_not_import(course):
    failed = course.import_problems(sys.executable, ["json", "regcourse_no_such_module", "pytest"])
    assert list(failed) == ["regcourse_no_such_module"]
    assert "ModuleNotFoundError" in failed["regcourse_no_such_module"]["error"]
    assert failed["regcourse_no_such_module"]["version"] is None
    assert course.import_problems(sys.executable, ["json", "pytest"]) == {}
    sentence = course.describe_import_problems(failed)
    assert "regcourse_no_such_module cannot be imported (ModuleNotFoundError" in sentence


def test_key_modules_cover_every_extra(course):
    assert course.key_modules([])[:2] == ["regcourse", "jupyterlab"]
    with_test = course.key_modules(["test", "hub"])
    for name in ("voila", "ipympl", "pytest", "nbval", "xdist", "playwright", "jupyterhub"):
        assert name in with_test
    assert "pytest" not in course.key_modules([])


def fake_venv(root):
    site = root / "lib" / "python3.11" / "site-packages"
    for package in ("jupyterlab", "voila"):
        (site / package).mkdir(parents=True)
        (site / package / "__init__.py").write_text("")
        (site / package / "app.py").write_text("x = 1\n")
    (root / "bin").mkdir()
    (root / "bin" / "python").write_text("")
    return site


def test_fingerprint_sees_a_package_or_a_file_go(course, tmp_path):
    site = fake_venv(tmp_path)
    before = course.venv_fingerprint(tmp_path)
    assert course.venv_fingerprint(tmp_path) == before, "same contents, same fingerprint"
    shutil.move(site / "voila" / "app.py", tmp_path / "app.py")
    after_file = course.venv_fingerprint(tmp_path)
    assert after_file != before
    shutil.rmtree(site / "jupyterlab")
    assert course.venv_fingerprint(tmp_path) not in (before, after_file)


def test_warm_up_writes_the_package_bytecode_even_where_python_would_not(course, tmp_path, monkeypatch):
    """Kernels import regcourse at every start; with PYTHONDONTWRITEBYTECODE set (as on some machines),
    nothing caches its bytecode unless warm_up writes it."""
    package = tmp_path / "regcourse"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "network.py").write_text("W = 1\n")
    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    course.warm_up()
    for name in ("__init__.py", "network.py"):
        assert Path(importlib.util.cache_from_source(str(package / name))).is_file(), name


class FakeVenv:
    """Stands in for .venv's subprocesses (python version, pip, the import check) in ensure_env."""

    def __init__(self, course, tmp_path, monkeypatch, stamp, import_results):
        self.pip_calls, self.import_calls = [], []
        self.results = list(import_results)
        monkeypatch.setattr(course, "STAMP", tmp_path / "stamp.json")
        monkeypatch.setattr(course, "VENV", tmp_path)
        (tmp_path / "stamp.json").write_text(json.dumps(stamp))
        monkeypatch.setattr(course, "venv_python_version", lambda: "3.11.7")
        monkeypatch.setattr(course, "package_installed", lambda: True)
        monkeypatch.setattr(course, "venv_fingerprint", lambda venv=None: "fp-now")
        monkeypatch.setattr(course, "pip_install", self.pip_calls.append)
        monkeypatch.setattr(course, "import_problems", self.import_problems)

    def import_problems(self, python, modules):
        self.import_calls.append(list(modules))
        return self.results.pop(0)


def up_to_date_stamp(course, extras, verified):
    import hashlib

    return {"pyproject_sha256": hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest(),
            "python": "3.11.7", "extras": extras, "root": str(ROOT), "verified": verified}


def test_a_verified_unchanged_venv_is_trusted_without_importing(course, tmp_path, monkeypatch, capsys):
    stamp = up_to_date_stamp(course, ["test"], {"fingerprint": "fp-now",
                                                "modules": course.key_modules(["test"])})
    fake = FakeVenv(course, tmp_path, monkeypatch, stamp, [])
    course.ensure_env([])
    assert fake.import_calls == [] and fake.pip_calls == []
    assert ".venv is up to date" in capsys.readouterr().out


def test_a_changed_venv_is_imported_before_it_is_trusted(course, tmp_path, monkeypatch, capsys):
    stamp = up_to_date_stamp(course, ["test"], {"fingerprint": "fp-before", "modules": ["regcourse"]})
    fake = FakeVenv(course, tmp_path, monkeypatch, stamp, [{}])
    course.ensure_env([])
    assert fake.import_calls == [course.key_modules([])]
    assert fake.pip_calls == []
    assert ".venv is up to date" in capsys.readouterr().out
    recorded = json.loads((tmp_path / "stamp.json").read_text())["verified"]
    assert recorded["fingerprint"] == "fp-now"
    assert set(course.key_modules([])) <= set(recorded["modules"])


def test_a_damaged_venv_is_repaired_with_a_clear_message(course, tmp_path, monkeypatch, capsys):
    """The issue's case: jupyterlab deleted from .venv while the stamp says all is well."""
    stamp = up_to_date_stamp(course, ["test"], {"fingerprint": "fp-before", "modules": []})
    broken = {"jupyterlab": {"error": "ModuleNotFoundError: No module named 'jupyterlab'",
                             "version": "4.6.6"}}
    fake = FakeVenv(course, tmp_path, monkeypatch, stamp, [broken, {}])
    course.ensure_env([])
    out = capsys.readouterr().out
    assert "the stamp says .venv is up to date, but jupyterlab cannot be imported" in out
    assert "repairing .venv" in out
    assert fake.pip_calls == [["--force-reinstall", "--no-deps", "jupyterlab==4.6.6"], ["-e", ".[test]"]]
    assert fake.import_calls[1] == course.key_modules(["test"]), "after the repair, every extra is checked"
    assert json.loads((tmp_path / "stamp.json").read_text())["verified"]["fingerprint"] == "fp-now"


def test_a_venv_that_stays_broken_ends_with_what_to_do(course, tmp_path, monkeypatch, capsys):
    stamp = up_to_date_stamp(course, [], {})
    broken = {"voila": {"error": "ImportError: cannot import name 'x'", "version": None}}
    fake = FakeVenv(course, tmp_path, monkeypatch, stamp, [broken, broken, broken])
    with pytest.raises(SystemExit) as exit_info:
        course.ensure_env([])
    assert exit_info.value.code == 1
    assert fake.pip_calls == [["--force-reinstall", "--no-deps", "voila"], ["-e", "."],
                              ["--force-reinstall", "-e", "."]]
    err = capsys.readouterr().err
    assert "voila cannot be imported (ImportError" in err and "rm -rf .venv" in err
    assert not (tmp_path / "stamp.json").exists(), "a failed repair must not leave a trusted stamp"


# ---------------------------------------------------------------------- working copy

def make_course(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def trees(tmp_path):
    source = make_course(tmp_path / "notebooks", {"01_a.ipynb": "a1", "02_b.ipynb": "b1"})
    (source / ".ipynb_checkpoints").mkdir()
    (source / ".ipynb_checkpoints" / "01_a-checkpoint.ipynb").write_text("old")
    return source, tmp_path / "my-notebooks"


def test_first_run_copies_the_course_and_records_it(course, trees):
    source, work = trees
    report = course.sync_working_copy(source, work)
    assert report["created"] and report["added"] == ["01_a.ipynb", "02_b.ipynb"]
    assert (work / "01_a.ipynb").read_text() == "a1"
    assert not (work / ".ipynb_checkpoints").exists(), "checkpoints are not course files"
    record = json.loads((work / course.COPIES_RECORD).read_text())["files"]
    assert record["01_a.ipynb"]["sha256"] == course.file_sha256(source / "01_a.ipynb")
    again = course.sync_working_copy(source, work)
    assert not any(again[k] for k in ("created", "added", "restored", "updated", "offered", "replaced"))


def test_student_edits_survive_when_the_course_did_not_change(course, trees):
    source, work = trees
    course.sync_working_copy(source, work)
    (work / "01_a.ipynb").write_text("a1 + my answer")
    report = course.sync_working_copy(source, work)
    assert (work / "01_a.ipynb").read_text() == "a1 + my answer"
    assert not report["offered"] and not report["updated"]


def test_course_updates_reach_untouched_copies(course, trees):
    source, work = trees
    course.sync_working_copy(source, work)
    (source / "02_b.ipynb").write_text("b2")
    report = course.sync_working_copy(source, work)
    assert report["updated"] == ["02_b.ipynb"]
    assert (work / "02_b.ipynb").read_text() == "b2"


def test_a_course_update_to_an_edited_notebook_is_offered_not_forced(course, trees, capsys):
    source, work = trees
    course.sync_working_copy(source, work)
    (work / "01_a.ipynb").write_text("a1 + my answer")
    (source / "01_a.ipynb").write_text("a2")
    report = course.sync_working_copy(source, work)
    assert report["offered"] == ["01_a.ipynb"]
    assert (work / "01_a.ipynb").read_text() == "a1 + my answer"
    course.report_working_copy(report, work)
    out = capsys.readouterr().out
    assert "01_a.ipynb" in out and "python3 course.py lab --update" in out
    # Still offered next time (the record keeps what was copied, not what the course has now).
    assert course.sync_working_copy(source, work)["offered"] == ["01_a.ipynb"]

    report = course.sync_working_copy(source, work, update=True, today="2026-11-30")
    assert report["replaced"] == [("01_a.ipynb", "01_a.mine-2026-11-30.ipynb")]
    assert (work / "01_a.ipynb").read_text() == "a2"
    assert (work / "01_a.mine-2026-11-30.ipynb").read_text() == "a1 + my answer"
    assert not course.sync_working_copy(source, work)["offered"]


def test_update_never_overwrites_an_earlier_kept_copy(course, trees):
    source, work = trees
    course.sync_working_copy(source, work)
    for version in ("a2", "a3"):
        (work / "01_a.ipynb").write_text("mine before " + version)
        (source / "01_a.ipynb").write_text(version)
        course.sync_working_copy(source, work, update=True, today="2026-11-30")
    assert (work / "01_a.mine-2026-11-30.ipynb").read_text() == "mine before a2"
    assert (work / "01_a.mine-2026-11-30-2.ipynb").read_text() == "mine before a3"


def test_new_notebooks_come_in_deleted_ones_come_back_own_files_stay(course, trees):
    source, work = trees
    course.sync_working_copy(source, work)
    (source / "03_c.ipynb").write_text("c1")
    (work / "02_b.ipynb").unlink()
    (work / "my_experiment.ipynb").write_text("mine")
    report = course.sync_working_copy(source, work)
    assert report["added"] == ["03_c.ipynb"] and report["restored"] == ["02_b.ipynb"]
    assert (work / "my_experiment.ipynb").read_text() == "mine"


def test_without_a_record_a_different_file_is_treated_as_the_students(course, trees):
    source, work = trees
    make_course(work, {"01_a.ipynb": "someone's own 01", "02_b.ipynb": "b1"})
    report = course.sync_working_copy(source, work)
    assert report["offered"] == ["01_a.ipynb"]
    assert (work / "01_a.ipynb").read_text() == "someone's own 01"


def test_lab_update_is_the_courses_flag_not_jupyterlabs(course, trees, monkeypatch, capsys):
    source, work = trees
    course.sync_working_copy(source, work)
    (work / "01_a.ipynb").write_text("mine")
    (source / "01_a.ipynb").write_text("a2")
    started = []
    monkeypatch.setattr(course, "ensure_env", lambda extras: None)
    monkeypatch.setattr(course, "run_final", lambda argv, env: started.append((argv, env)))
    monkeypatch.setattr(course, "NOTEBOOKS", source)
    monkeypatch.setattr(course, "WORKDIR", work)
    course.main(["lab", "--no-browser", "--update", "--port=9999"])
    (argv, env), = started
    assert "--update" not in argv and argv[-2:] == ["--no-browser", "--port=9999"]
    assert "--ServerApp.root_dir=" + str(work) in argv
    assert not any("token" in arg.lower() for arg in argv)
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(ROOT / "deploy" / "jupyter-config")
    assert (work / "01_a.ipynb").read_text() == "a2"
    assert [p.name for p in work.glob("01_a.mine-*.ipynb")], "the student's version was not kept"
    assert "yours is kept as" in capsys.readouterr().out


# ----------------------------------------------------------------- test: its two sessions

@pytest.fixture
def test_sessions(course, monkeypatch):
    """course.main(["test", ...]) with setup skipped and each pytest session recorded, not run.
    Set `codes` to the exit statuses the sessions should return, in order."""
    record = {"runs": [], "codes": [0, 0]}
    for name in ("ensure_env", "ensure_browser", "ensure_proxy", "warm_up"):
        monkeypatch.setattr(course, name, lambda *a: None)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv(course.COVERED_ENV, raising=False)
    monkeypatch.setattr(course, "notebook_workers", lambda n: 2)

    def call(argv, env, cwd):
        record["runs"].append((argv, env))
        return record["codes"][len(record["runs"]) - 1]

    monkeypatch.setattr(course.subprocess, "call", call)

    def run(*args):
        with pytest.raises(SystemExit) as stopped:
            course.main(["test", *args])
        return stopped.value.code
    record["run"] = run
    return record


def test_test_checks_the_notebooks_two_at_a_time_then_runs_the_tests(course, test_sessions, capsys):
    assert test_sessions["run"]("-k", "logistic") == 0
    (notebooks, nb_env), (tests, tests_env) = test_sessions["runs"]
    assert notebooks[notebooks.index("-n") + 1] == "2" and notebooks[notebooks.index("--dist") + 1] == "loadfile"
    assert "--nbval" in notebooks and "notebooks" in notebooks and "tests" not in notebooks
    assert notebooks[-2:] == tests[-2:] == ["-k", "logistic"]
    assert "tests" in tests and "notebooks" not in tests and "-n" not in tests
    assert "tests.nbval_fast_start" in notebooks and "no:hypothesispytest" in notebooks
    assert "tests.nbval_fast_start" not in tests and "no:hypothesispytest" not in tests
    assert nb_env["OPENBLAS_NUM_THREADS"] == "1" and "OPENBLAS_NUM_THREADS" not in tests_env
    # the portability matrix is told which BLAS settings the passed notebook session covered
    assert json.loads(tests_env[course.COVERED_ENV]) == {"OPENBLAS_CORETYPE": None, "OPENBLAS_NUM_THREADS": "1"}
    out = capsys.readouterr().out
    assert "notebooks (nbval, 2 at a time): passed" in out and "tests: passed" in out


def test_hypothesis_stays_loaded_in_the_notebook_session_when_asked_for(test_sessions):
    test_sessions["run"]("--hypothesis-show-statistics")
    (notebooks, _), _ = test_sessions["runs"]
    assert "no:hypothesispytest" not in notebooks and notebooks[-1] == "--hypothesis-show-statistics"


def test_a_thread_count_already_set_is_kept(test_sessions, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    test_sessions["run"]()
    (_, nb_env), (_, tests_env) = test_sessions["runs"]
    assert nb_env["OPENBLAS_NUM_THREADS"] == tests_env["OPENBLAS_NUM_THREADS"] == "2"


@pytest.mark.parametrize("codes, args, status, sessions", [
    ([1, 0], [], 1, 2),                # failing notebooks: the tests still run, the status says so
    ([0, 1], [], 1, 2),
    ([1, 0], ["-x"], 1, 1),            # -x: a failing first session ends the run
    ([5, 0], ["-k", "network"], 0, 2),  # no notebook cell selected: not a failure
    ([5, 5], ["-k", "nothing"], 5, 2),
    ([2, 0], [], 2, 1),                # interrupted (or a usage error): nothing more runs
])
def test_test_exit_status_covers_both_sessions(course, test_sessions, capsys, codes, args, status, sessions):
    test_sessions["codes"] = codes
    assert test_sessions["run"](*args) == status
    assert len(test_sessions["runs"]) == sessions
    if sessions == 2 and codes[0] != 0:   # no coverage claimed for a notebook run that did not pass
        assert course.COVERED_ENV not in test_sessions["runs"][1][1]
    assert "notebooks (nbval, 2 at a time): " + {0: "passed", 1: "failed", 2: "interrupted",
                                                 5: "nothing collected"}[codes[0]] in capsys.readouterr().out


def test_ctrl_c_during_the_notebooks_ends_the_run_as_pytest_would(course, test_sessions, monkeypatch, capsys):
    def interrupted(argv, env, cwd):
        test_sessions["runs"].append((argv, env))
        raise KeyboardInterrupt
    monkeypatch.setattr(course.subprocess, "call", interrupted)
    assert test_sessions["run"]() == 2
    assert len(test_sessions["runs"]) == 1
    assert "notebooks (nbval, 2 at a time): interrupted (pytest exit 2)" in capsys.readouterr().out


def test_test_with_paths_runs_one_session_over_them(course, test_sessions, monkeypatch):
    started = []
    monkeypatch.setattr(course, "run_final", lambda argv, env: started.append(argv))
    course.main(["test", "tests/test_network.py", "-q"])
    (argv,) = started
    assert argv[-2:] == ["tests/test_network.py", "-q"] and "-n" not in argv and "notebooks" not in argv
    assert test_sessions["runs"] == []


@pytest.mark.parametrize("cpus, notebooks, workers", [(2, 8, 2), (16, 8, 8), (1, 8, 1), (4, 1, 1), (4, 0, 1)])
def test_notebook_workers_one_per_cpu_at_most_one_per_notebook(course, monkeypatch, cpus, notebooks, workers):
    monkeypatch.setattr(course.os, "sched_getaffinity", lambda pid: set(range(cpus)), raising=False)
    assert course.notebook_workers(notebooks) == workers


def test_the_working_copy_is_git_ignored():
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    for rel in ("my-notebooks/01_overfitting.ipynb", "my-notebooks/.course-copies.json",
                "my-notebooks/01_overfitting.mine-2026-11-30.ipynb", "my-notebooks/Untitled.ipynb"):
        result = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", rel])
        assert result.returncode == 0, f"{rel} is not git-ignored: `git status` would show it"


# ---------------------------------------------------------------- JupyterLab, for real

DRIVER = """\
import importlib.util, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("course", sys.argv[1])
course = importlib.util.module_from_spec(spec)
spec.loader.exec_module(course)
course.WORKDIR = Path(sys.argv[2])  # the working copy, redirected for the test
sys.exit(course.main(sys.argv[3:]))
"""


def git_status():
    result = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


async def run_in_kernel(base_url, token, kernel_id, code, timeout=60):
    """stdout of `code` run in a kernel of the server, through its websocket (as Lab does)."""
    from tornado.websocket import websocket_connect

    ws_url = base_url.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels?token={token}"
    ws = await websocket_connect(ws_url)
    msg_id = uuid.uuid4().hex
    ws.write_message(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                   "session": uuid.uuid4().hex, "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False},
    }))
    out, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = json.loads(await asyncio.wait_for(ws.read_message(), timeout))
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            raise AssertionError("kernel error: " + "\n".join(msg["content"]["traceback"]))
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    ws.close()
    return "".join(out)


@pytest.fixture
def course_lab(tmp_path):
    """`python3 course.py lab --no-browser` on a free port, its working copy in tmp_path."""
    work = tmp_path / "my-notebooks"
    port, token = free_port(), secrets.token_hex(24)
    env = dict(private_jupyter_env(tmp_path / "env"), JUPYTER_TOKEN=token)
    env.pop("JUPYTER_CONFIG_PATH")  # course.py must set it itself
    (tmp_path / "driver.py").write_text(DRIVER)
    argv = [sys.executable, str(tmp_path / "driver.py"), str(ROOT / "course.py"), str(work),
            "lab", "--no-browser", f"--port={port}", "--ServerApp.port_retries=0"]
    status_before = git_status()
    server = Server("course.py lab", argv, env, tmp_path, tmp_path / "lab.log",
                    f"http://127.0.0.1:{port}", token)
    try:
        server.start("/api/status")
        server.work, server.git_status_before = work, status_before
        yield server
    finally:
        server.stop()


def test_course_lab_serves_the_working_copy_cleanly(course_lab, in_fresh_thread):
    lab, work = course_lab, course_lab.work
    # The working copy was made from the pristine notebooks and is what Lab serves.
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in work.glob("*.ipynb")) == notebooks
    status, body = lab.request("GET", "/api/contents")
    assert status == 200
    assert sorted(item["name"] for item in json.loads(body)["content"] if item["type"] == "notebook") == notebooks

    # The token is nowhere in argv, and it is required.
    assert not processes_showing(lab.token), processes_showing(lab.token)
    assert lab.request("GET", "/api/status", auth=False)[0] == 403

    # No news, no update check (server side, and the front-end's plugin is disabled).
    assert json.loads(lab.request("GET", "/lab/api/news")[1]) == {"news": []}
    assert json.loads(lab.request("GET", "/lab/api/update")[1])["notification"] is None
    page = lab.request("GET", "/lab")[1].decode()
    assert "@jupyterlab/apputils-extension:announcements" in page.split('"disabledExtensions"', 1)[1][:300]

    # A notebook's kernel: idle-culling on, regcourse from the repo, cwd the working copy.
    status, body = lab.request("POST", "/api/sessions", json_body={
        "path": "01_overfitting.ipynb", "type": "notebook", "name": "", "kernel": {"name": "python3"}})
    assert status == 201, body
    kernel_id = json.loads(body)["kernel"]["id"]
    out = in_fresh_thread(asyncio.run, run_in_kernel(
        lab.base_url, lab.token, kernel_id, "import os, regcourse; print(regcourse.__file__); print(os.getcwd())"))
    module_file, cwd = out.split()
    assert Path(module_file).resolve() == (ROOT / "regcourse" / "__init__.py").resolve()
    assert Path(cwd).resolve() == work.resolve()

    # The student saves an edit and makes a new notebook: only the working copy changes.
    status, body = lab.request("GET", "/api/contents/01_overfitting.ipynb?content=1")
    model = json.loads(body)
    model["content"]["cells"][0]["source"] = "# my notes"
    saved = {"type": "notebook", "format": "json", "content": model["content"]}
    assert lab.request("PUT", "/api/contents/01_overfitting.ipynb", json_body=saved)[0] == 200
    assert lab.request("POST", "/api/contents", json_body={"type": "notebook"})[0] == 201
    assert "# my notes" in (work / "01_overfitting.ipynb").read_text()
    assert (ROOT / "notebooks" / "01_overfitting.ipynb").read_bytes() != (work / "01_overfitting.ipynb").read_bytes()
    if lab.git_status_before is not None:
        assert git_status() == lab.git_status_before, "working in the course changed files git sees"

    lab.stop()
    log = lab.log_path.read_text()
    assert "Culling kernels with idle durations > 3600 seconds" in log
    assert "[course] made your working copy" in log
    for unwanted in ("DeprecationWarning", "Traceback", "notebook_shim"):
        assert unwanted not in log, f"`course.py lab` printed {unwanted}:\n{lab.log_tail()}"
