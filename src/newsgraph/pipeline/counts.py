"""Counts: the stage. Every number that counts something, with what, who did what to it, where and when.

"157 strike and decoy drones" -> number 157, object drones, detail "strike and
decoy"; "shoot down or jam 121 of the drones" -> action "shoot down or jam",
object drones (partitive); "at least 15 settlements" -> qualifier "at least".
What is a number and what is no count is numbers' job; the clause's action, actor,
place and date are frames'. When the number's own noun is missing, the text around it
says what it counts: a repeated act, a tally ('the death toll'), 'others', an elided
noun ('Seven soldiers were killed, two were rescued'), a verb's usual object."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.frames import (
    action_phrase,
    apposition_action,
    clause_actor,
    date_in,
    governing_verb,
    place_in,
)
from newsgraph.pipeline.numbers import (
    HYPHENS,
    counts_plural_noun,
    is_age_of_person,
    is_identifier,
    is_ratio,
    is_score,
    is_year,
    kind_of,
    number_runs,
    number_value,
    one_as_article,
    rules,
)
from newsgraph.pipeline.registry import stage
from newsgraph.record import Count


def counted_object(run: list[Token], value: float) -> Token | None:
    obj = _object_token(run)
    nxt = run[-1].doc[run[-1].i + 1] if run[-1].i + 1 < len(run[-1].doc) else None
    if obj is not None and nxt is not None and obj.i > nxt.i and run[-1].head.i != nxt.i \
            and counts_plural_noun(run[-1]):
        return nxt  # the plural right after the number, not a noun the parser hung it on further on
    if obj is not None and value > 1 and obj.tag_ == "NN":
        return _plural_to_the_right(obj) or obj
    if obj is None and nxt is not None and nxt.tag_ == "NNS" and nxt.pos_ == "NOUN":
        return nxt  # 'from 1000 to 2000 hires': the parser hung the number on 'from', not on its noun
    return obj


def _plural_to_the_right(tok: Token) -> Token | None:
    """'157 strike and decoy drones': the parse counts 'strike'; the plural noun ahead is counted."""
    doc = tok.doc
    for nxt in doc[tok.i + 1 : min(len(doc), tok.i + 5)]:
        if nxt.tag_ == "NNS":
            return nxt
        if not (nxt.pos_ in ("NOUN", "ADJ", "CCONJ", "PROPN") or nxt.text == "-"):
            return None
    return None


def _object_token(run: list[Token]) -> Token | None:
    last = run[-1]
    if last.dep_ == "pobj" and last.head.lower_ == "of" and last.head.head.lower_ in rules()["collectives"]:
        return last.head.head  # 'groups of three', 'a panel of twelve': the members of the group
    head = last.head
    if last.dep_ == "nummod" and head.pos_ in ("NOUN", "PROPN") and head.i > last.i:
        if head.lemma_.lower() in rules()["durations"] or head.lower_ in rules()["durations"]:
            return head  # 'two decades of conflict', 'five months of her life': a span of time
        return (_skip_partitive(head) if _names_a_portion(head) else None) or head
    partitive = _skip_partitive(last)
    if partitive is not None:
        return partitive
    if last.dep_ in ("compound", "quantmod") and head.pos_ in ("NOUN", "PROPN") and head.i > last.i:
        return head
    return None


def object_from_verb(run: list[Token]) -> Token | None:
    """Numbers that name an amount of something the clause names elsewhere:
    'seats increased from 9 to 10' (the subject of a change verb), 'drove claims over 150,000'
    (the object of the verb the preposition hangs on)."""
    last = run[-1]
    while last.dep_ == "quantmod" and last.head.like_num and last.head.i > last.i:
        last = last.head  # 'from 12 to 19': the parse hangs 12 on 19
    if last.dep_ == "attr" and last.head.lemma_.lower() == "be":
        return _tally_subject(last.head)  # 'the death toll would be a thousand'
    if last.dep_ != "pobj" or last.head.dep_ != "prep":
        return None
    if last.head.lower_ not in rules()["amount_prepositions"] and not (
            last.head.lower_ == "than" and last.head.head.dep_ == "acomp"):  # 'would have been more than a thousand'
        return None
    verb = last.head.head
    if verb.pos_ == "NOUN" and verb.tag_ == "NNS" and verb.i < last.i:
        return verb  # 'pushed applications over 80,000'
    if verb.pos_ == "ADJ" and verb.dep_ == "acomp":
        verb = verb.head  # 'that number is closer to 40,000'
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if verb.lemma_.lower() == "be":
        return _tally_subject(verb)
    if verb.lemma_.lower() in rules()["change_verbs"]:
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subj if subj is not None and subj.pos_ == "NOUN" else None
    dobj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < last.i), None)
    if dobj is None or dobj.pos_ != "NOUN" or dobj.lower_ in ("percent", "cent", "pc", "%"):
        return None  # ('gained 0.68 per cent to 3,005.47': the percent is the change, not what 3,005 counts)
    return dobj


def _repeated_act(run: list[Token]) -> str | None:
    """'The hashtag was used over one million times' -> 'uses' (data: repeated_acts); None for a
    multiplier ('five times more')."""
    times = run[-1].doc[run[-1].i + 1]
    verb = times.head if times.dep_ == "npadvmod" else run[-1].head.head if run[-1].head.lower_ == "times" else None
    if verb is None or verb.pos_ != "VERB":
        return None
    return rules()["repeated_acts"].get(verb.lemma_.lower())


def _tally_subject(copula: Token) -> Token | None:
    subj = next((c for c in copula.children if c.dep_ == "nsubj"), None)
    return subj if subj is not None and subj.lemma_.lower() in rules()["tally_nouns"] else None


def _names_a_portion(noun: Token) -> bool:
    """'kilograms', 'pieces', 'a group': nouns whose 'of' phrase names what is counted."""
    r = rules()
    words = {noun.lower_, noun.lemma_.lower()}
    return bool(words & (set(r["units"]) | set(r["collectives"]) | set(r["partitive_heads"])))


def _skip_partitive(tok: Token) -> Token | None:
    """'121 of the drones' -> drones."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            objs = [g for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")]
            if objs:
                return objs[0]
    return None


