"""Numbers: reading a number ('1.2 million', 'twenty-five') and telling what is not a count.

Years, scores ('2 – 1'), ratios ('one in three'), identifiers ('Internet Explorer 6', 'the
747'), 'one' as a pronoun and numbers inside dates and times are no counts; money, percentages,
measures and ages are kinds of their own (data/count_rules.json, data/numbers.json)."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from newsgraph import lexicon
from newsgraph.timeparse import month_number

KIND_OF_ENT = {"MONEY": "money", "PERCENT": "percent", "QUANTITY": "measure"}


_NUMERIC = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$")  # ('.001 per cent')


def rules() -> dict:
    return lexicon.table("count_rules.json")


def number_value(words: list[str]) -> float | None:
    """'157' -> 157; '1.2 million' -> 1200000; 'seven' -> 7; 'twenty-five' -> 25."""
    table = lexicon.table("numbers.json")
    sign = -1.0 if words and words[0][:1] in "-−" and words[0][1:2].isdigit() else 1.0  # '-1.3%'
    if sign < 0:
        words = [words[0][1:], *words[1:]]
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        for w in raw.lower().replace("-", " ").split():
            w = w.replace(",", "")
            if w.endswith(".") and w[:-1] in table["scales"]:
                w = w[:-1]  # '5m.' at the end of a sentence
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
            elif w == "half":
                current += 0.5  # 'three and a half'
            elif w in ("and", "a"):
                continue
            else:
                return None
            seen = True
    return sign * (total + current) if seen else None


def number_runs(doc) -> list[list[Token]]:
    """Runs of number tokens ('1.2 million', 'twenty five'), each run one number."""
    scales = lexicon.table("numbers.json")["scales"]
    runs: list[list[Token]] = []
    for tok in doc:
        if tok.ent_type_ == "ORDINAL" or (tok.ent_type_ in ("DATE", "TIME") and _really_temporal(tok)):
            continue
        adjacent = bool(runs) and runs[-1][-1].i == tok.i - 1
        if adjacent and tok.text == "-" and _hyphenated_number(tok):
            runs[-1].append(tok)  # 'twenty-eight', split by the tokenizer
        elif adjacent and (tok.lower_ in scales or tok.lower_.endswith(".") and tok.lower_[:-1] in scales):
            runs[-1].append(tok)
        elif tok.like_num or _NUMERIC.match(tok.text) or _scale_after_article(tok, scales):
            if adjacent and tok.is_alpha and (runs[-1][-1].is_alpha or runs[-1][-1].text == "-"):
                runs[-1].append(tok)
            else:
                runs.append([tok])
    return _with_halves(runs)


def _scale_after_article(tok: Token, scales: dict) -> bool:
    """'a dozen eggs': a scale word after 'a' is a number of its own."""
    return tok.lower_ in scales and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("a", "an")


def _with_halves(runs: list[list[Token]]) -> list[list[Token]]:
    """'three and a half', 'a three-and-a-half-year war', 'one and a half million': the half (and a
    scale after it) belong to the number before them."""
    out: list[list[Token]] = []
    absorbed: set[int] = set()
    for run in runs:
        if run[0].i in absorbed:
            continue
        doc = run[-1].doc
        words = words_after(run[-1], 4)
        if and_a_half(words):
            end = words[2].i
            if len(words) > 3 and words[3].lower_ in lexicon.table("numbers.json")["scales"]:
                end = words[3].i
            extra = list(doc[run[-1].i + 1 : end + 1])
            absorbed |= {t.i for t in extra}
            run = run + extra
        out.append(run)
    return out


HYPHENS = ("-", "‐")


def words_after(tok: Token, n: int) -> list[Token]:
    """The next ``n`` words after a token, hyphens skipped ('three-and-a-half-year' -> and, a, half, year)."""
    return [t for t in tok.doc[tok.i + 1 : tok.i + 1 + 2 * n] if t.text not in HYPHENS][:n]


def and_a_half(words: list[Token]) -> bool:
    """Whether the words open with 'and a half' (or 'and one half')."""
    return [w.lower_ for w in words[:3]] in (["and", "a", "half"], ["and", "one", "half"])


def _hyphenated_number(dash: Token) -> bool:
    table = lexicon.table("numbers.json")
    doc = dash.doc
    return 0 < dash.i < len(doc) - 1 and doc[dash.i - 1].lower_ in table["tens"] \
        and doc[dash.i + 1].lower_ in table["units"]


def _age_after(tok: Token) -> bool:
    """'34-year-old', '34 year-old', '34 years old', '6-month-old'."""
    following = tok.doc[tok.i + 1 : tok.i + 5].text.lower().replace(" ", "").lstrip("-")
    return following.startswith(tuple(f"{unit}{s}{dash}old" for unit in ("year", "month", "week", "day")
                                      for s in ("", "s") for dash in ("", "-")))


def duration_after(tok: Token) -> bool:
    """'every 33 years', 'within six weeks', 'two hours': the number measures a length of time (a
    quantity, not a date), though spaCy tags it DATE or TIME."""
    after = words_after(tok, 4)
    if and_a_half(after):
        after = after[3:]  # ('three and a half years', 'a three-and-a-half-year war')
    nxt = after[0] if after else None  # ('a two-year plan')
    return nxt is not None and nxt.lower_ in rules()["durations"] and (tok.head.i == nxt.i or nxt.i > tok.i + 1)


def counts_plural_noun(tok: Token) -> bool:
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


def entity_around(tok: Token) -> Span | None:
    """The entity span holding a token, found from its IOB tags: scanning doc.ents for each number made
    an article's counts quadratic in its length."""
    if not tok.ent_type_:
        return None
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _really_temporal(tok: Token) -> bool:
    """spaCy calls 'between 40 and 60' a DATE: a number is a date only when its entity has a time word."""
    if _age_after(tok) or counts_plural_noun(tok) or duration_after(tok):
        return False
    ent = entity_around(tok)
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


