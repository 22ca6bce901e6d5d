"""Stances: positions taken without words quoted. Hand-written passages (not from any corpus), each
asserting the stance's source, cue and position, or that there is none."""

from __future__ import annotations

import pytest

# (passage, words inside the position, source, cue)
STANCES = [
    # backing: the object is the position
    ("Governor Ines Alvarado endorsed the harbour tax on Tuesday.", "the harbour tax", "Ines Alvarado", "endorsed"),
    # accusing: the object and its 'of' phrase
    ("Senator Tom Reyes accused the port authority of hiding the accounts.",
     "the port authority of hiding the accounts", "Tom Reyes", "accused"),
    # calling for: the preposition's object, the preposition joins the cue
    ("The nurses' union called for an inquiry into the closures.", "an inquiry into the closures",
     "nurses' union", "called for"),
    # a finding: the clause
    ("A study by the Baltic Fisheries Institute found that cod stocks had halved since 2010.",
     "cod stocks had halved", "Baltic Fisheries Institute", "found"),
    # wanting: the infinitive
    ("Mayor Petra Lind wants to close the old bridge to lorries.", "to close the old bridge", "Petra Lind", "wants"),
    # a noun with its possessor
    ("Mr. Okafor's endorsement of the rail plan surprised his party.", "the rail plan", "Okafor", "endorsement of"),
    # calling something something: the object with its predicate
    ("Senator Tom Reyes called the harbour deal a disgrace.", "the harbour deal a disgrace", "Tom Reyes", "called"),
    # what was announced or denied, without the words
    ("The Transport Ministry announced a curfew on lorries.", "a curfew on lorries", "Transport Ministry",
     "announced"),
    # a relative clause speaks for its antecedent
    ("Farmers who oppose the new water rules marched to the capital.", "the new water rules", "Farmers", "oppose"),
]


@pytest.mark.parametrize("passage,words,source,cue", STANCES)
def test_stance(extract, passage, words, source, cue):
    record = extract(passage)
    stances = [q for q in record.quotes if q.kind == "stance"]
    found = [q for q in stances if words in q.text]
    assert found, f"no stance with {words!r}: {[(q.cue, q.text) for q in stances]}"
    q = found[0]
    assert q.cue == cue
    assert not q.direct
    named = q.speaker or passage[q.speaker_start:q.speaker_end]
    assert source in named, (q.speaker, q.speaker_start, q.speaker_end)


@pytest.mark.parametrize("passage", [
    # a passive: the one criticized is no source
    "The minister was criticized for the delays at the border.",
    # no subject that could hold a view
    "It seems the road will reopen in May.",
    # a stretch already reported as speech is not a stance too
    'The mayor said she supports the plan, adding that "it will pay for itself."',
    # 'speak on condition of anonymity' and seeing with the eyes take no position
    "Two officials spoke on condition of anonymity. Witnesses saw a white van near the depot.",
    # a day is no position
    "Her brother called on Tuesday.",
])
def test_no_stance(extract, passage):
    record = extract(passage)
    stances = [(q.cue, q.text) for q in record.quotes if q.kind == "stance"]
    assert not stances


def test_stances_are_not_speech_anywhere_speech_is_counted(extract):
    record = extract("Senator Tom Reyes accused the port authority of hiding the accounts. "
                     '"We will publish every page," Reyes said.')
    speech = [q for q in record.quotes if q.kind == "speech"]
    assert [q.text for q in speech] == ["We will publish every page,"]
    (stance,) = [q for q in record.quotes if q.kind == "stance"]
    assert stance.speaker_id == speech[0].speaker_id  # one person, two kinds of attribution


@pytest.mark.parametrize("passage, words, source, kind", [
    # a position announced before a colon is its owner's stance, the owner found through 'the alliance'
    ("NATO met in Brussels. The alliance's position was clear: member states would not send troops.",
     "member states would not send troops", "NATO", "stance"),
    # a message announced before a colon is its owner's reported speech
    ("Mayor Ines Alvarado spoke last. Her message to voters was simple: the harbour tax stays.",
     "the harbour tax stays", "Ines Alvarado", "speech"),
    # a line opening with a name and a colon
    ("Alvarado: the harbour tax stays until the pier is rebuilt.", "the harbour tax stays", "Alvarado", "speech"),
])
def test_statement_after_a_colon(extract, passage, words, source, kind):
    record = extract(passage)
    found = [q for q in record.quotes if not q.direct and words in q.text]
    assert found, [(q.kind, q.text) for q in record.quotes]
    assert found[0].kind == kind
    assert source in (found[0].speaker or "")


def test_a_body_named_by_its_kind_speaks_for_the_organization_before_it(extract):
    record = extract("OPEC said output would fall. The cartel added that prices would be reviewed in May.")
    (q,) = [q for q in record.quotes if "prices would be reviewed" in q.text]
    assert q.speaker == "OPEC"


def test_a_paragraph_after_said_and_a_colon_is_what_was_said(extract):
    record = extract("In a statement on Monday, the Port Authority said:\n\n"
                     "No vessel will enter the harbour until the wreck is lifted. Pilots remain on call.\n\n"
                     "The statement gave no date.")
    (q,) = [q for q in record.quotes if q.text.startswith("No vessel will enter")]
    assert q.kind == "speech" and not q.direct
    assert q.speaker == "Port Authority"
    assert q.text.endswith("Pilots remain on call.")
