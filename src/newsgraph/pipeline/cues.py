"""Speech verbs (data/cue_verbs.txt) and their inflected forms, shared by the stages that need
to know a speech verb when they see one: quotes (cues) and entities (a headline's "Obama Says")."""

from __future__ import annotations

from functools import cache

from newsgraph import lexicon


def cue_lemmas() -> frozenset[str]:
    return lexicon.words("cue_verbs.txt")


@cache
def cue_forms() -> frozenset[str]:
    """Inflected forms of the cue verbs, for tokens the small model tags as nouns ('lamenting')."""
    forms = set(lexicon.words("irregular_cue_forms.txt"))
    for lemma in cue_lemmas():
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms |= {lemma, lemma + "s", stem + "ed", stem + "ing", lemma + "d"}
        if lemma.endswith("y"):
            forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return frozenset(forms)
