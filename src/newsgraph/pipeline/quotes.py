"""Quotes: direct quotes (words inside quote marks) and reported speech, with speakers.

Direct quotes are found by scanning quote marks paragraph by paragraph (an
unbalanced mark is recovered locally, never discarding the document). The
speaker is the subject of the outermost speech verb governing the quote
("cue", from data/cue_verbs.txt), else the previous quote's speaker when the
text continues it. Outlets named by "according to" or "telling" are `via`,
never the speaker. Short quoted names and terms after "a", "the",
"so-called"... are labels, not speech.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from newsgraph import lexicon
from newsgraph.names import name_key
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.cues import cue_forms, cue_lemmas
from newsgraph.pipeline.entities import (
    country_of_demonym,
    gender_of,
    in_subject,
    is_outlet,
    is_person_token,
    pronoun_gender,
)
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.registry import stage
from newsgraph.record import Entity, Quote

PAIRS = {"“": "”", '"': '"', "‘": "’", "'": "'", "«": "»", "„": "“"}
# what _closing_at accepts as the end of each opener's quote (a straight mark may close on a curly “
# after punctuation, a curly “ on a straight mark)
CLOSERS_OF = {opener: {close} | ({"“"} if opener == '"' else {'"'} if opener == "“" else set())
              for opener, close in PAIRS.items()}
CLOSING_MARKS = frozenset().union(*CLOSERS_OF.values())
_LABEL_MAX_WORDS = 6
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_CHAIN_DEPS = ("advcl", "xcomp", "conj", "acl", "pcomp", "prep", "ccomp", "acomp")


@dataclass
class Found:
    start: int  # first character inside the marks
    end: int  # the closing mark's offset
    speaker_id: str | None = None
    speaker: str | None = None
    cue: str | None = None
    via: str | None = None
    kind: str = "speech"


# --- finding quote marks ---------------------------------------------------------------


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _is_opening(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in "'’":  # an apostrophe is not an opening mark
        return (before.isspace() or before in "([{—–-\"“") and after.isalnum()
    if text[i] == '"':  # a straight mark opens only after a space or an opening bracket or dash
        if before == "," and after == " " and _speech_word_before(text, i - 1):
            return True  # 'Wilkins said," [Warhol] liked ...": a mark misplaced before its space
        return (before.isspace() or before in "([{—–-:/") and not after.isspace()
    return not after.isspace() or before.isspace() or before in "([{—–-:"


def _speech_word_before(text: str, i: int) -> bool:
    """Whether the word ending at ``i`` is a speech verb ('said', 'says', 'added')."""
    m = re.search(r"([A-Za-z]+)$", text[max(0, i - 20) : i])
    return m is not None and m.group(1).lower() in cue_forms()


def _closing_at(text: str, i: int, opener: str) -> bool:
    ch = text[i]
    after = text[i + 1] if i + 1 < len(text) else " "
    if opener == '"' and ch == "“" and text[i - 1] in ".,!?" and (after.isspace() or after in ".,;"):
        return True  # 'decision.“ However': a mark of the wrong shape still closes after punctuation
    if ch != PAIRS[opener] and not (opener == "“" and ch == '"'):
        return False
    if ch in "'’":
        after = text[i + 1] if i + 1 < len(text) else " "
        return not after.isalnum()
    return True


def find_quote_marks(text: str) -> list[tuple[int, int]]:
    """(inside start, inside end) of every quoted stretch, paragraph by paragraph.

    A quote left open at a paragraph's end runs to that end when the next paragraph
    opens with a quote mark (the typographic convention for a quote over several
    paragraphs), or when the next paragraph closes it without opening one (then its
    start up to the closing mark is quoted too); otherwise the stray mark is ignored.
    """
    out: list[tuple[int, int]] = []
    paras = paragraph_spans(text)
    closers = _closer_positions(text)
    carried = False  # this paragraph continues a quote opened in the one before
    for n, (a, b) in enumerate(paras):
        i = a
        if carried:
            carried = False
            close = _dangling_close(text, a, b)
            if close is not None:
                if close > a:
                    out.append((a, close))
                i = close + 1
        elif (close := _attributed_close_without_opening(text, a, b)) is not None:
            out.append((a, close))  # 'It is time to say goodbye," Microsoft says': the opening mark was lost
            i = close + 1
        while i < b:
            ch = text[i]
            if ch in PAIRS and _is_opening(text, i):
                close = _find_close(text, i + 1, b, ch, closers)
                if close is not None:
                    first = i + 1
                    while first < close and text[first].isspace():
                        first += 1  # ('said," [Warhol] liked': the space belongs outside)
                    if close > first:
                        out.append((first, close))
                    i = close + 1
                    continue
                nxt = paras[n + 1] if n + 1 < len(paras) else None
                continues = nxt is not None and ch not in "'‘" and (
                    text[nxt[0]] in "“\"" or _dangling_close(text, nxt[0], nxt[1]) is not None)
                if continues:
                    end = b
                    while end > i + 1 and text[end - 1].isspace():
                        end -= 1
                    out.append((i + 1, end))
                    carried = text[nxt[0]] not in "“\""
                    break
            i += 1
    return out


def _attributed_close_without_opening(text: str, start: int, end: int) -> int | None:
    """A closing mark that nothing opened, right after sentence punctuation and right before a speech
    verb ('..., it's time to say goodbye," Microsoft says'): the quote ran from the paragraph's start."""
    close = _dangling_close(text, start, end)
    if close is None or close - start < 20 or text[close - 1] not in ",.!?":
        return None
    after = re.findall(r"[A-Za-z]+", text[close + 1 : close + 50].split(".")[0])[:4]
    return close if any(w.lower() in cue_forms() for w in after) else None


def _dangling_close(text: str, start: int, end: int) -> int | None:
    """The first closing double mark of a paragraph that none before it in the paragraph opened."""
    depth = 0
    for j in range(start, end):
        ch = text[j]
        if ch == "“" or (ch == '"' and _is_opening(text, j) and j != start):
            depth += 1
        elif ch == "”" or ch == '"':
            if depth == 0:
                return j
            depth -= 1
    return None


def _closer_positions(text: str) -> dict[str, list[int]]:
    """For each opening mark, the sorted positions of the marks that could close it."""
    at: dict[str, list[int]] = {}
    for i, ch in enumerate(text):
        if ch in CLOSING_MARKS:
            at.setdefault(ch, []).append(i)
    return {opener: sorted(i for ch in CLOSERS_OF[opener] for i in at.get(ch, ())) for opener in PAIRS}


def _find_close(text: str, start: int, end: int, opener: str, closers: dict[str, list[int]]) -> int | None:
    """The mark closing ``opener``, looked for only where a mark that can close it stands: a
    paragraph of 100,000 marks that never close is not scanned once per mark."""
    positions = closers[opener]
    for k in range(bisect_left(positions, start), len(positions)):
        j = positions[k]
        if j >= end:
            return None
        if _closing_at(text, j, opener):
            if opener in "'‘" and j - start > 300:  # single marks rarely quote long passages
                return None
            return j
    return None


# --- speakers --------------------------------------------------------------------------


def is_cue(tok: Token) -> bool:
    if tok.pos_ == "VERB":
        return tok.lemma_.lower() in cue_lemmas()
    if tok.lower_ in cue_forms() and tok.dep_ == "ROOT" and (
            any(c.dep_ == "nsubj" for c in tok.children)
            or any(c.dep_ in ("nmod", "compound") and c.i < tok.i for c in tok.children)
            and any(c.dep_ == "ccomp" for c in tok.children)):
        return True  # 'The Department of Agriculture notes, "..."': a verb the tagger took for a plural noun
    return tok.tag_ in ("NN", "VBG", "VBD", "VBN", "VBZ") and tok.lower_ in cue_forms() \
        and tok.lower_ not in ("report", "call", "claim", "post", "answer", "comment", "order", "point")


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, inherited from governing verbs ('..., stating that' -> stressed's subject)."""
    tok: Token | None = verb
    for _ in range(6):
        if tok is None:
            return None
        subj = [c for c in tok.children if c.dep_ in _SUBJECT_DEPS]
        if subj:  # "Malaysia's Prime Minister, Najib Razak said": two subjects, the name nearest the verb
            names = [c for c in subj if c.pos_ == "PROPN"]
            return _referent((names or subj)[-1])
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agent:
            return agent[0]
        if tok.dep_ in _CHAIN_DEPS and tok.head.i != tok.i:
            tok = tok.head
        else:
            return None
    return None


def _referent(subj: Token) -> Token:
    """What a subject stands for: a relative pronoun's antecedent ('Devocht, who had told him he would
    help'), the one named example of a plural ('other sites such as Gawker.com have stated')."""
    if subj.tag_ in ("WP", "WDT") and subj.head.dep_ == "relcl":
        return subj.head.head
    if subj.tag_ in ("NNS", "NNPS"):
        for prep in (c for c in subj.children if c.dep_ == "prep"):
            example = next((g for g in prep.children if g.dep_ == "pobj" and g.pos_ == "PROPN"), None)
            if example is not None and _names_examples(prep):
                return example
    return subj


def _names_examples(prep: Token) -> bool:
    """'such as', 'including', 'like': the phrase gives examples of the noun before it."""
    return prep.lower_ in ("including", "like") or (
        prep.lower_ == "as" and any(c.lower_ == "such" for c in prep.children))


def entity_of(ctx: Context, tok: Token | None) -> str | None:
    """The record entity a phrase refers to: its head's entity, else any person/org in it."""
    if tok is None:
        return None
    if ctx.entity_at(tok):
        return ctx.entity_at(tok)
    found = [ctx.entity_at(t) for t in core_tokens(tok) if ctx.entity_at(t)]
    by_type = {ctx.record.entity(e).type: e for e in reversed(found) if ctx.record.entity(e)}
    for wanted in ("PERSON", "ORG", "GPE", "NORP"):
        if wanted in by_type:
            return by_type[wanted]
    # 'Executive director of the Dallas chapter ... Alia Salem': a person deeper in the phrase
    return _person_within(ctx, tok)


def core_tokens(tok: Token) -> list[Token]:
    """A phrase without its prepositional and clausal modifiers ('local media [in Ryazan]')."""
    return _phrase_without(tok, ("prep", "relcl", "acl", "advcl", "punct", "cc"))


def _phrase_without(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    """A token and its subtree, leaving out the children (and their subtrees) attached by ``deps``."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in deps:
            out.extend(_phrase_without(c, deps))
    return out


def nearest_named(ctx: Context, verb: Token, start: int, end: int) -> str | None:
    """Fallback when the parse gives the cue no subject: the nearest person or organization
    named in the cue's sentence outside the quote, before the cue first."""
    sent = verb.sent
    best: tuple[int, str] | None = None
    for tok in sent:
        eid = ctx.entity_at(tok)
        ent = ctx.record.entity(eid) if eid else None
        if ent is None or ent.type not in ("PERSON", "ORG") or start <= tok.idx < end:
            continue
        if ent.type == "ORG" and tok.dep_ == "appos" and is_person_token(tok.head, ctx):
            continue  # 'Tom Molomby, SC, said': an affiliation, not the speaker
        distance = verb.i - tok.i if tok.i < verb.i else 1000 + tok.i - verb.i
        if best is None or distance < best[0]:
            best = (distance, eid)
    return best[1] if best else None


@cache
def _source_phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in lexicon.phrases("source_phrases.txt"))


def _author_of_statement(tok: Token) -> Token:
    """'a statement issued by President Sarkozy's office' -> the office (a statement speaks for its author)."""
    if tok.lemma_.lower() not in lexicon.words("speech_nouns.txt"):
        return tok
    for t in tok.subtree:
        if t.dep_ in ("agent", "prep") and t.lower_ == "by" and (
                t.head.lemma_.lower() in lexicon.words("authorship_verbs.txt") or t.head.i == tok.i):
            obj = next((g for g in t.children if g.dep_ == "pobj"), None)
            if obj is not None:  # 'issued by X' (not 'seen by Sky News')
                return obj
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None:  # 'the Home Office letter'
        owner = next((c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    return owner if owner is not None else tok


def according_to(sent: Span) -> Token | None:
    """The X of 'according to X', 'in the words of X' in a sentence: the first name after the phrase."""
    doc = sent.doc
    words = [t.lower_ for t in sent]
    for phrase in _source_phrases():
        n = len(phrase)
        for k in range(len(words) - n):
            if tuple(words[k : k + n]) == phrase:
                after = sent[k + n :]
                # 'according to curator Elaine Gustafon': the parse may give 'to' two objects; the name wins
                # ('According to Rathbun the property was ...': the parse may make the name a verb, pcomp)
                objects = [t for t in after if t.head.i == sent[k + n - 1].i and (
                    t.dep_ == "pobj" or t.dep_ == "pcomp" and t.text[:1].isupper())]
                found = next((t for t in objects if t.pos_ == "PROPN"), objects[0] if objects else None)
                if found is None:
                    found = next((t for t in after if t.dep_ == "pobj"), after[0] if len(after) else None)
                return _author_of_statement(found) if found is not None and doc else None
    return None


def _relayed_source(sent: Span) -> Token | None:
    """The object of a subjectless 'quoting'/'citing' in the sentence: whose words are passed on."""
    for tok in sent:
        if tok.lemma_.lower() in ("quote", "cite") and tok.tag_ == "VBG" \
                and not any(c.dep_ in _SUBJECT_DEPS for c in tok.children):
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
    return None


def told_to(verb: Token) -> Token | None:
    """'telling Argumenty i Fakty' / 'told Reuters': the addressee of a telling verb in the sentence."""
    for tok in verb.sent:
        if tok.lemma_ == "tell":
            for c in tok.children:
                if c.dep_ in ("dobj", "dative", "iobj"):
                    return c
    return None


class Attribution:
    """Assigns speaker, cue and via for a span of text."""

    def __init__(self, ctx: Context, quoted: Sequence[tuple[int, int]] = ()) -> None:
        self.ctx = ctx
        self.quoted = quoted  # every span inside quote marks: no speaker's subject stands there
        self.paras = paragraph_spans(ctx.article.text)

    def entity_name(self, tok: Token | None) -> tuple[str | None, str | None]:
        """The speaker a phrase names: its entity, else a proper or institutional phrase
        ('the Saudi Interior Ministry', 'the French interior ministry') the NER missed."""
        if tok is not None:
            named = self._named_by_phrase(tok)
            if named is not None:
                return named
        eid = entity_of(self.ctx, tok)
        ent = self.ctx.record.entity(eid) if eid else None
        if tok is not None and (ent is None or ent.type == "NORP"):
            person = _person_within(self.ctx, tok)  # 'Afghan Ambassador to the US Hamdullah Mohib'
            if person is not None:
                return person, self.ctx.entity_name(person)
            if _names_a_body(tok):
                org = _organization_named_by(self.ctx, _name_phrase(tok))
                if org is not None:  # 'The Church also claims' after 'the Church of Scientology'
                    return org, self.ctx.entity_name(org)
                eid, name = self.definite_reference(tok)  # 'the agency said' after 'the Food Safety Agency'
                return (eid, name) if name is not None else (None, _name_phrase(tok))
        if ent is not None and ent.type == "NORP" and tok is not None and self.ctx.entity_at(tok) != eid:
            return None, None  # 'the current Democratic presidential nominee': a modifier, not the speaker
        if ent is not None and ent.type == "ORG" and tok is not None:
            person = _person_of_organization(self.ctx, tok)
            if person is not None:  # 'The Institute for Defense Analyses's Kim Chang-su stated'
                return person, self.ctx.entity_name(person)
        if ent is not None:
            return eid, ent.name
        return None, None

    def body_before(self, pronoun: Token) -> tuple[str | None, str | None]:
        """'Scientology officials went to the station, where they claimed ...', 'The ministry said it
        ...': 'they'/'it' is the latest subject before it (this sentence or the one before) that names
        an organization, a country or a body. People are left to the entities stage's he/she rules."""
        start = self.ctx.sentence_before(pronoun.idx).start
        for tok in reversed(pronoun.doc[start : pronoun.i]):
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ == "PRON":
                continue
            eid, name = self.entity_name(tok)
            ent = self.ctx.record.entity(eid) if eid else None
            if name is not None and (ent is None or ent.type != "PERSON"):
                return eid, name
            return None, None  # the latest subject is a person or nothing we can name
        return None, None

    def definite_reference(self, tok: Token, previous: Found | None = None) -> tuple[str | None, str | None]:
        """'The city reasoned', '..., said the attackers': a bare definite description
        (data/definite_references.json) names the speaker of the paragraph's previous quote when that
        fits, else the latest fitting entity named outside quotes in this paragraph or the one before."""
        fits = _definite_description(tok)
        if fits is None:
            return None, None
        record = self.ctx.record
        if previous is not None and previous.speaker_id and _fits(record.entity(previous.speaker_id), fits):
            return previous.speaker_id, previous.speaker
        paras = self.paras
        para = next((n for n, (a, b) in enumerate(paras) if a <= tok.idx <= b), 0)
        since = paras[max(para - 1, 0)][0] if paras else 0
        for t in reversed(tok.doc[:tok.i]):
            if t.idx < since:
                break
            eid = self.ctx.entity_at(t)
            if eid and not any(a <= t.idx < b for a, b in self.quoted) and _fits(record.entity(eid), fits):
                return eid, record.entity(eid).name
        return None, None

    def _named_by_phrase(self, tok: Token) -> tuple[str | None, str | None] | None:
        """Speakers a phrase names indirectly, or None to fall back on the phrase's own entity:
        'Malaysia's Prime Minister, Najib Razak' (the appositive person), 'the statement' (its author,
        here or where the article first gave one), 'Malaysian authorities' (the country)."""
        person = _appositive_person(self.ctx, tok)
        if person is not None:
            return person, self.ctx.entity_name(person)
        if is_anonymous(tok):
            return ANONYMOUS
        if tok.lemma_.lower() in lexicon.words("finding_nouns.txt"):
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            source = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
            if source is not None:  # 'The results of the National Iodine Study revealed'
                return self.entity_name(source)
        if tok.lemma_.lower() in lexicon.words("speech_nouns.txt"):
            author = _author_of_statement(tok)
            if author.i == tok.i:
                author = _earlier_author(tok)
            if author is not None and author.i != tok.i:
                return self.entity_name(author)
            named = _named_document(self.ctx, tok)
            if named is not None:  # 'the report says' after 'the Australian National Iodine Study'
                return named, self.ctx.entity_name(named)
        return self._country_body(tok)

    def _country_body(self, tok: Token) -> tuple[str | None, str | None] | None:
        """'Malaysian authorities', 'Somali officials', 'the Chinese government': the country speaks;
        'Scientology officials': the organization the article names in full."""
        if tok.lemma_.lower() not in lexicon.words("generic_bodies.txt"):
            return None
        if tok.text[:1].isupper() and any(c.dep_ == "compound" and c.text[:1].isupper() for c in tok.lefts):
            return None  # "Saudi Arabia's Civil Defense Authority": a named body, not the country's state
        for mod in tok.lefts:
            named = self._body_of_compound(mod) if mod.dep_ == "compound" else None
            if named is None:
                named = self._country_of_modifier(mod)
            if named is not None:
                return named
        return None

    def _body_of_compound(self, mod: Token) -> tuple[str | None, str | None] | None:
        """'Scientology officials' (an organization of the article), 'Hamas officials' (a name)."""
        if not mod.text[:1].isupper() or (mod.is_sent_start and mod.pos_ != "PROPN"):
            return None
        eid = _organization_named_by(self.ctx, mod.text) or self.ctx.entity_at(mod)
        ent = self.ctx.record.entity(eid) if eid else None
        if ent is not None and (ent.type == "ORG" or ent.type == "NORP" and not country_of_demonym(ent.name)):
            return eid, ent.name  # a body, not a nationality
        if ent is None and mod.pos_ in ("PROPN", "NOUN"):
            return None, mod.text
        return None

    def _country_of_modifier(self, mod: Token) -> tuple[str | None, str | None] | None:
        """'the Chinese government', 'Malaysian authorities', 'French officials' -> the country."""
        eid = self.ctx.entity_at(mod)
        ent = self.ctx.record.entity(eid) if eid else None
        if ent is not None and ent.type == "GPE":
            return eid, ent.name
        if ent is not None and ent.type == "NORP":
            country = country_of_demonym(ent.name)
        else:  # a demonym the NER left untagged
            country = country_of_demonym(mod.text) if ent is None and mod.text[:1].isupper() else None
        if not country:
            return None
        return next((e.id for e in self.ctx.record.entities if e.type == "GPE" and e.name == country), None), country

    def relayed(self, found: Found, sent: Span) -> None:
        """'According to Yonhap, quoting KCNA, ...': the quoted source speaks; the one quoting it is
        the medium it came through."""
        relay = _relayed_source(sent)
        if relay is None:
            return
        eid, name = self.entity_name(relay)
        if name is not None:
            found.via = found.speaker or found.via
            found.speaker_id, found.speaker = eid, name

    def via_for(self, sent: Span, verb: Token | None) -> str | None:
        for tok in (according_to(sent), told_to(verb) if verb is not None else None):
            if tok is None:
                continue
            _, name = self.entity_name(tok)
            phrase = name or _phrase(tok)
            if is_outlet(phrase) or is_outlet(_phrase(tok)):
                return name or _phrase(tok)
        return None

    def from_verb(self, found: Found, verb: Token, sent: Span) -> None:
        subj = subject_of(verb)
        if subj is not None and any(a <= subj.idx < b for a, b in self.quoted):
            subj = None  # a misparse took a quoted word for the subject
        found.cue = verb.text
        found.speaker_id, found.speaker = self.entity_name(subj)
        if subj is None:
            eid = nearest_named(self.ctx, verb, found.start, found.end)
            found.speaker_id, found.speaker = eid, self.ctx.entity_name(eid)
        elif found.speaker is None and subj.lower_ in ("they", "it"):
            found.speaker_id, found.speaker = self.body_before(subj)
        found.via = self.via_for(sent, verb)
        if found.speaker is None:
            acc = according_to(sent)
            if acc is not None and not is_outlet(_phrase(acc)):
                found.speaker_id, found.speaker = self.entity_name(acc)


ANONYMOUS: tuple[None, None] = (None, None)


def _definite_description(tok: Token) -> dict | None:
    """What 'the <noun>' (nothing else before the noun) may refer back to, if it is listed."""
    if tok.pos_ != "NOUN" or [c.lower_ for c in tok.lefts] != ["the"]:
        return None
    return lexicon.table("definite_references.json").get(tok.lemma_.lower())


def _fits(entity: Entity | None, fits: dict) -> bool:
    if entity is None:
        return False
    if entity.type in fits.get("types", ()):
        return True
    if {w.rstrip("s") for w in entity.name.lower().split()} & {w.rstrip("s") for w in fits.get("name_words", ())}:
        return True  # ('Immigration Services' for 'the agency')
    if entity.type == "GPE" and fits.get("kinds"):
        best = gazetteer().best(entity.name)
        return best is not None and best[0].kind in fits["kinds"]
    return False


def is_anonymous(tok: Token) -> bool:
    """'An Iraqi policeman says', 'a Somali government official said': one unnamed person."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NN" or tok.dep_ == "appos":
        return False
    det = next((c for c in tok.children if c.dep_ in ("det", "nummod")), None)
    return det is not None and det.lower_ in ("a", "an", "one", "another") \
        and not any(c.dep_ in ("appos", "acl", "relcl") for c in tok.children)


def _appositive_person(ctx: Context, tok: Token) -> str | None:
    """The person in an apposition to the phrase: 'Jangeli's Sudanese counterpart, Deng Alor';
    or the organization in one to a common noun: 'the Internet security firm Secunia.com'."""
    if ctx.entity_at(tok) and ctx.record.entity(ctx.entity_at(tok)).type == "PERSON":
        return None
    for appos in (c for c in tok.children if c.dep_ == "appos"):
        named = [ctx.record.entity(e) for t in appos.subtree if (e := ctx.entity_at(t))]
        people = [e.id for e in named if e.type == "PERSON"]
        if people:
            return people[0]
        orgs = [e.id for e in named if e.type == "ORG"]
        if orgs and tok.pos_ == "NOUN" and not ctx.entity_at(tok):
            return orgs[0]
    return None


def _named_document(ctx: Context, tok: Token) -> str | None:
    """The latest entity before a bare 'the report'/'the study' whose name ends in a document word."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        return None
    documents = lexicon.words("speech_nouns.txt")
    best: tuple[int, str] | None = None
    for e in ctx.record.entities:
        last = e.name.split()[-1].lower() if e.name.split() else ""
        if e.type in ("ORG", "WORK_OF_ART", "EVENT") and len(e.name.split()) > 1 and last in documents:
            starts = [m.start for m in e.mentions if m.start < tok.idx]
            if starts and (best is None or max(starts) > best[0]):
                best = (max(starts), e.id)
    return best[1] if best else None


def _earlier_author(tok: Token) -> Token | None:
    """'the statement explained' after 'a statement issued by the President's office': the author
    the article gave the last time it mentioned that kind of document."""
    lemma = tok.lemma_.lower()
    for prev in reversed(tok.doc[max(0, tok.sent.start - 200) : tok.i]):
        if prev.lemma_.lower() != lemma:
            continue
        author = _author_of_statement(prev)
        if author.i != prev.i:
            return author
        issuer = prev.head if prev.dep_ in ("dobj", "nsubjpass") else None
        if prev.dep_ == "pobj" and prev.head.dep_ == "prep":  # 'X said in a statement'
            issuer = prev.head.head
            while issuer.pos_ not in ("VERB", "AUX") and issuer.head.i != issuer.i:
                issuer = issuer.head  # 'X claimed responsibility in a statement'
        subj = next((c for c in issuer.children if c.dep_ == "nsubj"), None) if issuer is not None else None
        if subj is not None and subj.pos_ != "PRON":
            return subj
    return None


def _organization_named_by(ctx: Context, short: str) -> str | None:
    """The one organization of the article whose longer name contains a short name as a word
    ('Church' or 'Scientology' for 'Church of Scientology'), or that is a spelling variant of it
    ('al-Shabab' for 'al-Shabaab')."""
    same_key = [e for e in ctx.record.entities if e.type == "ORG" and name_key(e.name) == name_key(short)]
    if len(same_key) == 1:
        return same_key[0].id
    words = short.lower().split()
    if len(words) != 1:
        return None
    found = [e for e in ctx.record.entities if e.type == "ORG" and len(e.name.split()) > 1
             and words[0] in e.name.lower().split()]
    return found[0].id if len(found) == 1 else None


def _person_within(ctx: Context, tok: Token) -> str | None:
    """The last person named in a phrase (nearest to its verb), leaving out coordinated and clausal
    parts ('al-Shabab as well as another group, called Hizbul Islam': not Hizbul Islam)."""
    people = [e for t in _without_conjuncts(tok) if (e := ctx.entity_at(t)) and ctx.record.entity(e).type == "PERSON"]
    return people[-1] if people else None


def _person_of_organization(ctx: Context, tok: Token) -> str | None:
    """A person the organization's possessive names inside the phrase ('X's Kim Chang-su'), which the
    parser may hang below the organization's name."""
    for t in _without_conjuncts(tok):
        eid = ctx.entity_at(t)
        if eid and ctx.record.entity(eid).type == "PERSON" and any(
                c.dep_ == "poss" and c.i < t.i and ctx.entity_at(c) != eid for c in t.children):
            return eid
    return None


def _without_conjuncts(tok: Token) -> list[Token]:
    return _phrase_without(tok, ("conj", "cc", "relcl", "acl", "punct", "preconj"))


def _names_a_body(tok: Token) -> bool:
    """A proper name ('the Saudi Interior Ministry'), or an institution with a named owner
    ('the French interior ministry', 'Malaysian authorities'); not 'officials' or 'residents'."""
    if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and not tok.is_sent_start and tok.pos_ != "PRON"):
        return True
    if tok.lemma_.lower() not in lexicon.words("institutions.txt") and tok.lower_ not in lexicon.words(
            "institutions.txt"):
        return False
    if tok.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        return True  # 'The tribunal also concluded': the one body the article is about
    return any(c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE", "ORG") for c in tok.lefts)


def _name_phrase(tok: Token) -> str:
    """A phrase without its determiner, clauses and prepositional tails: 'the Saudi Interior Ministry'."""
    keep = sorted(_without_conjuncts(tok), key=lambda t: t.i)
    keep = [t for t in keep if not t.is_punct and t.dep_ not in ("det", "poss", "case", "advmod", "prep", "pobj")
            or t.i == tok.i]
    if not keep:
        return tok.text
    return tok.doc[keep[0].i : keep[-1].i + 1].text


def _phrase(tok: Token) -> str:
    words = [t for t in tok.subtree if not t.is_punct]
    while words and words[0].pos_ == "DET":
        words.pop(0)
    if not words:
        return tok.text
    return tok.doc[words[0].i : words[-1].i + 1].text


def tokens_inside(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def governing_cue(inside: list[Token], sents: list[Span], start: int, end: int) -> Token | None:
    """The outermost speech verb above the quote, else the nearest one beside it.

    Climbing stops at a speech clause adjoined to another ('..., said A, while B said the fighting
    was the "worst in months"'): the higher verb reports other words."""
    outermost: Token | None = None
    depth = -1
    for tok in inside:
        if tok.is_punct:
            continue  # a closing period hangs on the sentence's root, whoever speaks there
        for anc in _ancestors_within_statement(tok, start, end):
            if start <= anc.idx < end or not is_cue(anc):
                continue
            d = sum(1 for _ in anc.ancestors)
            if outermost is None or d < depth:
                outermost, depth = anc, d
    if outermost is not None:
        return outermost
    beside = [t for s in sents for t in s if is_cue(t) and not (start <= t.idx < end)]
    if beside:
        return min(beside, key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))
    return None


def _ancestors_within_statement(tok: Token, start: int, end: int) -> list[Token]:
    """Heads above ``tok`` up to the first speech verb outside the quote that is itself adjoined
    (advcl) or coordinated (conj) with a subject of its own: above it, the words belong to someone else
    ('telling X, "..."' has no subject of its own and speaks for the verb it hangs on)."""
    out = []
    for anc in tok.ancestors:
        out.append(anc)
        if not (start <= anc.idx < end) and is_cue(anc) and anc.dep_ in ("advcl", "conj") \
                and any(c.dep_ in _SUBJECT_DEPS for c in anc.children):
            break
    return out


def _short_fragment(quoted: str) -> bool:
    """Three words or fewer, not a sentence of their own ('a "significant public benefit."' keeps the
    period inside the marks, American style)."""
    words = quoted.split()
    return len(words) <= 3 and quoted.rstrip()[-1:] not in "!?" and not (
        len(words) > 1 and quoted.rstrip()[-1:] in ".," and words[0][:1].isupper())


def is_title(quoted: str) -> bool:
    """'The Internet Explorer 6 Countdown', 'Operation Sea Lion': every main word capitalized."""
    words = quoted.rstrip(",").split()
    if not words or len(words) > 8 or quoted.rstrip(",")[-1:] in ".!?;:":
        return False
    small = lexicon.words("title_small_words.txt")
    return words[0][:1].isupper() and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small
                                          for w in words)


def _modifier_or_noun(inside: Sequence[Token], start: int, end: int) -> bool:
    """A one-word quote that modifies a noun or is a noun: a term, not a characterization
    (a predicative 'calling it "ill-founded"' is the speaker's word)."""
    words = [t for t in inside if start <= t.idx < end and not t.is_punct]
    if len(words) != 1:
        return False
    tok = words[0]
    return tok.dep_ in ("amod", "compound", "nmod") or tok.pos_ in ("NOUN", "PROPN")


def is_label(text: str, start: int, quoted: str, inside: Sequence[Token] = (), said: bool = False) -> bool:
    """A quoted name or term: a title, or short with no final punctuation after 'a', 'the', 'so-called'...

    ``said``: the quote hangs under a speech verb. Then only naming cues ('so-called', 'dubbed') or
    a bare noun phrase ('a "reassurance force"') make it a term; evaluative words are the speaker's
    ('has a "strong rationale"')."""
    if is_title(quoted):
        return True
    words = quoted.split()
    if not words or len(words) > _LABEL_MAX_WORDS or quoted.rstrip()[-1:] in ".!?,;:":
        return False
    if len(words) <= 2 and start > 0 and text[start - 1] in "'‘":
        return True  # 'she wasn't 'forced' to be there': short words in single marks are scare quotes
    if len(words) == 1 and _modifier_or_noun(inside, start, start + len(quoted)):
        return True  # 'served with "electric" Kool Aid', 'gumball "pills"'
    before = text[max(0, start - 40) : start - 1].lower().split()
    cues = lexicon.words("label_cues.txt")
    cue = before[-1] if before and before[-1] in cues else " ".join(before[-2:]) if " ".join(before[-2:]) in cues else None
    if cue is None:
        return False
    if said and cue in lexicon.words("weak_label_cues.txt"):
        return not any(t.pos_ in ("ADJ", "ADV", "VERB") for t in inside)
    return True


# --- the stage --------------------------------------------------------------------------


@stage("quotes")
def quotes(ctx: Context) -> None:
    text, doc = ctx.article.text, ctx.doc
    marks = find_quote_marks(text)
    attr = Attribution(ctx, marks)
    direct: list[Found] = []
    previous: Found | None = None
    paras = attr.paras
    for start, end in marks:
        found = Found(start, end)
        inside = tokens_inside(doc, start, end)
        sents = _sentences_touching(ctx, start, end)
        under_cue = any(is_cue(a) and not (start <= a.idx < end) for tok in inside for a in tok.ancestors)
        if is_label(text, start, text[start:end], inside, said=under_cue):
            found.kind = "label"
        elif (signed := _signed_by(ctx, end, paras)) is not None:
            found.speaker_id, found.speaker = signed  # '"...." ― Pamela Padilla': an epigraph's signature
        else:
            cue = governing_cue(inside, sents, start, end)
            if cue is not None and _short_fragment(text[start:end]) and not under_cue:
                cue = None  # a short quoted term beside (not under) a speech verb: a scare quote
            if cue is None:
                cue = _cue_in_tail(ctx, end, paras) or _cue_in_lead_in(ctx, start, paras) \
                    or _predicate_cue(inside, start)
            if cue is not None:
                attr.from_verb(found, cue, cue.sent)
                subj = subject_of(cue)
                if found.speaker is None and subj is not None:
                    found.speaker_id, found.speaker = attr.definite_reference(
                        subj, previous if previous is not None and _continues(text, previous, found, paras) else None)
                if subj is not None and _names_in_third_person(ctx, found, subj):
                    # 'He said, "Andy Warhol was the center of ..."': he is not Warhol, but the person before
                    other = _other_person_before(ctx, subj, found)
                    if other is not None:
                        _move_mention(ctx, subj, other)
                        found.speaker_id, found.speaker = other, ctx.entity_name(other)
                if found.speaker is None and previous is not None and subj is not None \
                        and subj.lower_ in ("it", "they", "he", "she") and _continues(text, previous, found, paras) \
                        and _gender_fits(subj, previous.speaker):
                    found.speaker_id, found.speaker = previous.speaker_id, previous.speaker
            elif (source := _source_phrase(sents)) is not None:
                # 'in the words of the prosecutor, X, "..."', '"...", according to the Herald': an outlet
                # quoted for its own words is the speaker
                found.speaker_id, found.speaker = attr.entity_name(source)
                found.cue = "according to"
            elif not _short_fragment(text[start:end]) and (
                    earlier := _cue_earlier_in_paragraph(ctx, start, paras, direct)) is not None and (
                    previous is None or not _continues(text, previous, found, paras) or earlier.idx > previous.end):
                # 'Kiara Perkins admitted she was willing to ... Why did she want to attend? "It's Warhol."'
                attr.from_verb(found, earlier, earlier.sent)
                found.cue = None
            elif previous is not None and _continues(text, previous, found, paras):
                found.speaker_id, found.speaker, found.via = previous.speaker_id, previous.speaker, previous.via
            elif len(text[start:end].split()) <= 3:
                found.kind = "label"  # a short quoted term nobody is said to have said
            if found.kind == "speech":
                previous = found
        direct.append(found)
        ctx.record.quotes.append(_quote(ctx, found, direct=True))
    for q in reported_speech(ctx, attr, direct):
        ctx.record.quotes.append(q)
    ctx.record.quotes.sort(key=lambda q: (q.start, not q.direct))


_SIGNATURE = re.compile(r"[\"”’']?[^\S\n]*[―—–-]{1,2}[^\S\n]*")


def _signed_by(ctx: Context, end: int, paras: list[tuple[int, int]]) -> tuple[str | None, str] | None:
    """A dash and a name right after the closing mark, ending the paragraph: the quote's signature."""
    text = ctx.article.text
    _, para_end = _para_bounds(end, paras)
    m = _SIGNATURE.match(text, end)
    if m is None or m.end() == end + (1 if text[end:end + 1] in "\"”’'" else 0):
        return None  # no dash
    line_end = text.find("\n", m.end())
    rest = text[m.end() : min(para_end, line_end) if line_end >= 0 else para_end].strip()
    if not rest or len(rest.split()) > 6 or not rest[:1].isupper():
        return None
    span = ctx.doc.char_span(m.end(), m.end() + len(rest), alignment_mode="expand")
    if span is None:
        return None
    eid = next((e for t in span if (e := ctx.entity_at(t))), None)
    ent = ctx.record.entity(eid) if eid else None
    if ent is not None and ent.type in ("PERSON", "ORG"):
        return eid, ent.name
    return None


def _gender_fits(pronoun: Token, name: str | None) -> bool:
    """'she' never continues Brian's quotes; names of unknown gender fit either."""
    wanted = pronoun_gender(pronoun.text)
    return wanted is None or not name or gender_of(name) in (wanted, None)


def _names_in_third_person(ctx: Context, found: Found, pronoun: Token) -> bool:
    """A quote given to 'he'/'she' that names that very person by name: people seldom do."""
    if pronoun_gender(pronoun.text) is None or not found.speaker_id:
        return False
    return _named_inside(ctx, tokens_inside(ctx.doc, found.start, found.end), found.speaker_id)


def _named_inside(ctx: Context, inside: list[Token], eid: str) -> bool:
    """Whether a quote's tokens name this person (a mention of them, or their surname)."""
    surname = ctx.entity_name(eid).split()[-1:]
    return any(t.pos_ == "PROPN" and (ctx.entity_at(t) == eid or [t.text] == surname) for t in inside)


def _other_person_before(ctx: Context, pronoun: Token, found: Found) -> str | None:
    """Another person of the pronoun's gender named in the sentence before the quote or since, and not
    in the quote: the latest subject among them, else the latest."""
    start = ctx.sentence_before(min(found.start, pronoun.idx)).start
    inside = tokens_inside(ctx.doc, found.start, found.end)
    people: list[tuple[Token, str]] = []
    for tok in pronoun.doc[start : pronoun.i]:
        eid = ctx.entity_at(tok)
        ent = ctx.record.entity(eid) if eid and tok.pos_ == "PROPN" and not found.start <= tok.idx < found.end else None
        if ent is not None and ent.type == "PERSON" and gender_of(ent.name) in (pronoun_gender(pronoun.text), None) \
                and not _named_inside(ctx, inside, eid):
            people.append((tok, eid))
    subjects = [(t, e) for t, e in people if in_subject(t)]
    return (subjects or people)[-1][1] if people else None


def _move_mention(ctx: Context, tok: Token, to: str) -> None:
    """Re-point a pronoun's mention from the entity the entities stage chose to ``to``."""
    old = ctx.entity_at(tok)
    source, target = ctx.record.entity(old) if old else None, ctx.record.entity(to)
    if target is None or old == to:
        return
    if source is not None:
        moved = [m for m in source.mentions if m.start == tok.idx]
        source.mentions = [m for m in source.mentions if m.start != tok.idx]
        target.mentions = sorted([*target.mentions, *moved], key=lambda m: m.start)
    ctx.token_entity[tok.i] = to


def _sentences_touching(ctx: Context, start: int, end: int) -> list[Span]:
    first = ctx.sentence_at(start)
    last = ctx.sentence_at(max(end - 1, start))
    if first.start == last.start:
        return [first]
    return [s for s in ctx.doc[first.start : last.end].sents]


def _source_phrase(sents: list[Span]) -> Token | None:
    return next((acc for sent in sents if (acc := according_to(sent)) is not None), None)


def _para_bounds(pos: int, paras: list[tuple[int, int]]) -> tuple[int, int]:
    return next(((a, b) for a, b in paras if a <= pos <= b), (0, 0))


def _cue_in_tail(ctx: Context, end: int, paras: list[tuple[int, int]]) -> Token | None:
    """'"...." Morin said.' -- a short sentence right after the quote, in the same paragraph, with a cue."""
    _, para_end = _para_bounds(end, paras)
    pos = end + 1
    while pos < para_end and ctx.article.text[pos] in " ,.\"”":
        pos += 1
    if pos >= para_end or pos - end > 4:
        return None
    nxt = ctx.sentence_at(pos)
    if nxt.start_char > pos or len(nxt) > 12:
        return None
    cues = [t for t in nxt if is_cue(t) and t.idx >= pos]
    return cues[0] if cues else None


def _cue_in_lead_in(ctx: Context, start: int, paras: list[tuple[int, int]]) -> Token | None:
    """'X described the aftermath: "..."' or 'X issued a statement. "..."': the sentence before,
    in the same paragraph, introduces the quote that opens this sentence."""
    sent = ctx.sentence_at(start)
    para_start, _ = _para_bounds(start, paras)
    if sent.start == 0:
        return None
    prev = ctx.sentence_at(sent.start_char - 1)
    if sent.start_char <= para_start and not prev.text.rstrip().endswith((":", ",")):
        return None  # a new paragraph continues the last one only after 'X stated:'

    cues = [t for t in prev if is_cue(t)]
    opens_sentence = start - sent.start_char <= 1
    if prev.text.rstrip().endswith((":", ",")) or opens_sentence:
        if cues:
            return cues[-1]
        if opens_sentence and any(t.lemma_.lower() in lexicon.words("speech_nouns.txt") for t in prev):
            return prev.root if prev.root.pos_ in ("VERB", "AUX") else None
    return None


def _predicate_cue(inside: list[Token], start: int) -> Token | None:
    """'Sarkozy had "asked that all available means ..."': the quote opens with the speech verb of a
    subject named before it."""
    for tok in inside[:3]:
        if is_cue(tok) and tok.pos_ == "VERB" and any(c.dep_ == "nsubj" and c.idx < start for c in tok.children):
            return tok
    return None


def _cue_earlier_in_paragraph(ctx: Context, start: int, paras: list[tuple[int, int]],
                              quotes_so_far: list[Found]) -> Token | None:
    """The last speech verb with a named subject earlier in the quote's paragraph, outside quotes."""
    para_start, _ = _para_bounds(start, paras)
    before = ctx.doc.char_span(para_start, start, alignment_mode="contract")
    if before is None:
        return None
    quoted = [(f.start, f.end) for f in quotes_so_far]
    for tok in reversed(before):
        if is_cue(tok) and tok.pos_ == "VERB" and not any(a <= tok.idx < b for a, b in quoted):
            subj = subject_of(tok)
            if subj is not None and (subj.pos_ == "PROPN" or ctx.entity_at(subj)):
                return tok
    return None


def _continues(text: str, previous: Found, found: Found, paras: list[tuple[int, int]]) -> bool:
    """The same speaker goes on: same paragraph, or the next paragraph opening with a quote."""
    def para_of(pos: int) -> int:
        return max(n for n, (a, _) in enumerate(paras) if a <= pos)

    p_prev, p_now = para_of(previous.start), para_of(found.start)
    if p_prev == p_now:
        return True
    return p_now == p_prev + 1 and paras[p_now][0] >= found.start - 1


def _quote(ctx: Context, f: Found, direct: bool) -> Quote:
    sents = _sentences_touching(ctx, f.start, f.end)
    sentence = ctx.article.text[sents[0].start_char : sents[-1].end_char].strip()
    return Quote(
        text=ctx.article.text[f.start : f.end], start=f.start, end=f.end, direct=direct,
        speaker=f.speaker if f.kind == "speech" else None,
        speaker_id=f.speaker_id if f.kind == "speech" else None,
        cue=f.cue if f.kind == "speech" else None, via=f.via, sentence=sentence, kind=f.kind,
    )


# --- reported speech ---------------------------------------------------------------------


def reported_speech(ctx: Context, attr: Attribution, direct: list[Found]) -> list[Quote]:
    inside_quotes = [(f.start, f.end) for f in direct if f.kind == "speech"]

    def mostly_quoted(a: int, b: int) -> bool:
        covered = sum(max(0, min(b, e) - max(a, s)) for s, e in inside_quotes)
        return covered >= 0.8 * (b - a)

    def in_quote(pos: int) -> bool:
        return any(s <= pos < e for s, e in inside_quotes)

    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for tok in ctx.doc:
        if not is_cue(tok) or in_quote(tok.idx):
            continue
        clauses = [_clause_span(c, tok) for c in tok.children if c.dep_ == "ccomp"]
        if tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX") and not clauses:
            span = _parenthetical_span(tok)  # 'X said, they arrested ...'
            if span is not None and not any(s < span[1] and span[0] < e for s, e in inside_quotes):
                clauses = [span]  # (a clause holding a direct quote is that quote's business)
        for span in clauses:
            if span is None or mostly_quoted(*span) or span in seen:
                continue
            seen.add(span)
            found = Found(*span)
            attr.from_verb(found, tok, tok.sent)
            out.append(_quote(ctx, found, direct=False))
    for sent in ctx.sentences():
        acc = according_to(sent)
        if acc is None or in_quote(acc.idx) or is_outlet(_phrase(acc)):
            continue
        span = _according_clause(sent, acc)
        if span is None or mostly_quoted(*span) or any(_overlap(span, s) > 0.5 for s in seen):
            continue
        seen.add(span)
        found = Found(*span)
        found.speaker_id, found.speaker = attr.entity_name(acc)
        found.cue = "according to"
        attr.relayed(found, sent)
        out.append(_quote(ctx, found, direct=False))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(1, min(a[1] - a[0], b[1] - b[0]))


def _clause_span(clause: Token, verb: Token) -> tuple[int, int] | None:
    """The reported clause, without a trailing ', telling X, "..."' (a second cue of its own)."""
    cut = min((c.left_edge.i for c in clause.children if c.dep_ == "advcl" and is_cue(c) and c.i > clause.i),
              default=None)
    toks = [t for t in clause.subtree if t.i != verb.i and (cut is None or t.i < cut)]
    while toks and (toks[0].dep_ == "mark" and toks[0].lower_ in ("that", "whether", "if") or toks[0].is_punct):
        toks.pop(0)
    while toks and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].text not in ('"', "”", "’"):
        toks.pop()
    if len(toks) < 3:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _parenthetical_span(cue: Token) -> tuple[int, int] | None:
    """The clause a parenthetical speech verb comments on: 'Malaysian authorities said, they arrested
    ...' (after the cue), 'The bridge, officials said, was closed' (around it)."""
    inside_cue = {t.i for t in cue.subtree}
    toks = [t for t in cue.head.subtree if t.i not in inside_cue and not t.is_space]
    after = [t for t in toks if t.i > max(inside_cue)]
    if toks and min(t.i for t in toks) > min(inside_cue) or len(after) == len(toks):
        toks = after
    return _trimmed_span(toks)


def _trimmed_span(toks: list[Token]) -> tuple[int, int] | None:
    """Character offsets of a run of tokens without its outer punctuation (a closing quote mark stays);
    None when fewer than three tokens are left."""
    toks = list(toks)
    while toks and toks[0].is_punct:
        toks.pop(0)
    while toks and toks[-1].is_punct and toks[-1].text not in ('"', "”"):
        toks.pop()
    if len(toks) < 3:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _according_clause(sent: Span, acc: Token) -> tuple[int, int] | None:
    """The rest of the sentence around 'according to X'."""
    phrase = [t for t in sent if t.lower_ == "according"]
    if not phrase:
        return None
    a = phrase[0]
    pp_end = acc.i + 1 if acc.dep_ == "pcomp" else max(t.i for t in acc.subtree) + 1
    relay = _relayed_source(sent)
    if relay is not None and relay.head.i >= pp_end:  # ', quoting KCNA,' belongs to the attribution
        comma = next((t for t in sent if t.i > relay.i and t.text == ","), None)
        pp_end = comma.i + 1 if comma is not None else pp_end
    before = [t for t in sent if t.i < a.i and not t.is_space]
    after = [t for t in sent if t.i >= pp_end and not t.is_space]
    return _trimmed_span(after if len(after) >= len(before) else before)
