"""Helpers the bench scripts share: the machine line and writing a table into the README."""

from __future__ import annotations

import os
import resource
from pathlib import Path

from newsgraph import readme
from newsgraph.readme import machine  # noqa: F401 (the bench scripts import it from here)

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def update_readme(marker: str, body: str, command: str) -> None:
    """The package's writer, on this checkout's README."""
    readme.update_readme(marker, body, command, ROOT / "README.md")


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def in_own_process(measure, sizes: list[int], workdir: Path) -> list[dict]:
    """Run measure(n, workdir) for each size in a forked process of its own, so that each peak RSS
    is that size's own; returns the results in order."""
    import json

    rows = []
    for n in sizes:
        out = workdir / f"result-{n}.json"
        pid = os.fork()
        if pid == 0:
            out.write_text(json.dumps(measure(n, workdir)))
            os._exit(0)
        os.waitpid(pid, 0)
        rows.append(json.loads(out.read_text()))
    return rows


def sizes_cli(doc: str, default_sizes: str, measure) -> tuple:
    """The command line of the per-size benches: parse --sizes/--json/--update-readme, measure each
    size in its own process, print JSON when asked. Returns (args, rows), rows None after --json."""
    import argparse
    import json
    import tempfile

    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=default_sizes)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--update-readme", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = in_own_process(measure, [int(x) for x in args.sizes.split(",")], Path(tmp))
    if args.json:
        print(json.dumps(rows, indent=2))
        return args, None
    return args, rows


def start_server(db: str) -> tuple:
    """``newsgraph serve`` on a free local port, answering: (the process, its base URL)."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/api/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    return proc, base
