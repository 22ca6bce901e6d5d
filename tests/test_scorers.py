"""The scorers themselves, on tiny hand-made cases."""

import pytest

from newsgraph.evaluation.extraction import page_pr
from newsgraph.evaluation.extraction import score as extraction_score
from newsgraph.evaluation.gold import GoldArticle, score_gold
from newsgraph.evaluation.gum import GoldMention, GumDoc, coref_scores
from newsgraph.evaluation.matching import name_matches, normalize_quote, overlap_f1
from newsgraph.evaluation.polnear import Attribution, Predicted
from newsgraph.evaluation.polnear import score as polnear_score
from newsgraph.record import Article, Count, Entity, Mention, Quote, Record

TEXT = 'Smith said, "We will win." Jones said the plan had failed. Police arrested 12 protesters.'


def gold(**kinds) -> GoldArticle:
    g = GoldArticle(article=Article(id="a", text=TEXT))
    for k, v in kinds.items():
        setattr(g, k, v)
        g.has.add(k)
    return g


def record(quotes=(), counts=(), entities=()) -> Record:
    return Record(article=Article(id="a", text=TEXT), quotes=list(quotes), counts=list(counts),
                  entities=list(entities))


def q(text, speaker, direct=True, kind="speech"):
    start = TEXT.find(text)
    return Quote(text=text, start=max(start, 0), end=max(start, 0) + len(text), direct=direct,
                 speaker=speaker, kind=kind)


GOLD_QUOTES = [{"text": "We will win.", "speaker": "John Smith", "direct": True},
               {"text": "the plan had failed", "speaker": "Ann Jones", "direct": False}]


def test_perfect_prediction_scores_one():
    m, misses = score_gold([gold(quotes=GOLD_QUOTES)],
                           [record([q("We will win.", "John Smith"), q("the plan had failed", "Ann Jones", False)])])
    assert m["quotes.direct.f1"] == 1.0 and m["quotes.direct.speaker_accuracy"] == 1.0
    assert m["quotes.reported.recall"] == 1.0 and m["quotes.reported.speaker_accuracy"] == 1.0
    assert misses == []


def test_empty_prediction_scores_zero():
    m, misses = score_gold([gold(quotes=GOLD_QUOTES)], [record()])
    assert m["quotes.direct.recall"] == 0.0 and m["quotes.direct.f1"] == 0.0
    assert m["quotes.reported.recall"] == 0.0
    assert len(misses) == 2


def test_trailing_comma_near_miss_still_matches():
    assert normalize_quote("“We will win,”") == normalize_quote('"We will win."') == "we will win"
    m, _ = score_gold([gold(quotes=GOLD_QUOTES[:1])], [record([q("We will win", "Smith")])])
    assert m["quotes.direct.recall"] == 1.0 and m["quotes.direct.speaker_accuracy"] == 1.0  # surname matches


def test_wrong_speaker_counts_as_wrong():
    m, misses = score_gold([gold(quotes=GOLD_QUOTES[:1])], [record([q("We will win.", "Ann Jones")])])
    assert m["quotes.direct.recall"] == 1.0 and m["quotes.direct.speaker_accuracy"] == 0.0
    assert misses[0]["what"] == "direct quote speaker" and misses[0]["got"] == "Ann Jones"


def test_labels_are_not_counted_as_speech():
    g = gold(quotes=GOLD_QUOTES[:1] + [{"text": "plan", "speaker": None, "direct": True, "kind": "label",
                                        "optional": True}])
    m, _ = score_gold([g], [record([q("We will win.", "John Smith"), q("plan", None, kind="label")])])
    assert m["quotes.direct.precision"] == 1.0 and m["quotes.labels.kept_apart"] == 1.0


def test_counts_need_number_and_object():
    g = gold(counts=[{"number": 12, "object": "protesters", "action": "arrested", "qualifier": None,
                      "sentence": "Police arrested 12 protesters."}])
    right = Count(number=12, object="protesters", action="arrested", start=75, end=77, text="12",
                  sentence="Police arrested 12 protesters.")
    wrong_object = right.model_copy(update={"object": "police"})
    assert score_gold([g], [record(counts=[right])])[0]["counts.f1"] == 1.0
    m, _ = score_gold([g], [record(counts=[wrong_object])])
    assert m["counts.recall"] == 0.0 and m["counts.number_recall"] == 1.0


def test_persons_by_canonical_name():
    g = gold(persons=[{"name": "António Costa"}, {"name": "John Smith"}])
    ents = [Entity(id="e1", name="Antonio Costa", type="PERSON", mentions=[Mention(start=0, end=5, text="Smith")])]
    m, _ = score_gold([g], [record(entities=ents)])
    assert m["persons.recall"] == 0.5 and m["persons.precision"] == 1.0


