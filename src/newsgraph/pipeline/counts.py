"""Counts: every number that counts something, with what, who did what to it, where and when.

"157 strike and decoy drones" -> number 157, object drones, detail "strike and
decoy"; "shoot down or jam 121 of the drones" -> action "shoot down or jam",
object drones (partitive); "at least 15 settlements" -> qualifier "at least".
Dates, times and years are not counts; money, percentages and measures are
kept with their `kind`.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.dates import value_text
from newsgraph.pipeline.entities import country_of_demonym
from newsgraph.pipeline.quotes import entity_of, subject_of
from newsgraph.pipeline.registry import stage
from newsgraph.record import Count
from newsgraph.timeparse import month_number

KIND_OF_ENT = {"MONEY": "money", "PERCENT": "percent", "QUANTITY": "measure"}
_NUMERIC = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def number_value(words: list[str]) -> float | None:
    """'157' -> 157; '1.2 million' -> 1200000; 'seven' -> 7; 'twenty-five' -> 25."""
    table = lexicon.table("numbers.json")
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        for w in raw.lower().replace("-", " ").split():
            w = w.replace(",", "")
            if _NUMERIC.match(w):
                current += float(w)
            elif w in table["units"]:
                current += table["units"][w]
            elif w in table["tens"]:
                current += table["tens"][w]
            elif w in table["scales"]:
                scale = table["scales"][w]
                if scale == 100:
                    current = (current or 1) * 100
                else:
                    total += (current or 1) * scale
                    current = 0
            elif w == "and":
                continue
            else:
                return None
            seen = True
    return total + current if seen else None


def _number_tokens(doc) -> list[list[Token]]:
    """Runs of number tokens ('1.2 million', 'twenty five'), each run one number."""
    scales = lexicon.table("numbers.json")["scales"]
    runs: list[list[Token]] = []
    for tok in doc:
        if tok.ent_type_ == "ORDINAL" or (tok.ent_type_ in ("DATE", "TIME") and _really_temporal(tok)):
            continue
        adjacent = bool(runs) and runs[-1][-1].i == tok.i - 1
        if adjacent and tok.lower_ in scales:
            runs[-1].append(tok)
        elif tok.like_num:
            if adjacent and tok.is_alpha and runs[-1][-1].is_alpha:
                runs[-1].append(tok)
            else:
                runs.append([tok])
    return runs


def _age_after(tok: Token) -> bool:
    """'34-year-old', '34 years old'."""
    following = tok.doc[tok.i + 1 : tok.i + 5].text.lower().replace(" ", "")
    return following.startswith(("-year-old", "yearsold", "-years-old", "-month-old", "monthsold"))


def _counts_plural_noun(tok: Token) -> bool:
    """'a survey of 1709 schoolchildren' (not 'the 2015 elections'): a number right before the plural
    noun it counts, with no determiner in front."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    before = doc[tok.i - 1] if tok.i > 0 else None
    if nxt is None or nxt.tag_ != "NNS" or tok.dep_ != "nummod":
        return False
    if tok.head.i != nxt.i and not (before is not None and before.lower_ == "of"):
        return False  # (after 'of' the parser may hang the number on a later noun: 'of 1709 schoolchildren - aged')
    return before is None or before.pos_ not in ("DET", "PRON") and before.tag_ != "POS"


def _really_temporal(tok: Token) -> bool:
    """spaCy calls 'between 40 and 60' a DATE: a number is a date only when its entity has a time word."""
    if _age_after(tok) or _counts_plural_noun(tok):
        return False
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is None:
        return True
    time_words = set(rules()["durations"]) | set(lexicon.table("relative_dates.json")["weekdays"])
    for t in ent:
        low = t.lower_
        if low in time_words or month_number(low) or low in ("ago", "yesterday", "today", "tomorrow", "night",
                                                              "morning", "evening", "am", "pm", "a.m.", "p.m."):
            return True
        if t.like_num and t.text.isdigit() and len(t.text) == 4:
            return True
    return ":" in ent.text


def _is_year(run: list[Token], value: float) -> bool:
    t = run[0]
    if not (len(run) == 1 and t.text.isdigit() and len(t.text) == 4 and 1500 <= value <= 2100):
        return False
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    if nxt is not None and nxt.lower_ in rules()["year_modified_nouns"]:
        return True  # '10% of 2000 levels'
    return t.dep_ != "nummod" and not _counts_plural_noun(t)


