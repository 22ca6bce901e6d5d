"""NER repair for people: what the small model gets wrong about names of people.

Given names (data/given_names.tsv) tell a person inside or beside a mislabelled span; a name
right after a role noun ('illustrator Johnnie Christmas') or between people in a comma list is
a person; a one-word 'place' that is the surname of a person named in full is that person; a
signature line ('"...." ― Pamela Padilla') names one; name particles keep a name whole
('Farouk Ben Mustapha', data/name_particles.txt); a surname the model left untagged, or
swallowed into a bogus organization ('Rathbun the Scientology'), is that person again; a lone 'person' word that modifies a role
or a thing ('Slovak Prime Minister') is no mention."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsgraph import lexicon
from newsgraph.pipeline.cues import cue_lemmas
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.intervals import Intervals
from newsgraph.pipeline.quote_marks import CLOSING_MARKS
from newsgraph.pipeline.vocabulary import given_names, mention_key, role_heads

_DASHES = ("―", "—", "–", "-", "--")
_QUOTE_ENDS = tuple(CLOSING_MARKS)  # (str.endswith takes a tuple)


def signatures(doc: Doc) -> list[tuple[int, int, str]]:
    """'"...." ― Pamela Padilla' at the end of a line: a quote signed with a person's name
    (two to five capitalized words or initials, whatever the NER made of them)."""
    out = []
    for tok in doc:
        if tok.text not in _DASHES or tok.i == 0 or not doc[tok.i - 1].text.endswith(_QUOTE_ENDS):
            continue
        words: list[Token] = []
        for nxt in doc[tok.i + 1 :]:
            if nxt.is_space and "\n" not in nxt.text and not words:
                continue  # (non-breaking) spaces after the dash
            if nxt.is_space:
                break
            words.append(nxt)
            if "\n" in nxt.whitespace_ or len(words) > 5:
                break  # (more than five words is no signature: reading on to the line's end was quadratic)
        end = words[-1].i + 1 if words else tok.i + 1
        line_ends = end >= len(doc) or doc[end].is_space or "\n" in doc[end - 1].whitespace_
        if words and line_ends and 2 <= len(words) <= 5 and all(
                w.text[:1].isupper() and w.is_alpha or _is_initial(w) for w in words):
            out.append((words[0].i, end, "PERSON"))
    return out


def _looks_like_person(doc: Doc, s: int, e: int) -> bool:
    """'Volodymyr Zelenskiy' tagged ORG: two or three capitalized words, the first a given name,
    none an organization word."""
    words = [t for t in doc[s:e]]
    return 2 <= len(words) <= 3 and words[0].lower_ in given_names() \
        and all(t.text[:1].isupper() for t in words) and not any(t.lower_ in lexicon.words("org_words.txt")
                                                                 for t in words)


def repair_people(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Given names tell where a person is inside or beside a mislabelled span:
    'Council on American-Islamic Relations Alia Salem' (ORG) -> the council and a person;
    'Valeska' (GPE) + 'Paris' (GPE) -> 'Valeska Paris'; 'Nonpartisan Paul Tse' -> 'Paul Tse'."""
    names = given_names()
    spans = sorted(spans)
    out: list[tuple[int, int, str]] = []
    skip_until = -1
    first_at: dict[int, tuple[int, int, str]] = {}
    for x in spans:
        first_at.setdefault(x[0], x)
    covered, org_ends = Intervals(spans), {x[1] for x in spans if x[2] == "ORG"}
    for s, e, label in spans:
        if s < skip_until:
            continue
        following = first_at.get(e)
        if label == "PERSON" and e - s >= 3 and doc[s].lower_ not in names and doc[s + 1].lower_ in names \
                and not _is_initial(doc[s]) and doc[s + 1].lower_ not in lexicon.words("name_particles.txt"):
            out.append((s + 1, e, label))
        elif label == "PERSON" and s > 1 and _is_given_name_slot(doc[s - 1]) and not doc[s - 1].ent_type_ \
                and s - 1 not in covered and s - 1 in org_ends:
            # 'the Refugee Council Enver Solomon': an untagged first name right before the surname
            out.append((s - 1, e, label))
        elif label == "ORG" and e - s >= 2 and following and following[2] == "PERSON" \
                and following[1] - following[0] == 1 and _is_given_name_slot(doc[e - 1]):
            # 'the Refugee Council Enver' + 'Solomon': the name's first word went to the organization
            out.append((s, e - 1, label))
            out.append((e - 1, following[1], "PERSON"))
            skip_until = following[1]
        elif label != "PERSON" and e - s >= 3 and doc[e - 2].lower_ in names and doc[e - 1].text[:1].isupper() \
                and doc[e - 1].pos_ == "PROPN":
            out.append((s, e - 2, label))
            out.append((e - 2, e, "PERSON"))
        elif label != "PERSON" and e - s == 1 and doc[s].lower_ in names and e < len(doc) \
                and doc[e].text[:1].isupper() and doc[e].pos_ == "PROPN" and doc[s].whitespace_ != "":
            end = following[1] if following and following[1] - following[0] <= 2 else e + 1
            out.append((s, end, "PERSON"))
            skip_until = end
        else:
            out.append((s, e, label))
    return out


