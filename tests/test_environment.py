"""The project's own plumbing: pyproject.toml and environment.yml agree, the README's
test command is what CI runs, and course.py stays a standard-library script."""

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

# conda-forge name -> PyPI name, where they differ
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}
# conda-only entries with no PyPI counterpart in pyproject.toml
CONDA_ONLY = {"python", "pip"}
# The pyproject.toml extras environment.yml also lists (all of them: one environment
# serves students, tests and a hub's single-user servers).
EXTRAS_IN_ENVIRONMENT_YML = ("test", "hub")

REQUIREMENT = re.compile(
    r"""^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*   # name
        (?:\[[^\]]*\])?\s*                             # extras, ignored
        (?P<spec>[^;]*?)\s*                            # version specifiers
        (?:;\s*(?P<marker>.*))?$                       # environment marker
    """,
    re.VERBOSE,
)


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(text):
    parts = [int(p) for p in re.findall(r"\d+", text)]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def parse_requirement(text):
    """'numpy>=2.0; python_version<"3.11"' -> ('numpy', '2.0' or None)."""
    match = REQUIREMENT.match(text)
    assert match, "cannot parse requirement {!r}".format(text)
    spec = match.group("spec").replace(" ", "")
    lower = re.search(r">=([0-9][^,]*)", spec)
    assert not re.search(r"(^|,)(==|<|~=|>(?!=))", spec), (
        "{!r}: use only '>=' lower bounds here so pip and conda read them alike".format(text))
    return normalize(match.group("name")), (lower.group(1) if lower else None)


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pyproject_deps(pyproject):
    project = pyproject["project"]
    requirements = list(project["dependencies"])
    for extra in EXTRAS_IN_ENVIRONMENT_YML:
        requirements += project["optional-dependencies"][extra]
    deps = {}
    for text in requirements:
        name, lower = parse_requirement(text)
        assert name not in deps, "{} is listed twice in pyproject.toml".format(name)
        deps[name] = lower
    return deps


@pytest.fixture(scope="module")
def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def environment_deps(environment):
    deps, pip = {}, []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip.extend(entry.get("pip", []))
            continue
        name, lower = parse_requirement(entry)
        deps[CONDA_TO_PYPI.get(name, name)] = lower
    for text in pip:
        if text.strip().startswith("-e"):
            continue
        name, lower = parse_requirement(text)
        deps[name] = lower
    return deps, pip


def test_environment_yml_basics(environment, pyproject):
    assert environment["name"] == "regcourse"
    assert environment["channels"] == ["conda-forge"]
    pip = []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip = entry.get("pip", [])
    assert "-e ." in [p.strip() for p in pip], (
        "environment.yml must install the package itself with '-e .' in its pip section "
        "(Binder/repo2docker then stages the repo before installing)")
    python = [d for d in environment["dependencies"]
              if isinstance(d, str) and parse_requirement(d)[0] == "python"]
    assert python, "environment.yml must pin python"
    assert version_key(parse_requirement(python[0])[1]) == version_key(
        pyproject["project"]["requires-python"].lstrip(">=")), (
        "python lower bound differs: environment.yml {!r}, pyproject.toml requires-python {!r}"
        .format(python[0], pyproject["project"]["requires-python"]))


def test_every_pyproject_dependency_is_in_environment_yml(pyproject_deps, environment_deps):
    conda, _ = environment_deps
    for name, lower in pyproject_deps.items():
        assert name in conda, (
            "{} is a dependency in pyproject.toml but missing from environment.yml".format(name))
        assert version_key(conda[name] or "") == version_key(lower or ""), (
            "{}: lower bound >={} in pyproject.toml but >={} in environment.yml"
            .format(name, lower, conda[name]))


def test_every_environment_yml_package_is_in_pyproject(pyproject_deps, environment_deps):
    conda, _ = environment_deps
    for name in conda:
        if name in CONDA_ONLY:
            continue
        assert name in pyproject_deps, (
            "{} is in environment.yml but in neither [project].dependencies nor the "
            "extras {} of pyproject.toml".format(name, EXTRAS_IN_ENVIRONMENT_YML))


def test_environment_yml_covers_every_extra(pyproject):
    assert set(pyproject["project"]["optional-dependencies"]) == set(EXTRAS_IN_ENVIRONMENT_YML), (
        "a pyproject.toml extra is not mirrored in environment.yml (or EXTRAS_IN_ENVIRONMENT_YML "
        "names one that does not exist)")


def test_package_discovery_is_limited_to_regcourse(pyproject):
    find = pyproject["tool"]["setuptools"]["packages"]["find"]
    assert find["include"] == ["regcourse*"]
    assert pyproject["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]
    markers = pyproject["tool"]["pytest"]["ini_options"]["markers"]
    assert any(m.startswith("browser:") for m in markers)
    assert any(m.startswith("hub:") for m in markers)


# ------------------------------------------------------------- README <-> .ci/run

def fenced_lines(markdown):
    lines, inside = [], False
    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            inside = not inside
            continue
        if inside:
            lines.append(line.strip())
    return lines


def readme_command(word):
    lines = fenced_lines((ROOT / "README.md").read_text(encoding="utf-8"))
    found = [l for l in lines if l == "python3 course.py " + word]
    assert found, "README.md has no fenced line 'python3 course.py {}'".format(word)
    return found[0]


def test_readme_shows_the_two_commands():
    assert readme_command("lab") == "python3 course.py lab"
    assert readme_command("test") == "python3 course.py test"


def test_ci_runs_exactly_the_readme_test_command():
    command = readme_command("test")
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert script and script[0].startswith("#!"), ".ci/run must start with a shebang"
    doing = []
    for line in script[1:]:
        text = line.strip()
        if not text or text.startswith("#") or text.startswith("set ") or re.match(r"cd\b", text):
            continue
        doing.append(text)
    assert doing == [command], (
        ".ci/run must run exactly the README test command {!r} and nothing else; it runs {!r}"
        .format(command, doing))


# --------------------------------------------------------------------- course.py

def test_course_py_uses_only_the_standard_library():
    tree = ast.parse((ROOT / "course.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    outside = sorted(imported - set(sys.stdlib_module_names))
    assert not outside, "course.py must stay stdlib-only, it imports {}".format(outside)


def test_course_py_help():
    result = subprocess.run([sys.executable, str(ROOT / "course.py"), "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "course.py lab" in result.stdout and "course.py test" in result.stdout


def test_course_py_rejects_unknown_command():
    result = subprocess.run([sys.executable, str(ROOT / "course.py"), "tset"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "unknown command 'tset'" in result.stderr


@pytest.fixture(scope="module")
def course():
    spec = importlib.util.spec_from_file_location("course", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("args, expected", [
    ([], False),
    (["-k", "logistic"], False),
    (["-k", "tests"], False),          # a -k expression, not a path
    (["-x", "tests/test_environment.py"], True),
    (["tests/test_environment.py::test_course_py_help"], True),
    (["notebooks"], True),
])
def test_course_py_detects_user_paths(course, args, expected):
    assert course.user_gave_paths(args) is expected


def test_nbval_sanitizer_file_exists_and_parses(course):
    import configparser

    path = ROOT / "tests" / "nbval_sanitize.cfg"
    assert str(path.relative_to(ROOT)) in course.NBVAL_ARGS
    parser = configparser.ConfigParser()
    parser.read(path)
    assert parser.sections(), "no sanitizer rules"
    for section in parser.sections():
        rule = parser[section]
        re.compile(rule["regex"])
        assert "replace" in rule, section