def _detail(run: list[Token], obj: Token) -> str | None:
    doc = obj.doc
    if obj.i <= run[-1].i + 1:
        return None
    between = doc[run[-1].i + 1 : obj.i]
    words = [t for t in between if t.lower_ not in ("of", "the", "these", "those")]
    if not words or any(t.is_punct or t.tag_ == "POS" or t.like_num
                        for t in words):  # 'between 1.5 and 2 million people': a range, no detail
        return None
    return doc[words[0].i : words[-1].i + 1].text


def qualifier_before(run: list[Token]) -> str | None:
    doc = run[0].doc
    words = [t.lower_ for t in doc[max(0, run[0].i - 5) : run[0].i]]
    if words and words[-1] == "a" and run[0].lower_ in lexicon.table("numbers.json")["scales"]:
        words = words[:-1]  # 'more than a thousand'
    for q in sorted(lexicon.phrases("qualifiers.txt"), key=len, reverse=True):
        n = len(q.split())
        if words[-n:] == q.split():
            last = doc[run[0].i - 1] if doc[run[0].i - 1].lower_ != "a" else doc[run[0].i - 2]
            return None if last.dep_ == "prt" else q  # 'handed over two pieces': a particle of the verb
    return None


def _range_endpoint(run: list[Token], runs_after: list[list[Token]], value: float) -> tuple[Token | None, float]:
    """'ten to 32 pages', 'two or three goals', 'between 1.5 and 2 million people', '$10 to $15 billion':
    the first endpoint counts the noun after the range, at the second endpoint's scale."""
    doc = run[-1].doc
    nxt = doc[run[-1].i + 1] if run[-1].i + 1 < len(doc) else None
    if nxt is None or nxt.lower_ not in rules()["range_words"]:
        return None, value
    for other in runs_after[:1]:
        between = doc[nxt.i + 1 : other[0].i]  # nothing, or the currency again: '$10 to $15 billion'
        if len(between) == 0 or len(between) == 1 and between[0].lower_ in rules()["currencies"]:
            scales = lexicon.table("numbers.json")["scales"]
            scale = next((scales[t.lower_] for t in other if t.lower_ in scales), None)
            if scale and not any(t.lower_ in scales for t in run) and value < 1000:
                value *= scale
            return counted_object(other, 2.0), value
    return None, value