def counted_object(run: list[Token], value: float) -> Token | None:
    obj = _object_token(run)
    nxt = run[-1].doc[run[-1].i + 1] if run[-1].i + 1 < len(run[-1].doc) else None
    if obj is not None and nxt is not None and obj.i > nxt.i and run[-1].head.i != nxt.i \
            and _counts_plural_noun(run[-1]):
        return nxt  # the plural right after the number, not a noun the parser hung it on further on
    if obj is not None and value > 1 and obj.tag_ == "NN":
        return _plural_to_the_right(obj) or obj
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
    return dobj if dobj is not None and dobj.pos_ == "NOUN" else None


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


def governing_verb(tok: Token) -> Token | None:
    """The nearest verb above a token (itself if it is one), not across an apposition; an
    instrument verb ('launched an attack, deploying 157 drones') gives way to the verb it serves."""
    node = tok
    while node.pos_ != "VERB":
        if node.dep_ == "appos" or node.head.i == node.i or _described_by_dashes(node) is not None:
            return None  # 'a group of 35 countries': a description, not an action
        node = node.head
    if node.lemma_.lower() in rules()["instrument_verbs"] and node.dep_ == "advcl" and node.head.pos_ == "VERB":
        return node.head
    return node


def _described_by_dashes(node: Token) -> Token | None:
    """'the "coalition of the willing"—a group of 35 countries—announced': a noun phrase set off by
    dashes right after a noun describes that noun (the parser may take it for a subject). The noun."""
    if node.pos_ not in ("NOUN", "PROPN") or node.dep_ not in ("nsubj", "nsubjpass", "dobj", "ROOT", "appos"):
        return None
    first = node.left_edge
    if first.i < 2 or first.doc[first.i - 1].text not in "—–":
        return None
    before = first.doc[first.i - 2]
    while before.is_punct and before.i > 0 and before.text not in ",;:—–()":
        before = before.doc[before.i - 1]  # past a closing quote mark
    described = before
    while described.pos_ not in ("NOUN", "PROPN"):  # 'of the willing' -> coalition
        if described.head.i == described.i or described.head.i > described.i or described.pos_ == "VERB":
            return None
        described = described.head
    of = described.head if described.dep_ == "pobj" and described.head.lower_ == "of" else None
    return of.head if of is not None and of.head.pos_ in ("NOUN", "PROPN") else described


def apposition_action(tok: Token) -> str | None:
    """'the coalition, a group of 35 countries': the things counted make up the noun described."""
    node = tok
    while node.dep_ != "appos" and _described_by_dashes(node) is None:
        if node.head.i == node.i or node.pos_ == "VERB":
            return None
        node = node.head
    described = _described_by_dashes(node) or node.head
    words = [described] + [t for c in described.rights if c.dep_ == "prep" and c.i < node.left_edge.i
                           for t in c.subtree]
    words += [c for c in described.lefts if c.dep_ in ("det", "compound") or c.pos_ == "PROPN"]
    words = sorted((t for t in words if not t.is_punct), key=lambda t: t.i)
    return f"{rules()['apposition_action']} {' '.join(t.text for t in words)}"


def action_phrase(verb: Token) -> str:
    """The verb with its particle and coordinated verbs: 'shoot down or jam'."""
    doc = verb.doc
    parts = [verb] + [c for c in verb.children if c.dep_ == "prt"]
    for c in verb.children:
        verbal = c.pos_ == "VERB" or any(g.dep_ == "nummod" for g in c.children)
        if c.dep_ == "conj" and verbal and verb.i < c.i <= verb.i + 4:
            cc = [x for x in verb.children if x.dep_ == "cc" and verb.i < x.i < c.i]
            parts += cc + [c] + [x for x in c.children if x.dep_ == "prt"]
    parts.sort(key=lambda t: t.i)
    if parts[-1].i - parts[0].i + 1 <= len(parts) + 1:
        text = doc[parts[0].i : parts[-1].i + 1].text
    else:
        text = " ".join(t.text for t in parts)
    result = _result_phrase(verb)
    return f"{text} {result}" if result else text


def _result_phrase(verb: Token) -> str | None:
    """'leaving 15 settlements without electricity': a prepositional phrase that completes what the verb
    did to the things counted (data: count_rules.json result_prepositions)."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    for c in [*verb.children, *(g for o in objects for g in o.children)]:
        if c.dep_ == "prep" and c.lower_ in rules()["result_prepositions"] and c.i > verb.i:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.i - c.i <= 3:
                return verb.doc[c.i : obj.i + 1].text
    return None


def acts_for_country(head: Token) -> bool:
    """'Russian troops', 'Ukrainian air defenses': a group that acts for its country."""
    return head.lemma_.lower() in lexicon.words("acting_groups.txt") or head.lower_ in lexicon.words(
        "acting_groups.txt")


def _actor(ctx: Context, verb: Token) -> str | None:
    """Who did it: the subject's entity; a nationality stands for its country ('Russian troops' -> Russia)."""
    subj = subject_of(verb)
    if subj is None:
        return None
    eid = entity_of(ctx, subj)
    ent = ctx.record.entity(eid) if eid else None
    if ent is not None and ent.type == "NORP" and acts_for_country(subj):
        return country_of_demonym(ent.name) or ent.name
    if ent is not None and ent.type != "NORP":
        return ent.name
    if subj.pos_ in ("PRON",):
        return None
    words = [t for t in subj.subtree if not t.is_punct]
    return ctx.doc[words[0].i : words[-1].i + 1].text if words else None


