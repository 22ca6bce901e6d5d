from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed.txt"
WIKINEWS = FIXTURES / "wikinews.jsonl"


@pytest.fixture(scope="session")
def pipeline():
    from newsgraph.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def seed_record(pipeline):
    from newsgraph.readers import read_inputs

    (article,) = list(read_inputs([str(SEED)]))
    return pipeline.process(article)


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None, cwd: Path | None = None,
            timeout: int = 300) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "newsgraph.cli", *args], input=stdin, capture_output=True,
        env={**os.environ, **(env or {})}, cwd=cwd, timeout=timeout,
    )
