"""Word knowledge several stages share: outlets (data/outlets.txt), demonyms, role nouns,
given names and the gender they suggest, and the key mentions of one name compare by."""

from __future__ import annotations

from functools import cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from newsgraph import lexicon
from newsgraph.names import strip_accents


def mention_key(text: str) -> str:
    """Compare names without accents, case or possessive endings."""
    text = text.strip()
    for suffix in ("’s", "'s", "’", "'"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return " ".join(strip_accents(text.lower()).split())


@cache
def outlet_matcher(vocab_id: int, vocab) -> PhraseMatcher:  # noqa: ARG001 (cache key)
    matcher = PhraseMatcher(vocab)
    matcher.add("ORG", [vocab_make(vocab, n) for n in _outlet_names()])
    return matcher


def vocab_make(vocab, text: str) -> Doc:
    return Doc(vocab, words=text.replace("/", " / ").split())


def _outlet_names() -> tuple[str, ...]:
    return lexicon.lines("outlets.txt")


@cache
def outlet_keys() -> frozenset[str]:
    return frozenset(mention_key(n) for n in _outlet_names())


def is_outlet(name: str | None) -> bool:
    return bool(name) and mention_key(name) in outlet_keys()


def country_of_demonym(word: str) -> str | None:
    """'Russian' -> 'Russia', 'North Korean' -> 'North Korea' (data/demonyms.json)."""
    return lexicon.table("demonyms.json").get(word.lower())


def role_heads() -> frozenset[str]:
    return lexicon.words("roles.txt")


@cache
def given_names() -> dict[str, str]:
    """Given name -> 'm' or 'f' (data/given_names.tsv)."""
    return dict(line.split("\t", 1) for line in lexicon.phrases("given_names.tsv"))


MALE = {"he", "him", "his", "himself"}


FEMALE = {"she", "her", "hers", "herself"}


def gender_of(name: str) -> str | None:
    """'m' or 'f' from a person's given name (data/given_names.tsv), else unknown."""
    first = mention_key(name).split()[0] if name.split() else ""
    return given_names().get(first)


def pronoun_gender(pronoun: str) -> str | None:
    """'m' for he/him/his, 'f' for she/her, None for any other word."""
    word = pronoun.lower()
    return "m" if word in MALE else "f" if word in FEMALE else None