def is_year(run: list[Token]) -> bool:
    t = run[0]
    if len(run) != 1 or not _year_like(t):
        return False
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    prev = t.doc[t.i - 1] if t.i > 0 else None
    if prev is not None and prev.lower_ in rules()["currencies"]:
        return False  # '$2000'
    if nxt is not None and nxt.lower_ in rules()["year_modified_nouns"]:
        return True  # '10% of 2000 levels'
    if nxt is not None and nxt.tag_ == "NNS" and prev is not None and prev.lower_ in rules()["range_words"]:
        return False  # 'from 1000 to 2000 hires'
    return t.dep_ != "nummod" and not counts_plural_noun(t)


def is_identifier(run: list[Token], obj: Token | None) -> bool:
    """'Internet Explorer 6', 'posts 542 and 543', 'the 747': a number naming a thing, not counting."""
    first = run[0]
    prev = first.doc[first.i - 1] if first.i > 0 else None
    if is_age_apposition(run) or duration_after(run[0]) or prev is not None and prev.lower_ in rules()["currencies"]:
        return False  # ('EUR 50m', 'USD1,700': a price; 'the two-year plan': a length of time)
    if part_of_a_name(run):
        return True
    if obj is None and prev is not None and prev.pos_ in ("PROPN", "NOUN") and not prev.is_punct:
        return True
    if first.head.pos_ == "PROPN" and first.head.i < first.i:
        return True
    if obj is not None and obj.pos_ == "PROPN" and prev is not None and prev.text[:1].isupper() \
            and not prev.is_sent_start:
        return True  # 'AS 532 Cougar', 'Windows 7 Home': a model name
    return obj is None and prev is not None and prev.lower_ == "the" and first.dep_ not in ("nsubj", "dobj")


NAME_TYPES = {"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC"}


def part_of_a_name(run: list[Token]) -> bool:
    """'the S&P 500', 'Boeing's 787 Dreamliner', 'the 2003 Iron Bowl', 'iPhone 12 Mini': a number inside
    a name, or in digits right before the singular proper noun it names with (a plural one is counted:
    '300 Marines'; so is a word: 'one Democrat')."""
    last = run[-1]
    if any(t.ent_type_ in NAME_TYPES and not _bare_number_entity(t) for t in run):
        return True
    nxt = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
    head = last.head
    return nxt is not None and last.text[:1].isdigit() and nxt.tag_ == "NNP" and nxt.text[:1].isupper() \
        and nxt.lower_ not in rules()["units"] \
        and not nxt.is_sent_start \
        and head.i >= nxt.i and head.tag_ == "NNP" and head.ent_type_ != "PERSON" \
        and last.ent_type_ not in ("MONEY", "PERCENT", "QUANTITY")  # ('40 Sadr City policemen' counts)


def _bare_number_entity(tok: Token) -> bool:
    """An entity that is a number and nothing else ('3,005.47' tagged PRODUCT) names nothing."""
    doc = tok.doc
    start, end = tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return all(t.like_num or t.is_punct for t in doc[start:end])


def is_score(run: list[Token]) -> bool:
    """'2 – 1': a match score."""
    doc = run[0].doc
    before = doc[run[0].i - 2 : run[0].i]
    after = doc[run[-1].i + 1 : run[-1].i + 3]
    dash = ("-", "–", "—")
    if len(after) == 2 and after[0].text in dash and after[1].like_num:
        return not _range_of_amounts(after[1])
    if len(before) == 2 and before[1].text in dash and before[0].like_num:
        return not _range_of_amounts(run[-1])
    return False


