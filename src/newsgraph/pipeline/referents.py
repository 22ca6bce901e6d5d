"""Referents: which entity of the record a phrase names.

A phrase names its head's entity, else a person or organization inside it; an apposition
names its person ('Jangeli's Sudanese counterpart, Deng Alor'); a bare definite description
('the agency', data/definite_references.json) names the latest fitting entity; a short name
names the one organization whose longer name contains it ('the Church'); a document ('the
report') names its author (who issued it, here or where the article last gave one) or the study
the article named; a person behind an organization's possessive ("X's Kim Chang-su") is the one
named. 'An Iraqi policeman' is anonymous. (The subject itself comes from syntax.subject_of: a
relative pronoun's antecedent, 'Devocht, who had told him ...'; the named example of a plural,
'sites such as Gawker.com'.)"""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph import lexicon
from newsgraph.names import name_key
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.gazetteer import gazetteer
from newsgraph.pipeline.sources import author_of_statement
from newsgraph.pipeline.syntax import core_tokens, without_conjuncts
from newsgraph.record import Entity


def entity_of(ctx: Context, tok: Token | None) -> str | None:
    """The record entity a phrase refers to: its head's entity, else any person/org in it."""
    if tok is None:
        return None
    if ctx.entity_at(tok):
        return ctx.entity_at(tok)
    found = [ctx.entity_at(t) for t in core_tokens(tok) if ctx.entity_at(t)]
    by_type = {ctx.entity(e).type: e for e in reversed(found) if ctx.entity(e)}
    for wanted in ("PERSON", "ORG", "GPE", "NORP"):
        if wanted in by_type:
            return by_type[wanted]
    # 'Executive director of the Dallas chapter ... Alia Salem': a person deeper in the phrase
    return person_within(ctx, tok)


def nearest_named(ctx: Context, verb: Token, start: int, end: int) -> str | None:
    """Fallback when the parse gives the cue no subject: the nearest person or organization
    named in the cue's sentence outside the quote, before the cue first."""
    sent = ctx.sentence_of(verb)
    best: tuple[int, str] | None = None
    for tok in sent:
        eid = ctx.entity_at(tok)
        ent = ctx.entity(eid) if eid else None
        if ent is None or ent.type not in ("PERSON", "ORG") or start <= tok.idx < end:
            continue
        if ent.type == "ORG" and tok.dep_ == "appos" and ctx.is_person(tok.head):
            continue  # 'Tom Molomby, SC, said': an affiliation, not the speaker
        distance = verb.i - tok.i if tok.i < verb.i else 1000 + tok.i - verb.i
        if best is None or distance < best[0]:
            best = (distance, eid)
    return best[1] if best else None


def definite_description(tok: Token) -> dict | None:
    """What 'the <noun>' (nothing else before the noun) may refer back to, if it is listed."""
    if tok.pos_ != "NOUN" or [c.lower_ for c in tok.lefts] != ["the"]:
        return None
    return lexicon.table("definite_references.json").get(tok.lemma_.lower())


def person_description(ctx: Context, tok: Token) -> bool:
    """'the Russian leader', 'the Kremlin chief', 'the 72-year-old president': a definite description of
    one person (data/person_descriptions.txt) with no person named inside it."""
    return (tok.pos_ == "NOUN" and tok.lemma_.lower() in lexicon.words("person_descriptions.txt")
            and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.lefts)
            and not any(c.dep_ in ("appos", "prep", "relcl", "acl") for c in tok.children)
            and not any((e := ctx.entity_at(t)) and ctx.entity(e).type == "PERSON" for t in tok.subtree))


PERSON_DESCRIPTION = {"types": ["PERSON"]}


def fits_description(entity: Entity | None, fits: dict) -> bool:
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
        and not any(c.dep_ in ("appos", "acl", "relcl") for c in tok.children) \
        and author_of_statement(tok).i == tok.i  # 'a study by the Fisheries Institute' names its author


def appositive_person(ctx: Context, tok: Token) -> str | None:
    """The person in an apposition to the phrase: 'Jangeli's Sudanese counterpart, Deng Alor';
    or the organization in one to a common noun: 'the Internet security firm Secunia.com'."""
    if ctx.entity_at(tok) and ctx.entity(ctx.entity_at(tok)).type == "PERSON":
        return None
    for appos in (c for c in tok.children if c.dep_ == "appos"):
        named = [ctx.entity(e) for t in appos.subtree if (e := ctx.entity_at(t))]
        people = [e.id for e in named if e.type == "PERSON"]
        if people:
            return people[0]
        orgs = [e.id for e in named if e.type == "ORG"]
        if orgs and tok.pos_ == "NOUN" and not ctx.entity_at(tok):
            return orgs[0]
    return None


def named_document(ctx: Context, tok: Token) -> str | None:
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


def earlier_author(tok: Token) -> Token | None:
    """'the statement explained' after 'a statement issued by the President's office': the author
    the article gave the last time it mentioned that kind of document."""
    lemma = tok.lemma_.lower()
    for prev in reversed(tok.doc[max(0, tok.sent.start - 200) : tok.i]):
        if prev.lemma_.lower() != lemma:
            continue
        author = author_of_statement(prev)
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


def organization_named_by(ctx: Context, short: str) -> str | None:
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


def person_within(ctx: Context, tok: Token) -> str | None:
    """The last person named in a phrase (nearest to its verb), leaving out coordinated and clausal
    parts ('al-Shabab as well as another group, called Hizbul Islam': not Hizbul Islam)."""
    people = [e for t in without_conjuncts(tok) if (e := ctx.entity_at(t)) and ctx.entity(e).type == "PERSON"]
    return people[-1] if people else None


def person_of_organization(ctx: Context, tok: Token) -> str | None:
    """A person the organization's possessive names inside the phrase ('X's Kim Chang-su'), which the
    parser may hang below the organization's name."""
    for t in without_conjuncts(tok):
        eid = ctx.entity_at(t)
        if eid and ctx.entity(eid).type == "PERSON" and any(
                c.dep_ == "poss" and c.i < t.i and ctx.entity_at(c) != eid for c in t.children):
            return eid
    return None


def names_a_body(tok: Token) -> bool:
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