def _is_initial(tok: Token) -> bool:
    """'L.' of 'L. Ron Hubbard', 'J.' of 'J. K. Rowling'."""
    return len(tok.text) == 2 and tok.text[0].isupper() and tok.text[1] == "."


def _is_given_name_slot(tok: Token) -> bool:
    """A capitalized proper noun that could open a person's name (not 'Council', 'Ministry')."""
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.is_alpha and not tok.is_sent_start \
        and tok.lower_ not in lexicon.words("org_words.txt") and tok.lower_ not in role_heads()


def _name_run(doc: Doc, start: int) -> int:
    """End of a run of capitalized proper nouns (initials 'L.' and hyphenated parts allowed), at most 4."""
    end = start
    while end < len(doc) and end - start < 4 and (
            doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper()
            or doc[end].text == "-" and end > start and not doc[end - 1].whitespace_):
        end += 1
    while end > start and doc[end - 1].text == "-":
        end -= 1
    return end


def plain_name(doc: Doc, s: int, e: int) -> bool:
    org_words = lexicon.words("org_words.txt")
    return e > s and not any(t.lower_ in org_words or t.lower_ in role_heads() for t in doc[s:e]) \
        and not any(c.kind == "country" for c in gazetteer().candidates(doc[s:e].text))


def people_after_roles(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'illustrator Johnnie Christmas', 'fashion designer Halston', 'writer L. Ron Hubbard': the name
    right after a lower-case role noun is a person, whatever the model called it."""
    out = list(spans)
    for tok in doc:
        # the tagger sometimes takes a plural role noun for a verb ('and athletes Vitas Gerulaitis')
        if not (tok.pos_ in ("NOUN", "VERB") and tok.text.islower() and tok.lemma_.lower() in role_heads()):
            continue
        start = tok.i + 1
        end = _name_run(doc, start)
        if not plain_name(doc, start, end) or (tok.i > 0 and doc[tok.i - 1].lower_ in ("the", "a", "an")
                                                and tok.lemma_ != tok.lower_):
            continue
        if any(x[2] == "PERSON" and x[0] <= start < x[1] and x[1] >= end for x in out):
            continue
        inside = [x for x in out if overlaps(x, (start, end, ""))]
        if any(x[0] < start or x[1] > end for x in inside):
            continue  # the name is part of a longer mention ('singer Beyonce Knowles Carter's band')
        out = [x for x in out if x not in inside] + [(start, end, "PERSON")]
    return out


def people_with_role_appositives(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'Sanae Takaichi, the prime minister,', 'Ulf Kristersson, Sweden's prime minister,': a two- or
    three-word name that a role noun stands beside as its appositive is a person, whatever the model
    called it (or left untagged). A company with a role-less appositive ('Toyota Motor, the carmaker')
    is untouched."""
    out = list(spans)
    for tok in doc:
        head = tok.head
        if not (tok.dep_ == "appos" and tok.text.islower() and tok.lemma_.lower() in role_heads()
                and head.pos_ == "PROPN" and head.i < tok.i):
            continue
        start = head.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i in range(start, head.i + 1) \
                and doc[start - 1].pos_ == "PROPN":
            start -= 1
        end = head.i + 1
        if not 2 <= end - start <= 3 or not plain_name(doc, start, end):
            continue
        inside = [x for x in out if overlaps(x, (start, end, ""))]
        if any(x[2] == "PERSON" or x[0] < start or x[1] > end for x in inside):
            continue  # a person already, or part of a longer name
        out = [x for x in out if x not in inside] + [(start, end, "PERSON")]
    return out


def people_in_lists(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'Ansel Adams, Chuck Close, Walker Evans, Robert Mapplethorpe': an untagged two- or three-word
    name between people in a comma list is a person too."""
    people = {(s, e) for s, e, label in spans if label == "PERSON"}
    out = list(spans)
    for tok in doc:
        if tok.text != "," or tok.i + 1 >= len(doc):
            continue
        start = tok.i + 1
        end = _name_run(doc, start)
        if not 2 <= end - start <= 3 or not plain_name(doc, start, end):
            continue
        # untagged, or tagged as exactly this span by another type ('Walker Evans' as ORG)
        same = [x for x in out if overlaps(x, (start, end, ""))]
        if any(x != (start, end, x[2]) or x[2] == "PERSON" for x in same):
            continue
        before = any(e == tok.i for s, e in people)
        after_sep = doc[end].text in (",", "and") if end < len(doc) else False
        after = after_sep and any(s in (end + 1, end + 2) for s, e in people)
        if before and after:
            out = [x for x in out if x not in same] + [(start, end, "PERSON")]
            people.add((start, end))
    return out


def untagged_people(doc: Doc) -> list[tuple[int, int, str]]:
    """'Dean Kamen founded...': a given name and a surname the model left untagged."""
    out = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.ent_type_ or tok.pos_ != "PROPN" or tok.lower_ not in given_names():
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end - i < 3 and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
                and not doc[end].ent_type_:
            end += 1
        if end - i >= 2 and _looks_like_person(doc, i, end):
            out.append((i, end, "PERSON"))
        i = end
    return out


def relabel_surnames(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A one-word 'place' or 'organization' that is the surname of a person named in full is that
    person; so is a given name and surname the model called something else."""
    surnames = {mention_key(doc[e - 1].text) for s, e, label in spans if label == "PERSON" and e - s > 1}
    out = []
    for s, e, label in spans:
        if label in ("ORG", "GPE", "NORP", "FAC") and _looks_like_person(doc, s, e) or label != "PERSON" and e - s == 1 and mention_key(doc[s].text) in surnames:
            label = "PERSON"
        elif label == "GPE" and e - s == 1 and doc[s].pos_ == "ADJ":
            label = "NORP"  # "Ukrainian air defenses"
        elif label == "GPE" and e - s == 1 and speaks(doc[s]) and not gazetteer().is_known(doc[s].text):
            label = "PERSON"  # 'as Bush claimed': no place we know of, and places do not claim
        out.append((s, e, label))
    return out


def not_people(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Person spans that are no person: a name ending in an organization word ('Roman Catholic Church',
    'Civic Platform', data/org_words.txt) is an organization; a lone common noun capitalized only because
    it opens a sentence ('Turnout was 52 percent', 'Background: ...') is no entity."""
    org_words = lexicon.words("org_words.txt")
    out = []
    for s, e, label in spans:
        if label == "PERSON" and e - s > 1 and doc[e - 1].lower_ in org_words:
            out.append((s, e, "ORG"))
        elif label == "PERSON" and e - s == 1 and _common_noun_opening(doc[s]):
            continue
        else:
            out.append((s, e, label))
    return out


def _common_noun_opening(tok: Token) -> bool:
    """A word that opens a sentence and is a common noun: the tagger says so, or it is one of the words
    that open news sentences and sections (data/not_person_words.txt)."""
    from wordfreq import zipf_frequency

    if not tok.is_sent_start or tok.lower_ in given_names() or speaks(tok):
        return False
    if tok.lower_ in lexicon.words("not_person_words.txt"):
        return True
    return tok.pos_ == "NOUN" and tok.tag_ == "NN" and zipf_frequency(tok.lower_, "en") >= COMMON_WORD_ZIPF


COMMON_WORD_ZIPF = 3.0  # about once in a million words: an English word, not a rare name


def speaks(tok: Token) -> bool:
    """The token is the subject of a speech verb ('Bush claimed', 'said Bush')."""
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in lexicon.words("cue_verbs.txt")


def untagged_surnames(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'Rathbun requested donations' after 'Mark Rathbun': a surname the model left untagged (or
    swallowed into a bogus organization, 'Rathbun the Scientology') is that person again."""
    surnames = {mention_key(doc[e - 1].text) for s, e, label in spans if label == "PERSON" and e - s > 1}
    out = []
    for s, e, label in spans:  # an organization that opens with a person's surname and 'the'
        if label == "ORG" and e - s >= 3 and mention_key(doc[s].text) in surnames and doc[s + 1].lower_ == "the":
            out += [(s, s + 1, "PERSON"), (s + 2, e, "ORG")]
        else:
            out.append((s, e, label))
    taken = {i for s, e, _ in out for i in range(s, e)}
    for tok in doc:
        if tok.i in taken or mention_key(tok.text) not in surnames or not tok.text[:1].isupper():
            continue
        # the tagger may call a sentence-initial surname a noun ('Rathbun requested donations')
        if tok.pos_ != "PROPN" and not (tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass", "poss", "dobj")):
            continue
        neighbours = [doc[j] for j in (tok.i - 1, tok.i + 1) if 0 <= j < len(doc)]
        if any(n.pos_ == "PROPN" and n.text[:1].isupper() for n in neighbours):
            continue  # part of a longer name ('the Rathbun Foundation')
        out.append((tok.i, tok.i + 1, "PERSON"))
    return out


def is_name_modifier(doc: Doc, span: tuple[int, int, str]) -> bool:
    """A lone 'person' word that modifies a role or a thing ('Slovak Prime Minister', 'Druzhba pipeline')."""
    s, e, label = span
    if label != "PERSON" or e - s != 1 or e >= len(doc):
        return False
    nxt = doc[e]
    two = f"{nxt.lower_} {doc[e + 1].lower_}" if e + 1 < len(doc) else ""
    return nxt.lower_ in role_heads() or two in role_heads() or (nxt.pos_ == "NOUN" and nxt.text.islower()
                                           and doc[s].dep_ in ("compound", "amod", "nmod"))


def overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def headline_speech_verb(tok: Token) -> bool:
    """'Says', 'Warns', 'Tells' capitalized in a headline (present tense only: 'Edward Said' is a name)."""
    word = tok.lower_
    return tok.text[:1].isupper() and word.endswith("s") and (word[:-1] in cue_lemmas() or word[:-2] in cue_lemmas())