def place_in(ctx: Context, sent, skip: set[str]) -> str | None:
    for tok in sent:
        eid = ctx.entity_at(tok)
        ent = ctx.record.entity(eid) if eid else None
        if ent and ent.type in ("GPE", "LOC", "FAC") and ent.name not in skip:
            return ent.name
    return None


def date_in(ctx: Context, sent) -> str | None:
    for d in ctx.record.dates:
        if sent.start_char <= d.start < sent.end_char and d.value is not None:
            return value_text(d.value)
    return None


def rules() -> dict:
    return lexicon.table("count_rules.json")


def _is_identifier(run: list[Token], obj: Token | None) -> bool:
    """'Internet Explorer 6', 'posts 542 and 543', 'the 747': a number naming a thing, not counting."""
    first = run[0]
    prev = first.doc[first.i - 1] if first.i > 0 else None
    if obj is None and prev is not None and prev.pos_ in ("PROPN", "NOUN") and not prev.is_punct:
        return True
    if first.head.pos_ == "PROPN" and first.head.i < first.i:
        return True
    if obj is not None and obj.pos_ == "PROPN" and prev is not None and prev.text[:1].isupper() \
            and not prev.is_sent_start:
        return True  # 'AS 532 Cougar', 'Windows 7 Home': a model name
    return obj is None and prev is not None and prev.lower_ == "the" and first.dep_ not in ("nsubj", "dobj")


def _is_score(run: list[Token]) -> bool:
    """'2 – 1': a match score."""
    doc = run[0].doc
    before = doc[run[0].i - 2 : run[0].i]
    after = doc[run[-1].i + 1 : run[-1].i + 3]
    dash = ("-", "–", "—")
    return (len(after) == 2 and after[0].text in dash and after[1].like_num) or \
        (len(before) == 2 and before[1].text in dash and before[0].like_num)


def _is_ratio(run: list[Token]) -> bool:
    """'one in three visits': a proportion, not two counts."""
    doc = run[0].doc
    after = doc[run[-1].i + 1 : run[-1].i + 3]
    before = doc[max(0, run[0].i - 2) : run[0].i]
    return (len(after) == 2 and after[0].lower_ == "in" and after[1].like_num) or \
        (len(before) == 2 and before[1].lower_ == "in" and before[0].like_num)


def _kind(run: list[Token], obj: Token | None) -> str:
    r = rules()
    ent = run[0].ent_type_
    after_run = run[-1].doc[run[-1].i + 1].lower_ if run[-1].i + 1 < len(run[-1].doc) else ""
    counts_things = ent == "QUANTITY" and obj is not None and not any(
        w in r["units"] or w in r["durations"] for w in (obj.lower_, after_run))  # '1.5 million people
    if ent in KIND_OF_ENT and not counts_things:
        return KIND_OF_ENT[ent]
    doc = run[0].doc
    before = doc[run[0].i - 1].lower_ if run[0].i > 0 else ""
    after = doc[run[-1].i + 1].lower_ if run[-1].i + 1 < len(doc) else ""
    noun = obj.lower_ if obj is not None else after
    if before in r["currencies"] or noun in r["currencies"]:
        return "money"
    if noun in ("percent", "%", "per") or after in ("percent", "%"):
        return "percent"
    if before == "aged" or _age_after(run[-1]):
        return "age"
    if noun in r["units"] or noun in r["durations"]:
        return "measure"
    return "count"


def _is_age_of_person(run: list[Token]) -> bool:
    """'when she was 6', 'until he was eighteen': a bare number predicated of a person."""
    last = run[-1]
    head = last.head
    if last.dep_ not in ("attr", "acomp", "oprd") or head.lemma_ != "be":
        return False
    subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
    return subj is not None and (subj.lower_ in ("he", "she", "i", "you", "we", "they") or subj.ent_type_ == "PERSON")


