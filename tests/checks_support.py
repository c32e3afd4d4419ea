"""What the checker tests share: every checker found, and the students every checker must survive."""

import copy
import importlib
import inspect
import pkgutil
import sys

import numpy as np

import regcourse.checks as checks


def checker_modules():
    """Every module of regcourse.checks that defines a check_* function of a student's function (the prediction
    questions, which take a choice rather than a function, declare PREDICTIONS and have their own tests)."""
    modules = [importlib.import_module(f"regcourse.checks.{info.name}") for info in pkgutil.iter_modules(checks.__path__)]
    return [module for module in modules if checker_names(module) and not hasattr(module, "PREDICTIONS")]


def checker_names(module):
    return sorted(name for name, value in vars(module).items()
                  if name.startswith("check_") and callable(value) and value.__module__ == module.__name__)


def checkers_with_exercises():
    """(check_x, its Exercise) for every checker; a checker missing from its module's EXERCISES gets None."""
    found = []
    for module in checker_modules():
        registered = {f"check_{exercise.name}": exercise for exercise in getattr(module, "EXERCISES", ())}
        found += [(getattr(module, name), registered.get(name)) for name in checker_names(module)]
    return found


def stub(*args):
    raise NotImplementedError  # your code here


# --- students that misbehave ------------------------------------------------------------------------------

def loops_forever(*args):
    while True:
        pass


def exits(*args):
    sys.exit(3)


def crashes(*args):
    return {}["missing"]


CRASH_LINE = crashes.__code__.co_firstlineno + 1


def crashes_inside_numpy(*args):
    return np.linalg.inv(np.zeros((2, 2)))


NUMPY_CRASH_LINE = crashes_inside_numpy.__code__.co_firstlineno + 1


def interrupted(*args):
    raise KeyboardInterrupt


class Unreadable:
    """An answer that no one can turn into a number."""

    def __float__(self):
        raise RuntimeError("cannot convert")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("cannot convert")


def returns_unreadable(*args):
    return Unreadable()


def printing(reference, lines=20_000):
    """The right answer, after printing `lines` lines."""
    def student(*args):
        for i in range(lines):
            print(f"debug line {i}")
        return reference(*args)
    return student


def vandal(reference):
    """The right answer, after emptying every array, list and dict it was given."""
    def student(*args):
        answer = reference(*copy.deepcopy(args))
        for arg in args:
            if isinstance(arg, np.ndarray):
                arg[...] = 0
            elif isinstance(arg, (list, dict)):
                arg.clear()
        return answer
    return student


def first_mutable_argument(exercise):
    """The name of the first argument of the exercise that a function could modify, or None."""
    names = list(inspect.signature(exercise.reference).parameters)
    case = exercise.make_cases()[0]
    return next((names[k] for k, arg in enumerate(case) if isinstance(arg, (np.ndarray, list, dict))), None)


def with_numpy_scalars(function):
    """function, with every number it returns turned into a NumPy scalar (np.float64, np.int64, np.bool_)."""
    def to_numpy(value):
        if isinstance(value, (tuple, list)):
            return type(value)(to_numpy(v) for v in value)
        if isinstance(value, (bool, int, float)):
            return np.array(value)[()]
        return value

    def student(*args):
        return to_numpy(function(*args))
    return student