def category(verb: Token | None, obj: Token | None) -> str | None:
    words = {t.lemma_.lower() for t in (verb, obj) if t is not None}
    for name, lemmas in rules()["categories"].items():
        if words & set(lemmas):
            return name
    return None


@stage("counts", requires=("entities", "dates"), assigns=("counts",))
def counts(ctx: Context) -> None:
    doc = ctx.doc
    shares = _fractions(doc)
    numerators = {t.i for share in shares for t in (*share.numerator, share.denominator)}
    runs = [run for run in number_runs(doc) if not numerators & {t.i for t in run}]
    previous: Count | None = None
    identifier_end = -10
    for k, run in enumerate(runs):
        if one_as_article(run):
            continue
        value = number_value([t.text for t in run])
        halved = _half_a(run)
        if halved and value is not None:
            value /= 2  # 'half a million'
        if value is None or value == 0 or is_year(run) or is_score(run) or is_ratio(run):
            continue
        following = [t.lower_ for t in doc[run[-1].i + 1 : run[-1].i + 3] if t.text != "-"]
        acts = _repeated_act(run) if following[:1] == ["times"] else None
        if following and following[0] in rules()["not_counts"] and acts is None:
            continue
        obj = counted_object(run, value)
        endpoint, value = _range_endpoint(run, runs[k + 1 :], value)
        obj = obj or endpoint or object_from_verb(run)
        joined = run[0].i - identifier_end == 2 and doc[run[0].i - 1].lower_ in rules()["range_words"]
        if is_identifier(run, obj) or joined:  # 'posts 542 and 543': the second names a post too
            identifier_end = run[-1].i
            continue
        sent = ctx.sentence_at(run[0].idx)
        elided_one = previous is not None and previous.object and previous.kind == "count" \
            and previous.sentence == sent.text.strip() and run[0].dep_ in ("nsubj", "nsubjpass")
        if obj is None and run[0].lower_ == "one" and not elided_one:
            continue  # 'one national and one made up of refugees': a pronoun
        # ('Seven soldiers were killed, two were rescued and one is missing': one soldier)
        verb = governing_verb(obj or run[-1])
        kind = "age" if obj is None and is_age_of_person(run) else kind_of(run, obj)
        second_endpoint = obj is None and previous is not None and run[0].i >= 2 \
            and doc[run[0].i - 1].lower_ in rules()["range_words"] and previous.end == doc[run[0].i - 2].idx + len(
                doc[run[0].i - 2].text)
        if second_endpoint:  # 'between 1.5 and 2 million people': both ends count the same things
            kind = previous.kind
        if kind in ("percent", "age") or (obj is not None and obj.lower_ in ("percent", "%")):
            obj = None
        obj_text, detail = _what_is_counted(ctx, run, obj, verb, kind, acts, previous, sent)
        actor = clause_actor(ctx, verb) if verb is not None else None
        first = doc[run[0].i - 2] if halved else run[0]
        start, end = first.idx, run[-1].idx + len(run[-1].text)
        previous = Count(
            number=value, text=doc[first.i : run[-1].i + 1].text, object=obj_text,
            detail=detail,
            action=action_phrase(verb) if verb is not None else apposition_action(obj or run[-1]),
            qualifier=qualifier_before(run), actor=actor,
            place=place_in(ctx, sent, {actor} if actor else set()), date=date_in(ctx, sent),
            kind=kind, category=category(verb, obj) if kind == "count" else None,
            start=start, end=end, sentence=sent.text.strip(),
        )
        ctx.record.counts.append(previous)
    _vague_amounts(ctx)
    for share in shares:
        ctx.record.counts.append(_fraction_count(ctx, share))


