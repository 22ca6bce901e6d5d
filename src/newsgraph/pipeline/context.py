"""What stages share: the article, its one spaCy parse, the record being built, and the indexes
later stages look things up in (an entity by id or by token, a token's or an offset's sentence),
each built once per article instead of found again by scanning the record."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.record import Article, DateMention, Entity, Record


@dataclass
class Context:
    article: Article
    doc: Doc
    record: Record
    # token index -> record entity id; written by the entities stage (add_entity), read by later stages
    token_entity: dict[int, str] = field(default_factory=dict)
    _by_id: dict[str, Entity] = field(default_factory=dict)
    _sent_starts: list[int] = field(default_factory=list)
    _token_sentence: list[int] = field(default_factory=list)
    _dated: list[DateMention] | None = None
    _dated_starts: list[int] = field(default_factory=list)

    # --- entities -----------------------------------------------------------------------

    def add_entity(self, entity: Entity, tokens: Iterable[int]) -> None:
        """Add an entity to the record, with the tokens of its mentions (the entities stage's write)."""
        self.record.entities.append(entity)
        self._by_id[entity.id] = entity
        for i in tokens:
            self.token_entity[i] = entity.id

    def entity(self, entity_id: str | None) -> Entity | None:
        if not entity_id:
            return None
        if len(self._by_id) != len(self.record.entities):  # entities given with the record itself
            self._by_id = {e.id: e for e in self.record.entities}
        return self._by_id.get(entity_id)

    def entity_at(self, token: Token) -> str | None:
        return self.token_entity.get(token.i)

    def entity_for(self, token: Token) -> Entity | None:
        return self.entity(self.token_entity.get(token.i))

    def entity_name(self, entity_id: str | None) -> str | None:
        ent = self.entity(entity_id)
        return ent.name if ent else None

    def is_person(self, token: Token) -> bool:
        ent = self.entity_for(token)
        return bool(ent and ent.type == "PERSON")

    # --- sentences ----------------------------------------------------------------------

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

    def sentence_of(self, token: Token) -> Span:
        """The sentence of a token, by an index of every token's sentence built once."""
        if not self._token_sentence:
            numbers = [0] * len(self.doc)
            for n, sent in enumerate(self.sentences()):
                numbers[sent.start : sent.end] = [n] * (sent.end - sent.start)
            self._token_sentence = numbers
        return self.sentences()[self._token_sentence[token.i]]

    def sentence_before(self, char: int) -> Span:
        """The sentence before the one containing a character offset (that one itself at the start)."""
        return self.sentences()[max(self.sentence_number(char) - 1, 0)]

    # --- dates --------------------------------------------------------------------------

    def first_date_in(self, start: int, end: int) -> DateMention | None:
        """The first resolved date mention starting in [start, end), by bisection over the dates
        stage's mentions (listed once the first time a later stage asks)."""
        if self._dated is None:
            self._dated = sorted((d for d in self.record.dates if d.value is not None), key=lambda d: d.start)
            self._dated_starts = [d.start for d in self._dated]
        k = bisect.bisect_left(self._dated_starts, start)
        return self._dated[k] if k < len(self._dated) and self._dated[k].start < end else None