def _range_of_amounts(second: Token) -> bool:
    """'33-35 billion euros', '15-22 people', '5-6%': what follows the second number makes 'N-M' a
    range of amounts, not a match score ('a 9-2 lead', 'won 3-0')."""
    doc, r = second.doc, rules()
    k = second.i + 1
    while k < len(doc) and doc[k].lower_ in lexicon.table("numbers.json")["scales"]:
        k += 1
    nxt = doc[k] if k < len(doc) else None
    if nxt is None:
        return False
    word = nxt.lower_
    return k > second.i + 1 or word in r["currencies"] or word in r["units"] or word in ("%", "percent") \
        or nxt.tag_ == "NNS"


def is_ratio(run: list[Token]) -> bool:
    """'one in three visits': a proportion, not two counts."""
    doc = run[0].doc
    after = doc[run[-1].i + 1 : run[-1].i + 3]
    before = doc[max(0, run[0].i - 2) : run[0].i]
    return (len(after) == 2 and after[0].lower_ == "in" and after[1].like_num and not _year_like(after[1])) or \
        (len(before) == 2 and before[1].lower_ == "in" and before[0].like_num and not _year_like(before[0]))


def _year_like(tok: Token) -> bool:
    """Four digits from 1500 to 2100."""
    return tok.text.isdigit() and len(tok.text) == 4 and 1500 <= int(tok.text) <= 2100


def kind_of(run: list[Token], obj: Token | None) -> str:
    r = rules()
    ent = run[0].ent_type_
    written_after = run[-1].doc[run[-1].i + 1 : run[-1].i + 3].text.lower()
    if written_after.startswith(("percent", "%", "pc", "per cent")):
        return "percent"  # (the model tags '0.65 per cent' MONEY)
    after_run = run[-1].doc[run[-1].i + 1].lower_ if run[-1].i + 1 < len(run[-1].doc) else ""
    counts_things = ent == "QUANTITY" and obj is not None and not any(
        w in r["units"] or w in r["durations"] for w in (obj.lower_, after_run))  # '1.5 million people
    if ent in KIND_OF_ENT and not counts_things:
        return KIND_OF_ENT[ent]
    doc = run[0].doc
    before = doc[run[0].i - 1].lower_ if run[0].i > 0 else ""
    after = doc[run[-1].i + 1].lower_ if run[-1].i + 1 < len(doc) else ""
    noun = obj.lower_ if obj is not None else after
    if noun in ("percent", "%", "per", "pc", "cent") or after in ("percent", "%", "pc", "per"):
        return "percent"  # (before money: 'per cent')
    if before in r["currencies"] or noun in r["currencies"]:
        return "money"
    if before == "aged" or _age_after(run[-1]):
        return "age"
    if noun in r["durations"] or duration_after(run[-1]):  # ('the 12 year zodiac cycles': years)
        return "duration"
    if noun in r["units"] or after in r["units"]:
        return "measure"  # ('64GB of storage': the unit stands between the number and its noun)
    return "count"


def is_age_apposition(run: list[Token]) -> bool:
    """'Maddon, 66, has ...', 'Jane Okafor, 41.': a bare number between commas right after a person's
    name is the person's age."""
    tok = run[0]
    doc = tok.doc
    if len(run) != 1 or not tok.text.isdigit() or not 0 < int(tok.text) < 120 or tok.i < 2:
        return False
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    name = doc[tok.i - 2]
    # (the model often takes a surname for a place here, so a place tag does not rule it out)
    return doc[tok.i - 1].text == "," and after is not None and after.text in (",", ".") \
        and name.pos_ == "PROPN" and not _in_a_tally_list(tok)


def _in_a_tally_list(tok: Token) -> bool:
    """'Brazil, 12, Chile, 9, and Peru, 4': name-number pairs in a list are tallies, not ages."""
    doc = tok.doc

    def number_at(i: int) -> bool:
        return 0 <= i < len(doc) and doc[i].like_num

    return any(number_at(tok.i + k) for k in (2, 3, 4)) or any(number_at(tok.i - k) for k in (3, 4, 5))


def is_age_of_person(run: list[Token]) -> bool:
    """'when she was 6', 'until he was eighteen': a bare number predicated of a person."""
    if is_age_apposition(run):
        return True
    last = run[-1]
    head = last.head
    if last.dep_ not in ("attr", "acomp", "oprd") or head.lemma_ != "be":
        return False
    subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
    return subj is not None and (subj.lower_ in ("he", "she", "i", "you", "we", "they") or subj.ent_type_ == "PERSON")


def one_as_article(run: list[Token]) -> bool:
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
