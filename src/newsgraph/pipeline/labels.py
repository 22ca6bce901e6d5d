"""Labels: quoted names and terms that are not speech.

A quote is a label when it is a title (every main word capitalized), a short quoted term after
a naming cue ('a', 'the', 'so-called', 'dubbed': data/label_cues.txt), a one-word modifier or
noun ('served with "electric" Kool Aid'), a short noun phrase modifying the noun after it ('"deep
state" officials'), or a short scare quote in single marks. Under a speech verb only naming cues,
a bare noun phrase or such a modifier make a term; evaluative words stay speech."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from newsgraph import lexicon

_LABEL_MAX_WORDS = 6


def short_fragment(quoted: str) -> bool:
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


def _names_a_kind(inside: Sequence[Token], start: int, end: int) -> bool:
    """A quoted noun phrase standing before the noun it modifies ('"deep state" officials'): a term for a
    kind of thing, even under a speech verb. An adjective phrase there ('a "very bad" deal') is the
    speaker's judgement and stays speech."""
    words = [t for t in inside if start <= t.idx < end and not t.is_punct]
    heads = [t for t in words if not start <= t.head.idx < end]
    if len(words) < 2 or len(heads) != 1:
        return False
    head = heads[0]
    return head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("compound", "nmod", "amod") \
        and head.head.idx >= end and head.head.pos_ in ("NOUN", "PROPN")


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
    if len(words) <= 3 and _names_a_kind(inside, start, start + len(quoted)):
        return True  # 'warned that "deep state" officials', 'its "clean coal" technology'
    before = text[max(0, start - 40) : start - 1].lower().split()
    cues = lexicon.words("label_cues.txt")
    cue = before[-1] if before and before[-1] in cues else " ".join(before[-2:]) if " ".join(before[-2:]) in cues else None
    if cue is None:
        return False
    if said and cue in lexicon.words("weak_label_cues.txt"):
        return not any(t.pos_ in ("ADJ", "ADV", "VERB") for t in inside)
    return True
