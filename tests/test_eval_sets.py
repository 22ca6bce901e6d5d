"""The readers and scorers of the public eval sets, on small inputs written for these tests."""

from newsgraph.evaluation.conll import predicted_names, read_conll, score
from newsgraph.evaluation.newsquant import matched
from newsgraph.record import Article, Entity, Mention, Record

CONLL = """-DOCSTART- -X- O O

FLOODS NNS I-NP O
CLOSE VBP I-VP O
ROADS NNS I-NP O

TARTU NNP I-NP I-LOC
1996-08-30 CD I-NP O

Mayor NNP I-NP O
Anna NNP I-NP I-PER
Berg NNP I-NP I-PER
( ( O O
Tartu NNP I-NP I-ORG
City NNP I-NP I-ORG
Council NNP I-NP I-ORG
) ) O O
said VBD I-VP O
Estonia NNP I-NP I-LOC
's POS B-NP O
roads NNS I-NP O
were VBD I-VP O
closed VBN I-VP O
, , O O
and CC O O
Germans NNPS I-NP I-MISC
Dutch NNPS I-NP B-MISC
helped VBD I-VP O
. . O O

-DOCSTART- -X- O O

Second NNP I-NP O
story NN I-NP O
. . O O
"""


def test_conll_documents_are_text_with_name_spans(tmp_path):
    path = tmp_path / "mini.testa"
    path.write_text(CONLL)
    first, second = read_conll(path)
    assert first.text.startswith("FLOODS CLOSE ROADS\n\nTARTU 1996-08-30\nMayor Anna Berg (Tartu City Council) said")
    assert "Estonia's roads were closed, and" in first.text
    names = [(first.text[s:e], kind) for s, e, kind in first.entities]
    assert names == [("TARTU", "LOC"), ("Anna Berg", "PER"), ("Tartu City Council", "ORG"), ("Estonia", "LOC")]
    assert second.text == "Second story." and second.entities == []


def test_conll_scores_names_only_not_pronouns_or_descriptions(tmp_path):
    path = tmp_path / "mini.testa"
    path.write_text(CONLL)
    doc = read_conll(path)[0]
    text = doc.text
    at = text.index
    record = Record(article=Article(id="d", text=text), entities=[
        Entity(id="e1", name="Anna Berg", type="PERSON", mentions=[
            Mention(start=at("Anna Berg"), end=at("Anna Berg") + 9, text="Anna Berg"),
            Mention(start=0, end=2, text="He"), Mention(start=0, end=11, text="The mayor")]),
        Entity(id="e2", name="Estonia", type="GPE", mentions=[
            Mention(start=at("Estonia"), end=at("Estonia") + 7, text="Estonia")]),
        Entity(id="e3", name="Tartu City", type="GPE", mentions=[
            Mention(start=at("Tartu City"), end=at("Tartu City") + 10, text="Tartu City")]),
    ])
    assert len(predicted_names(record)) == 3  # the pronoun and the description are left out
    metrics, misses = score([doc], [record])
    assert metrics["names.precision"] == round(2 / 3, 4) and metrics["names.recall"] == 0.5
    assert {"doc": doc.name, "spurious": "Tartu City", "type": "LOC"} in misses


def test_newsquant_values_pair_once_each():
    assert matched([3.0, 3.0, 40.0], [3.0, 40.0, 0.5]) == 2
    assert matched([1e9], [1000000000.0]) == 1 and matched([], [2.0]) == 0


def test_a_newsquant_range_is_its_two_ends_and_exponents_read():
    from newsgraph.evaluation.newsquant import _values

    assert _values("15.0-22.0") == [15.0, 22.0] and _values("-3.5") == [-3.5] and _values("2.998E-08") == [2.998e-08]
    assert _values("n/a") == []