def _range_endpoint(run: list[Token], runs_after: list[list[Token]], value: float) -> tuple[Token | None, float]:
    """'ten to 32 pages', 'two or three goals', 'between 1.5 and 2 million people': the first endpoint
    counts the noun after the range, at the second endpoint's scale."""
    doc = run[-1].doc
    nxt = doc[run[-1].i + 1] if run[-1].i + 1 < len(doc) else None
    if nxt is None or nxt.lower_ not in rules()["range_words"]:
        return None, value
    for other in runs_after[:1]:
        if other[0].i == nxt.i + 1:
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


@stage("counts")
def counts(ctx: Context) -> None:
    doc = ctx.doc
    runs = _number_tokens(doc)
    previous: Count | None = None
    identifier_end = -10
    for k, run in enumerate(runs):
        if _one_as_article(run):
            continue
        value = number_value([t.text for t in run])
        if value is None or value == 0 or _is_year(run, value) or _is_score(run) or _is_ratio(run):
            continue
        following = [t.lower_ for t in doc[run[-1].i + 1 : run[-1].i + 3] if t.text != "-"]
        acts = _repeated_act(run) if following[:1] == ["times"] else None
        if following and following[0] in rules()["not_counts"] and acts is None:
            continue
        obj = counted_object(run, value)
        endpoint, value = _range_endpoint(run, runs[k + 1 :], value)
        obj = obj or endpoint or object_from_verb(run)
        joined = run[0].i - identifier_end == 2 and doc[run[0].i - 1].lower_ in rules()["range_words"]
        if _is_identifier(run, obj) or joined:  # 'posts 542 and 543': the second names a post too
            identifier_end = run[-1].i
            continue
        sent = ctx.sentence_at(run[0].idx)
        elided_one = previous is not None and previous.object and previous.kind == "count" \
            and previous.sentence == sent.text.strip() and run[0].dep_ in ("nsubj", "nsubjpass")
        if obj is None and run[0].lower_ == "one" and not elided_one:
            continue  # 'one national and one made up of refugees': a pronoun
        # ('Seven soldiers were killed, two were rescued and one is missing': one soldier)
        verb = governing_verb(obj or run[-1])
        kind = "age" if obj is None and _is_age_of_person(run) else _kind(run, obj)
        second_endpoint = obj is None and previous is not None and run[0].i >= 2 \
            and doc[run[0].i - 1].lower_ in rules()["range_words"] and previous.end == doc[run[0].i - 2].idx + len(
                doc[run[0].i - 2].text)
        if second_endpoint:  # 'between 1.5 and 2 million people': both ends count the same things
            kind = previous.kind
        if kind in ("percent", "age") or (obj is not None and obj.lower_ in ("percent", "%")):
            obj = None
        obj_text, detail = _what_is_counted(ctx, run, obj, verb, kind, acts, previous, sent)
        actor = _actor(ctx, verb) if verb is not None else None
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        previous = Count(
            number=value, text=doc.text[start:end], object=obj_text,
            detail=detail,
            action=action_phrase(verb) if verb is not None else apposition_action(obj or run[-1]),
            qualifier=qualifier_before(run), actor=actor,
            place=place_in(ctx, sent, {actor} if actor else set()), date=date_in(ctx, sent),
            kind=kind, category=category(verb, obj) if kind == "count" else None,
            start=start, end=end, sentence=sent.text.strip(),
        )
        ctx.record.counts.append(previous)
    _vague_amounts(ctx)


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
    if obj is None and counted_before is not None and (
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


def _one_as_article(run: list[Token]) -> bool:
    """'one of the nations', 'One poster admitted', 'the current one', 'one policeman said': 'one' as
    a pronoun or article, not a count."""
    tok = run[0]
    if len(run) != 1 or tok.lower_ != "one":
        return False
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    prev = doc[tok.i - 1] if tok.i > 0 else None
    if tok.is_sent_start or (nxt is not None and nxt.lower_ == "of"):
        return True
    if prev is not None and (prev.pos_ in ("DET", "ADJ") or prev.lower_ == "as"):
        return True  # 'the current one', 'as one stipulation'
    if nxt is not None and nxt.lower_ in rules()["one_idioms"]:
        return True  # 'not just one side'
    noun = tok.head if tok.dep_ == "nummod" else None
    # 'one policeman said', 'with one poster writing': an unnamed someone, not a count of one
    return noun is not None and noun.dep_ == "nsubj" and noun.head.lemma_.lower() in lexicon.words("cue_verbs.txt")


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
            qualifier=qualifier_before([tok]), actor=_actor(ctx, verb) if verb is not None else None,
            date=date_in(ctx, ctx.sentence_at(tok.idx)), kind="count", category=category(verb, obj),
            start=tok.idx, end=tok.idx + len(tok.text), sentence=ctx.sentence_at(tok.idx).text.strip()))