def _what_is_counted(ctx: Context, run: list[Token], obj: Token | None, verb: Token | None, kind: str,
                     acts: str | None, previous: Count | None, sent) -> tuple[str | None, str | None]:
    """The counted object and its detail: the number's own noun, else what the text around it says the
    number counts (a repeated act, a tally's things, 'others', an elided noun, a verb's usual object)."""
    obj_text = obj.text if obj is not None else None
    detail = _detail(run, obj) if obj is not None else None
    counted_before = previous if previous is not None and previous.object and previous.kind == "count" else None
    if kind == "age":
        return obj_text, detail
    if acts is not None:
        return acts, detail  # 'was used ... over one million times': uses
    if obj is not None and obj.lemma_.lower() in rules()["tally_nouns"]:
        near = previous if previous is not None and _near(ctx, previous, sent) else None
        return _what_a_tally_counts(obj, near), detail
    if obj is not None and obj.lower_ in rules()["anaphoric_objects"]:
        if counted_before is not None and _near(ctx, counted_before, sent):
            return counted_before.object, detail  # 'Seven soldiers were killed ... the six others': soldiers too
        antecedent = _plural_subject_before(ctx, obj, sent)
        if antecedent is not None:
            return antecedent.text, detail  # 'The French soldiers were ... The six others were commandos'
        return obj_text, detail
    if obj is None and kind == "count" and counted_before is not None and (
            counted_before.sentence == sent.text.strip() or _subject_after(ctx, run, counted_before, sent)) \
            and not (run[-1].dep_ == "pobj" and run[-1].head.head.pos_ == "NOUN"):  # 'claims over 150,000'
        # "Seven soldiers were killed, two were rescued": the same things, with the same detail
        # ('Almost 20,000 Somali civilians ... Almost 1.5 million': Somali too)
        return counted_before.object, counted_before.detail
    if obj is None and verb is not None and verb.lemma_.lower() in rules()["implicit_objects"]:
        return rules()["implicit_objects"][verb.lemma_.lower()], detail  # "killing 107": people
    return obj_text, detail


