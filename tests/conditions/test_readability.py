"""conditions/readability.py: the reading grade the admin shows and the articles aim at."""

from conditions.models import Condition
from conditions.readability import plain_text, reading_grade, section_grades

MAX_GRADE = 8


def test_reading_grade_ignores_markdown_syntax_and_link_addresses():
    marked_up = (
        "### Rest\n\n**Rest** is good. Read [more](/treatments/peripheral-nerve-stimulation/)."
    )
    assert reading_grade(marked_up) == reading_grade("Rest.\n\nRest is good. Read more.")


def test_plain_text_ends_each_heading_and_list_item_as_a_sentence():
    text = plain_text("### Where it hurts\n\nYou may have:\n\n- back pain\n- leg pain!\n")
    assert text == "Where it hurts.\nYou may have.\nback pain.\nleg pain!"


def test_a_list_of_short_items_scores_like_short_sentences():
    items = ["pain in your low back", "pain in your upper buttock", "pain down your leg"]
    as_list = "\n".join(f"- {item}" for item in items)
    assert reading_grade(as_list) == reading_grade(". ".join(items) + ".")
    assert reading_grade(as_list) <= MAX_GRADE


def test_reading_grade_is_high_for_dense_medical_prose():
    dense = (
        "Entrapment neuropathy of the superior cluneal nerves, characterised by "
        "compression within the osteofibrous tunnel formed by the thoracolumbar fascia and "
        "the posterior iliac crest, frequently manifests as intractable lumbosacral pain."
    )
    assert reading_grade(dense) > 12


def test_reading_grade_of_empty_text_is_zero():
    assert reading_grade("") == 0.0
    assert reading_grade("  \n") == 0.0


def test_section_grades_scores_the_summary_and_each_written_section():
    article = Condition(
        summary="A short summary.",
        overview="The nerve is sore. It hurts to sit.",
        symptoms="- back pain\n- leg pain",
    )
    grades = section_grades(article)
    assert set(grades) == {"summary", "overview", "symptoms"}
    assert all(grade <= MAX_GRADE for grade in grades.values())
