"""What stages share: the article, its one spaCy parse, and the record being built."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.record import Article, Record


@dataclass
class Context:
    article: Article
    doc: Doc
    record: Record
    # token index -> record entity id; filled by the entities stage, read by later stages
    token_entity: dict[int, str] = field(default_factory=dict)
    _sent_starts: list[int] = field(default_factory=list)

    def entity_at(self, token: Token) -> str | None:
        return self.token_entity.get(token.i)

    def entity_name(self, entity_id: str | None) -> str | None:
        ent = self.record.entity(entity_id) if entity_id else None
        return ent.name if ent else None

    def sentences(self) -> list[Span]:
        """The document's sentences, listed once (``doc.sents`` walks the whole parse every time)."""
        if not self._sent_starts:
            self._sents = list(self.doc.sents)
            self._sent_starts = [s.start_char for s in self._sents]
        return self._sents

    def sentence_number(self, char: int) -> int:
        """The index (in ``sentences()``) of the sentence containing a character offset."""
        self.sentences()
        return max(bisect.bisect_right(self._sent_starts, char) - 1, 0)

    def sentence_at(self, char: int) -> Span:
        """The sentence containing a character offset."""
        return self.sentences()[self.sentence_number(char)]

    def sentence_before(self, char: int) -> Span:
        """The sentence before the one containing a character offset (that one itself at the start)."""
        return self.sentences()[max(self.sentence_number(char) - 1, 0)]