def test_one_word_person_names():
    g = gold(persons=[{"name": "Halston"}, {"name": "Barack Obama"}, {"name": "Jane Smith"}, {"name": "John Smith"}])
    ents = [Entity(id=f"e{k}", name=n, type="PERSON", mentions=[Mention(start=0, end=1, text=n)])
            for k, n in enumerate(["Halston", "Obama", "Smith"])]
    m, _ = score_gold([g], [record(entities=ents)])
    # 'Smith' is ambiguous between two gold people, so it matches neither
    assert m["persons.recall"] == 0.5 and round(m["persons.precision"], 3) == 0.667


@pytest.mark.parametrize("pred, gold_name, ok", [
    ("Peskov", "Dmitry Peskov", True), ("KCNA", "Korean Central News Agency", True),
    ("South Korea", "South Korean government", True), ("Khaled Al-Maeena", "Khaled Almaeena", True),
    ("Dmitry Peskov", "Vladimir Putin", False), (None, "Vladimir Putin", False), (None, None, True),
    ("China", "Chinese government", True), ("Japan", "Chinese government", False),
    ("Abdullah II", "Abdullah II of Jordan", True), ("Rania", "Queen Rania of Jordan", True),
    ("Abdullah II", "Abdullah I of Jordan", False), ("Doan Thi Huong", "Đoàn Thị Hương", True),
])
def test_name_matching_rules(pred, gold_name, ok):
    assert name_matches(pred, gold_name) is ok


def test_overlap_f1_bounds():
    assert overlap_f1("a b c", "a b c") == 1.0 and overlap_f1("a b", "c d") == 0.0


def test_extraction_metric():
    body = "one two three four five six"
    assert page_pr(body, body) == (1.0, 1.0)
    assert extraction_score([("", body)])["f1"] == 0.0
    p, r = page_pr("one two three four five six seven", body)
    assert r == 1.0 and p == 0.75


def test_polnear_scores_content_and_source():
    gold_attr = [Attribution('"We will win."', [(12, 26)], [(0, 5)])]
    right = [Predicted("We will win.", True, [(0, 5)])]
    wrong_source = [Predicted("We will win.", True, [(30, 35)])]
    assert polnear_score([gold_attr], [right])["direct.content_f1"] == 1.0
    assert polnear_score([gold_attr], [right])["direct.source_match"] == 1.0
    assert polnear_score([gold_attr], [wrong_source])["direct.source_match"] == 0.0
    assert polnear_score([gold_attr], [[]])["direct.content_recall"] == 0.0


def test_coref_perfect_and_split_chains():
    doc = GumDoc("d", "Smith came. He left. Smith.", [
        GoldMention("1", "person", 0, 5, True), GoldMention("1", "person", 12, 14, False),
        GoldMention("1", "person", 21, 26, True)])
    one = Record(article=Article(id="d", text=doc.text), entities=[Entity(id="e1", name="Smith", type="PERSON",
                 mentions=[Mention(start=0, end=5, text="Smith"), Mention(start=12, end=14, text="He"),
                           Mention(start=21, end=26, text="Smith")])])
    assert coref_scores([doc], [one])["coref.muc_f1"] == 1.0 and coref_scores([doc], [one])["coref.b3_f1"] == 1.0
    split = Record(article=one.article, entities=[
        Entity(id="e1", name="Smith", type="PERSON", mentions=[Mention(start=0, end=5, text="Smith"),
                                                               Mention(start=21, end=26, text="Smith")]),
        Entity(id="e2", name="He", type="PERSON", mentions=[Mention(start=12, end=14, text="He")])])
    s = coref_scores([doc], [split])
    assert s["coref.muc_recall"] == 0.5 and s["coref.muc_precision"] == 1.0


def test_polnear_reader_takes_spans_in_any_order_and_skips_broken_events(tmp_path):
    from newsgraph.evaluation.polnear import read_ann

    text = 'He said "we will win" today.'
    ann = tmp_path / "a_1.ann"
    ann.write_text("E1\tAttribution:T3 Content:T2 Cue:T4 Source:T1\n"  # the event before its spans
                   "T1\tSource 0 2\tHe\nT2\tContent 8 21\t\"we will win\"\nT3\tAttribution 3 7\tsaid\n"
                   "E2\tAttribution:T3 Content:T9 Source:T1\n"  # a content span that does not exist
                   "T5\tContent x y\tbroken\nE3\tAttribution:T3 Content:T5\n", encoding="utf-8")
    (only,) = read_ann(ann, text)
    assert only.content == '"we will win"' and only.source == [(0, 2)]
