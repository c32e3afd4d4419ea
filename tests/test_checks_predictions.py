""""Predict, then move the slider": every prediction checker accepts its measured answer, explains a wrong choice,
asks for a prediction when there is none, and sits in its notebook right where the brief puts it."""

import nbformat
import pytest

from regcourse.checks import predictions

from test_notebook_exercises import NOTEBOOKS

QUESTIONS = sorted(predictions.PREDICTIONS.items())


@pytest.mark.parametrize("notebook, question", QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_the_measured_answer_is_accepted_with_its_explanation(notebook, question):
    check = getattr(predictions, f"check_prediction_{notebook}")
    feedback = check(question.answer)
    assert feedback.passed and repr(feedback) == f"✔ Right: {question.answer}. {question.why}"
    assert check(f"  {question.answer.upper()} ").passed       # case and spaces do not matter


@pytest.mark.parametrize("notebook, question", QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_every_wrong_choice_is_told_the_answer_and_why(notebook, question):
    check = getattr(predictions, f"check_prediction_{notebook}")
    for wrong in set(question.choices) - {question.answer}:
        feedback = check(wrong)
        assert not feedback.passed
        assert feedback.message == f"Not {wrong}: the answer is {question.answer}. {question.why}"


@pytest.mark.parametrize("notebook, question", QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_no_prediction_or_an_unknown_one_asks_again(notebook, question):
    check = getattr(predictions, f"check_prediction_{notebook}")
    assert check(None).message.startswith("make your prediction first: set `prediction` to one of ")
    assert not check(3).passed and "is not one of the choices" in check(3).message
    assert not check("maybe").passed and all(f'"{c}"' in check("maybe").message for c in question.choices)


def test_a_dash_is_a_dash():
    assert predictions.check_prediction_06("5–15").message.startswith("Not 5-15:")


def test_the_answer_must_be_a_choice():
    with pytest.raises(ValueError, match="must be one of the choices"):
        predictions.Prediction("?", ("a", "b"), "c", "because")


def test_each_notebook_with_a_question_asks_it_with_an_unset_prediction():
    """The question cell leaves prediction = None and the stored check says "make your prediction first"."""
    asked = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for k, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and cell.source.strip().endswith("(prediction)") and "check_prediction_" in cell.source:
                asked[path.stem[:2]] = cell.source.split("check_prediction_")[1][:2]
                assert nb.cells[k - 1].source.startswith("prediction = None  # one of: ")
                shown = "".join(o.get("text", "") for o in cell.outputs) + \
                    "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
                assert "make your prediction first" in shown
    assert all(notebook == question for notebook, question in asked.items())
    assert set(asked) <= set(predictions.PREDICTIONS)
