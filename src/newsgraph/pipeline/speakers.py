"""Speakers: who said a quoted or reported stretch of text, and through which outlet.

:class:`Attribution` turns the phrase a cue's subject (or 'according to') gives into a speaker:
the entity it names (see referents), a country for 'Malaysian authorities', an organization for
'Scientology officials', the body before a 'they'/'it', the previous speaker for a definite
description that fits. Outlets named by 'according to' or 'telling' are the quote's `via`, never
its speaker; 'According to Yonhap, quoting KCNA' makes KCNA the speaker and Yonhap the via."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.intervals import Intervals
from newsgraph.pipeline.paragraphs import paragraph_spans
from newsgraph.pipeline.referents import (
    PERSON_DESCRIPTION,
    appositive_person,
    definite_description,
    earlier_author,
    entity_of,
    fits_description,
    is_anonymous,
    named_document,
    names_a_body,
    nearest_named,
    organization_named_by,
    person_description,
    person_of_organization,
    person_within,
)
from newsgraph.pipeline.sources import (
    according_to,
    author_of_statement,
    post_posed_speaker,
    relayed_source,
    told_to,
)
from newsgraph.pipeline.syntax import name_phrase, phrase_text, subject_of, subject_words, words_span
from newsgraph.pipeline.vocabulary import country_of_demonym, is_outlet
from newsgraph.record import Quote


@dataclass
class Found:
    """A quoted or reported stretch of text and what is known of its speaker so far."""

    start: int  # first character inside the marks
    end: int  # the closing mark's offset
    speaker_id: str | None = None
    speaker: str | None = None
    cue: str | None = None
    via: str | None = None
    kind: str = "speech"
    speaker_words: tuple[int, int] | None = None  # the words that name the speaker for this stretch


def sentences_touching(ctx: Context, start: int, end: int) -> list[Span]:
    first = ctx.sentence_at(start)
    last = ctx.sentence_at(max(end - 1, start))
    if first.start == last.start:
        return [first]
    return [s for s in ctx.doc[first.start : last.end].sents]


def to_quote(ctx: Context, f: Found, direct: bool) -> Quote:
    sents = sentences_touching(ctx, f.start, f.end)
    sentence = ctx.article.text[sents[0].start_char : sents[-1].end_char].strip()
    said = f.kind != "label"  # a label has no speaker
    words = f.speaker_words if said else None
    return Quote(
        text=ctx.article.text[f.start : f.end], start=f.start, end=f.end, direct=direct,
        speaker=f.speaker if said else None,
        speaker_id=f.speaker_id if said else None,
        cue=f.cue if said else None, via=f.via, sentence=sentence, kind=f.kind,
        speaker_start=words[0] if words else None, speaker_end=words[1] if words else None,
    )


class Attribution:
    """Assigns speaker, cue and via for a span of text."""

    def __init__(self, ctx: Context, quoted: Sequence[tuple[int, int]] = ()) -> None:
        self.ctx = ctx
        self.quoted = Intervals(quoted)  # every span inside quote marks: no speaker's subject stands there
        self.paras = paragraph_spans(ctx.article.text)
        self._according: dict[int, Token | None] = {}

    def according_to(self, sent: Span) -> Token | None:
        """The X of 'according to X' in the sentence, looked for once per sentence (every quote, report
        and stance in it asks)."""
        if sent.start not in self._according:
            self._according[sent.start] = according_to(sent)
        return self._according[sent.start]

    def entity_name(self, tok: Token | None) -> tuple[str | None, str | None]:
        """The speaker a phrase names: its entity, else a proper or institutional phrase
        ('the Saudi Interior Ministry', 'the French interior ministry') the NER missed."""
        if tok is not None:
            named = self._named_by_phrase(tok)
            if named is not None:
                return named
        if tok is not None and person_description(self.ctx, tok) and not self.ctx.entity_at(tok):
            return None, None  # 'the Kremlin chief' is a person the article named, not the Kremlin
        eid = entity_of(self.ctx, tok)
        ent = self.ctx.entity(eid) if eid else None
        if tok is not None and (ent is None or ent.type == "NORP"):
            person = person_within(self.ctx, tok)  # 'Afghan Ambassador to the US Hamdullah Mohib'
            if person is not None:
                return person, self.ctx.entity_name(person)
            if names_a_body(tok):
                org = organization_named_by(self.ctx, name_phrase(tok))
                if org is not None:  # 'The Church also claims' after 'the Church of Scientology'
                    return org, self.ctx.entity_name(org)
                eid, name = self.definite_reference(tok)  # 'the agency said' after 'the Food Safety Agency'
                return (eid, name) if name is not None else (None, name_phrase(tok))
        if ent is not None and ent.type == "NORP" and tok is not None and self.ctx.entity_at(tok) != eid:
            return None, None  # 'the current Democratic presidential nominee': a modifier, not the speaker
        if ent is not None and ent.type == "ORG" and tok is not None:
            person = person_of_organization(self.ctx, tok)
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
            ent = self.ctx.entity(eid) if eid else None
            if name is not None and (ent is None or ent.type != "PERSON"):
                return eid, name
            return None, None  # the latest subject is a person or nothing we can name
        return None, None

    def definite_reference(self, tok: Token, previous: Found | None = None) -> tuple[str | None, str | None]:
        """'The city reasoned', '..., said the attackers': a bare definite description
        (data/definite_references.json) names the speaker of the paragraph's previous quote when that
        fits, else the latest fitting entity named outside quotes in this paragraph or the one before."""
        ctx = self.ctx
        fits = definite_description(tok) or (PERSON_DESCRIPTION if person_description(ctx, tok) else None)
        if fits is None:
            return None, None
        if previous is not None and previous.speaker_id and fits_description(ctx.entity(previous.speaker_id), fits):
            return previous.speaker_id, previous.speaker
        paras = self.paras
        para = next((n for n, (a, b) in enumerate(paras) if a <= tok.idx <= b), 0)
        since = paras[max(para - 1, 0)][0] if paras else 0
        found: list[str] = []
        for t in reversed(tok.doc[:tok.i]):
            if t.idx < since:
                break
            eid = self.ctx.entity_at(t)
            if eid and eid not in found and t.idx not in self.quoted and fits_description(ctx.entity(eid), fits):
                found.append(eid)
        if not found:
            return None, None
        # 'the Russian leader' after Putin and Macron: the one whose role shares a word of the description
        words = {t.lower_ for t in tok.lefts if t.dep_ in ("amod", "compound")}
        shares = [e for e in found if words & {w.lower() for r in ctx.entity(e).roles for w in r.split()}]
        eid = (shares or found)[0]
        return eid, ctx.entity(eid).name

    def _named_by_phrase(self, tok: Token) -> tuple[str | None, str | None] | None:
        """Speakers a phrase names indirectly, or None to fall back on the phrase's own entity:
        'Malaysia's Prime Minister, Najib Razak' (the appositive person), 'the statement' (its author,
        here or where the article first gave one), 'Malaysian authorities' (the country)."""
        person = appositive_person(self.ctx, tok)
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
            author = author_of_statement(tok)
            if author.i == tok.i:
                author = earlier_author(tok)
            if author is not None and author.i != tok.i:
                return self.entity_name(author)
            named = named_document(self.ctx, tok)
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
        eid = organization_named_by(self.ctx, mod.text) or self.ctx.entity_at(mod)
        ent = self.ctx.entity(eid) if eid else None
        if ent is not None and (ent.type == "ORG" or ent.type == "NORP" and not country_of_demonym(ent.name)):
            return eid, ent.name  # a body, not a nationality
        if ent is None and mod.pos_ in ("PROPN", "NOUN"):
            return None, mod.text
        return None

    def _country_of_modifier(self, mod: Token) -> tuple[str | None, str | None] | None:
        """'the Chinese government', 'Malaysian authorities', 'French officials' -> the country."""
        eid = self.ctx.entity_at(mod)
        ent = self.ctx.entity(eid) if eid else None
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
        relay = relayed_source(sent)
        if relay is None:
            return
        eid, name = self.entity_name(relay)
        if name is not None:
            found.via = found.speaker or found.via
            found.speaker_id, found.speaker = eid, name
            found.speaker_words = words_span(relay)

    def via_for(self, sent: Span, verb: Token | None) -> str | None:
        for tok in (self.according_to(sent), told_to(verb) if verb is not None else None):
            if tok is None:
                continue
            _, name = self.entity_name(tok)
            phrase = name or phrase_text(tok)
            if is_outlet(phrase) or is_outlet(phrase_text(tok)):
                return name or phrase_text(tok)
        return None

    def from_phrase(self, found: Found, tok: Token) -> None:
        """The speaker a phrase names, and its words, for ``found``."""
        found.speaker_id, found.speaker = self.entity_name(tok)
        found.speaker_words = words_span(tok)

    def from_verb(self, found: Found, verb: Token, sent: Span) -> None:
        subj = subject_of(verb)
        if subj is not None and subj.idx in self.quoted:
            subj = None  # a misparse took a quoted word for the subject
        words = subject_words(verb) if subj is not None else None
        if subj is None:
            subj = post_posed_speaker(verb)
            words = words_span(subj) if subj is not None else None
        found.cue = verb.text
        found.speaker_id, found.speaker = self.entity_name(subj)
        found.speaker_words = words
        if subj is None:
            eid = nearest_named(self.ctx, verb, found.start, found.end)
            found.speaker_id, found.speaker = eid, self.ctx.entity_name(eid)
        elif found.speaker is None and subj.lower_ in ("they", "it"):
            found.speaker_id, found.speaker = self.body_before(subj)
        found.via = self.via_for(sent, verb)
        if found.speaker is None:
            acc = self.according_to(sent)
            if acc is not None and not is_outlet(phrase_text(acc)):
                self.from_phrase(found, acc)


ANONYMOUS: tuple[None, None] = (None, None)