def _what_a_tally_counts(tally: Token, previous: Count | None) -> str:
    """'the death toll' -> deaths, 'the number of refugees' -> refugees, 'that number' -> what the
    count before it counted; else the tally's own word."""
    of = next((c for c in tally.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    counted = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    if counted is not None:
        return counted.text
    compound = next((c for c in tally.children if c.dep_ == "compound"), None)
    if compound is not None:
        return rules()["tally_compounds"].get(compound.lemma_.lower(), compound.text)
    if previous is not None and previous.object and previous.kind == "count":
        return previous.object
    return tally.text


def _plural_subject_before(ctx: Context, tok: Token, sent) -> Token | None:
    """The latest plural noun subject before ``tok`` in its sentence or the one before."""
    for t in reversed(tok.doc[ctx.sentence_before(sent.start_char).start : tok.i]):
        if t.tag_ == "NNS" and t.dep_ in ("nsubj", "nsubjpass") and t.lower_ not in rules()["anaphoric_objects"]:
            return t
    return None


def _subject_after(ctx: Context, run: list[Token], previous: Count, sent) -> bool:
    """'Almost 20,000 civilians have died. Almost 1.5 million have been forced to leave': a bare number
    as the subject of the sentence right after a count names the same things."""
    if run[-1].dep_ not in ("nsubj", "nsubjpass") or sent.start_char == 0:
        return False
    return previous.start >= ctx.sentence_before(sent.start_char).start_char


def _near(ctx: Context, previous: Count, sent) -> bool:
    """The previous count is in this sentence or one of the three before it."""
    return ctx.sentence_number(sent.start_char) - ctx.sentence_number(previous.start) <= 3


def _vague_amounts(ctx: Context) -> None:
    """'thousands of lives', 'dozens of people': number null, the vague word kept."""
    vague = set(rules().get("vague", [])) | set(lexicon.table("numbers.json")["vague"])
    for tok in ctx.doc:
        if tok.lower_ not in vague or tok.pos_ not in ("NOUN", "NUM"):
            continue
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if obj is None:
            continue
        verb = governing_verb(tok)
        ctx.record.counts.append(Count(
            number=None, text=tok.text, object=obj.text, action=action_phrase(verb) if verb is not None else None,
            qualifier=qualifier_before([tok]), actor=clause_actor(ctx, verb) if verb is not None else None,
            date=date_in(ctx, ctx.sentence_at(tok.idx)), kind="count", category=category(verb, obj),
            start=tok.idx, end=tok.idx + len(tok.text), sentence=ctx.sentence_at(tok.idx).text.strip()))


def _half_a(run: list[Token]) -> bool:
    doc = run[0].doc
    return run[0].i >= 2 and doc[run[0].i - 1].lower_ in ("a", "an") and doc[run[0].i - 2].lower_ == "half"


@dataclass
class _Share:
    numerator: list[Token]  # no tokens for a bare 'half'
    denominator: Token  # the last word of the share
    of: Token  # what the share is of
    value: float


def _fractions(doc) -> list[_Share]:
    """'a third of those screened', 'two-thirds of the sales', 'half the condos', 'almost half of which',
    'one in five children', 'one out of three voters': a share of something, with its numerator before
    the denominator word (data/count_rules.json fractions) and the thing divided after it. Ordinals stay
    ordinals ('a third term', 'the second half')."""
    denominators = rules()["fractions"]
    out = []
    for tok in doc:
        if tok.lower_ in ("in", "out"):
            share = _one_in_n(tok)
            if share is not None:
                out.append(share)
            continue
        if tok.lower_ not in denominators:
            continue
        before = doc[tok.i - 1] if tok.i > 0 else None
        if before is not None and before.text in HYPHENS and tok.i > 1:
            before = doc[tok.i - 2]
        numerator = [before] if before is not None and _numerator_word(before) else []
        of = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                   for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
        if of is None and tok.lower_ == "half":
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
            if nxt is not None and nxt.pos_ == "DET" and nxt.head.i != tok.i and nxt.head.i > tok.i \
                    and (after is None or after.lower_ not in lexicon.table("numbers.json")["scales"]):
                of = nxt.head  # 'half the condos' (not 'half a million')
        if of is None or (not numerator and tok.lower_ != "half") or _ordinal_before(before):
            continue
        top = 1.0 if not numerator or numerator[0].lower_ in ("a", "an") else number_value([numerator[0].text])
        out.append(_Share(numerator, tok, of, (top or 1.0) / denominators[tok.lower_]))
    return out


def _one_in_n(prep: Token) -> _Share | None:
    """'one in five children', 'one out of three Germans': N of every M."""
    doc = prep.doc
    k = prep.i + (2 if prep.lower_ == "out" else 1)
    if prep.i < 1 or k + 1 >= len(doc) or (prep.lower_ == "out" and doc[prep.i + 1].lower_ != "of"):
        return None
    top, bottom, noun = doc[prep.i - 1], doc[k], doc[k + 1]
    n, m = number_value([top.text]), number_value([bottom.text])
    if n is None or m is None or not 0 < n < m or noun.pos_ not in ("NOUN", "PROPN") or noun.tag_ in ("NN", "NNP"):
        return None  # ('one in 2019', 'three in the morning'; a plural noun follows a share)
    return _Share([top], bottom, noun, n / m)


def _numerator_word(tok: Token) -> bool:
    return tok.lower_ in ("a", "an", "one") or tok.lower_ in lexicon.table("numbers.json")["units"] \
        or tok.like_num and tok.text.isdigit()


def _ordinal_before(tok: Token | None) -> bool:
    """'the second half', 'one and a half': the word is no share of something."""
    if tok is None:
        return False
    and_a = tok.lower_ in ("a", "an") and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "and"
    return and_a or tok.ent_type_ == "ORDINAL" or tok.lower_ in _NOT_NUMERATORS


_NOT_NUMERATORS = frozenset({"the", "other", "first", "second", "third", "last", "final", "latter", "former"})


def _fraction_count(ctx: Context, share: _Share) -> Count:
    last = share.denominator
    first = share.numerator[0] if share.numerator else last
    verb = governing_verb(last)
    sent = ctx.sentence_at(last.idx)
    return Count(
        number=share.value, text=ctx.doc[first.i : last.i + 1].text,
        object=share.of.text, action=action_phrase(verb) if verb is not None else None,
        qualifier=qualifier_before([first]), actor=clause_actor(ctx, verb) if verb is not None else None,
        date=date_in(ctx, sent), kind="fraction", start=first.idx, end=last.idx + len(last.text),
        sentence=sent.text.strip())
