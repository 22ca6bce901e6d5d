"""Tone and themes: VADER sentence scores (its lexicon ships in its package) and themes from
the small taxonomy in data/themes.json, with the words that evidence each."""

from __future__ import annotations

from collections import Counter
from functools import cache

from newsgraph import lexicon
from newsgraph.pipeline.context import Context
from newsgraph.pipeline.registry import stage
from newsgraph.record import SentenceTone, Theme, Tone


@cache
def analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def theme_terms() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in lexicon.table("themes.json").items() if not k.startswith("_")}


def find_themes(words: Counter) -> list[Theme]:
    out = []
    for name, terms in theme_terms().items():
        hits = {t: words[t] for t in terms if words[t]}
        if len(hits) >= 2 or any(n >= 2 for n in hits.values()):
            out.append(Theme(name=name, terms=sorted(hits, key=lambda t: (-hits[t], t))))
    return sorted(out, key=lambda th: -sum(words[t] for t in th.terms))


@stage("tone", assigns=("tone",))
def tone(ctx: Context) -> None:
    vader = analyzer()
    sentences, pos, neg, neu = [], [], [], []
    for sent in ctx.sentences():
        text = sent.text.strip()
        if len(text) < 3:
            continue
        scores = vader.polarity_scores(text)
        sentences.append(SentenceTone(start=sent.start_char, end=sent.end_char, polarity=round(scores["compound"], 3)))
        pos.append(scores["pos"])
        neg.append(scores["neg"])
        neu.append(scores["neu"])
    n = max(len(sentences), 1)
    words = Counter(t.lemma_.lower() for t in ctx.doc if t.is_alpha)
    words.update(t.lower_ for t in ctx.doc if t.is_alpha and t.lower_ != t.lemma_.lower())
    ctx.record.tone = Tone(
        positive=round(sum(pos) / n, 3), negative=round(sum(neg) / n, 3), neutral=round(sum(neu) / n, 3),
        polarity=round(sum(s.polarity for s in sentences) / n, 3), sentences=sentences,
        themes=find_themes(words),
    )
