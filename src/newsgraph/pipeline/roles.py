"""Roles of people: a premodifier ('Ministry spokesperson Anna Berg') or an apposition
('Alireza Mehraban, the team's coach'), headed by a role noun (data/roles.txt)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsgraph.pipeline.vocabulary import role_heads

_MAX_ROLE_TOKENS = 6


def premodifier_role(doc: Doc, start: int) -> str | None:
    """'Ministry spokesperson Anna Berg' -> 'Ministry spokesperson'."""
    i = start
    while i > 0 and start - i < _MAX_ROLE_TOKENS:
        t = doc[i - 1]
        if t.is_sent_end or not (t.is_alpha or t.text in ("-", ".")) or t.pos_ not in ("PROPN", "NOUN", "ADJ"):
            break
        i -= 1
    if i == start or doc[start - 1].lower_ not in role_heads():
        return None
    return doc[i:start].text


def appositive_role(doc: Doc, start: int, end: int) -> str | None:
    """'Alireza Mehraban, the team's coach' or 'the team's coach, Alireza Mehraban'."""
    root = doc[start:end].root
    candidates = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        candidates.append(root.head)
    for head in candidates:
        if head.lower_ not in role_heads() or start <= head.i < end:
            continue
        left = head.left_edge.i
        right = head.i + 1
        if left <= start < right:  # the name is inside; take only what precedes it
            right = start
        words = [t for t in doc[left:right] if not t.is_punct]
        while words and words[0].pos_ == "DET":
            words.pop(0)
        if words:
            return doc[words[0].i : words[-1].i + 1].text
    return None
