"""Pairing quote marks: curly and straight, across paragraphs, apostrophes, stray marks."""

from newsgraph.pipeline.quote_marks import find_quote_marks


def quoted(text):
    return [text[a:b] for a, b in find_quote_marks(text)]


def test_curly_straight_and_single():
    text = 'He said “we will win” and "soon." She called it a \u2018dangerous\u2019 plan. It\'s Mary\'s dog.'
    assert quoted(text) == ["we will win", "soon.", "dangerous"]


def test_quote_over_paragraphs_with_reopening_marks():
    text = '"First part of the speech.\n\n"Second part," he said.'
    assert quoted(text) == ["First part of the speech.", "Second part,"]


def test_quote_over_paragraphs_closed_in_the_next_without_reopening():
    text = 'The coach said, "We learned a lot.\n\nIt was an emotional day." Then he left.'
    assert quoted(text) == ["We learned a lot.", "It was an emotional day."]


def test_a_stray_mark_does_not_swallow_the_document():
    text = 'An odd " mark here.\n\nLater she said "yes" and "no".'
    assert quoted(text) == ["yes", "no"]


def test_closing_straight_mark_is_not_an_opening():
    text = 'It was "fine". People were "happy" too.'
    assert quoted(text) == ["fine", "happy"]


def test_lost_opening_mark_before_an_attributed_close():
    text = ('Its name was Version 6. Now it is time to say goodbye," the company says on its site.\n\n'
            'Nothing else was quoted here.')
    assert quoted(text) == ["Its name was Version 6. Now it is time to say goodbye,"]


def test_a_close_without_an_opening_and_without_a_cue_is_ignored():
    assert quoted('The ratio was 3" wide, and nobody said anything about it.') == []


def test_wrong_shape_closing_mark_after_punctuation():
    text = 'The senator added, "There is no question the city was right.“ However, the museum disagreed.'
    assert quoted(text) == ["There is no question the city was right."]


def test_an_opening_mark_glued_to_the_comma_after_a_speech_verb():
    text = 'The curator said," [Hopper] painted the light before the people". Then she left. "Done," he said, "now."'
    assert quoted(text) == ["[Hopper] painted the light before the people", "Done,", "now."]


def test_ascii_doubled_marks_are_double_quote_marks():
    text = ("''We will rebuild the pier,'' the mayor said. ``Not this year,'' her rival replied. "
            "It isn't quoted, nor is the players' bus.")
    assert quoted(text) == ["We will rebuild the pier,", "Not this year,"]
