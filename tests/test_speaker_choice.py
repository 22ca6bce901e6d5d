"""The speaker decision on its own: candidates in, the chosen one out (no parsing), and one passage
per piece of evidence the scoring weighs."""

from __future__ import annotations

from newsgraph.pipeline.speaker_choice import Candidate, choose, score


def test_the_highest_score_wins_whatever_the_order_gathered():
    carried = Candidate("previous_speaker", "e1", "Ana Lopez")
    governed = Candidate("governing_cue", "e2", "Tom Reyes", cue="said")
    assert choose([carried, governed]) is governed
    assert choose([governed, carried]) is governed


def test_a_form_that_makes_a_label_beats_any_speaker():
    label = Candidate("label_form", kind="label")
    assert choose([Candidate("governing_cue", "e2", "Tom Reyes"), label]) is label


def test_a_referent_wins_over_the_cue_it_resolves_but_not_over_a_better_cue():
    cue = Candidate("tail_cue", None, None, cue="continued")
    referent = Candidate("pronoun_continues_previous", "e1", "Ana Lopez", refines="tail_cue")
    assert choose([cue, referent]) is referent
    stronger = Candidate("governing_cue", "e3", "Lars Hovland")
    assert score(stronger) > score(referent)


def test_a_carried_speaker_the_quote_names_is_never_chosen():
    carried = Candidate("previous_speaker", "e1", "Ana Lopez", evidence=("names_itself",))
    assert choose([carried]) is None
    short = Candidate("short_term", kind="label")
    assert choose([carried, short]) is short


def test_nothing_to_choose_from():
    assert choose([]) is None


def test_ties_go_to_the_first_gathered():
    a, b = Candidate("according_to", "e1", "Herald"), Candidate("according_to", "e2", "Tribune")
    assert choose([a, b]) is a


def test_a_quote_naming_the_previous_speaker_is_not_theirs(extract):
    text = ('"We will appeal," said Marta Ruiz, the club\'s lawyer.\n\n'
            '"Marta Ruiz has never lost a case in this court, and the league knows it."')
    record = extract(text)
    (q,) = [q for q in record.quotes if q.text.startswith("Marta Ruiz has never")]
    assert q.speaker is None
    (first,) = [q for q in record.quotes if q.text.startswith("We will appeal")]
    assert first.speaker == "Marta Ruiz"
