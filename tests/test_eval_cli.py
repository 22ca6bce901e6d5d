"""`newsgraph eval` end to end, on gold files written for this test (no ../shared needed)."""

import json

from conftest import SEED, run_cli


def test_eval_json_reports_every_set_and_skips_missing_ones(tmp_path):
    shared = tmp_path / "shared"
    (shared / "seed").mkdir(parents=True)
    (shared / "seed" / "seed.txt").write_bytes(SEED.read_bytes())
    (shared / "seed" / "expected.json").write_text(json.dumps({
        "persons": [{"name": "Vladimir Putin", "roles": ["Russian President"]}, {"name": "Pavel Malkov"}],
        "quotes": [{"text": "no one should doubt", "speaker": "Vladimir Putin", "direct": True}],
        "counts": [{"number": 15, "object": "settlements", "qualifier": "at least"}],
    }))
    proc = run_cli("eval", "--json", "--shared", str(shared), "--no-baselines")
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    assert set(result) == {"seed", "corpus", "polnear", "gum-news", "conll", "newsquant", "article-extraction", "geo",
                           "stories"}
    assert result["seed"]["persons.recall"] == 1.0
    assert result["seed"]["quotes.direct.recall"] == 1.0
    assert result["seed"]["counts.recall"] == 1.0 and result["seed"]["counts.qualifier_accuracy"] == 1.0
    for name in ("corpus", "polnear", "gum-news", "conll", "newsquant", "article-extraction", "stories"):
        assert set(result[name]) == {"skipped"} and "not found" in result[name]["skipped"]


def test_eval_on_a_users_gold_file(tmp_path):
    gold = tmp_path / "mine.jsonl"
    gold.write_text(json.dumps({
        "id": "x1", "text": 'The mayor, Anna Berg, said: "The bridge will reopen on Monday." Three workers were hurt.',
        "quotes": [{"text": "The bridge will reopen on Monday.", "speaker": "Anna Berg", "direct": True}],
        "counts": [{"number": 3, "object": "workers"}],
    }) + "\n")
    proc = run_cli("eval", "--gold", str(gold), "--json", "--misses", "--no-baselines")
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)[str(gold)]
    assert result["quotes.direct.recall"] == 1.0 and result["quotes.direct.speaker_accuracy"] == 1.0
    assert result["counts.recall"] == 1.0


def test_eval_writes_its_tables_into_the_readme_of_the_current_folder(tmp_path):
    """The writer is the package's own (an installed newsgraph has no bench/ beside it)."""
    done = run_cli("eval", "--set", "seed", "--no-baselines", "--update-readme", cwd=tmp_path)
    assert done.returncode == 2 and "no " in done.stderr.decode() and "README.md" in done.stderr.decode()
    readme = tmp_path / "README.md"
    readme.write_text("# Mine\n\n<!-- eval:start -->\nstale numbers\n<!-- eval:end -->\n\nafter\n")
    done = run_cli("eval", "--set", "seed", "--no-baselines", "--update-readme", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    text = readme.read_text()
    assert "stale numbers" not in text and "with `make eval`" in text and "**seed**" in text and text.endswith("after\n")


def test_the_command_says_its_version():
    from newsgraph import __version__

    done = run_cli("--version")
    assert done.returncode == 0 and done.stdout.decode().strip() == f"newsgraph {__version__}"
