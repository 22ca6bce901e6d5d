"""Measured tables written into a README between markers: `newsgraph eval --update-readme` and the
scripts in bench/ share this one writer (it lived in bench/ and the command reached into it, which an
installed package cannot)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

from newsgraph.errors import NewsgraphError


def machine() -> str:
    """'2 cores, AMD EPYC ..., Python 3.11.7': what a measurement ran on."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu or 'unknown CPU'}, Python {platform.python_version()}"


def update_readme(marker: str, body: str, command: str, readme: Path | None = None) -> None:
    """Replace the text between <!-- marker:start --> and <!-- marker:end --> in ``readme`` (README.md in
    the current folder unless given), stamped with the day, the machine and the command."""
    readme = readme or Path.cwd() / "README.md"
    if not readme.is_file():
        raise NewsgraphError(f"no {readme} to write the tables into: run this from newsgraph's checkout")
    stamp = f"Measured {dt.date.today().isoformat()} on {machine()} with `{command}`.\n\n"
    text = readme.read_text()
    pattern = re.compile(rf"(<!-- {marker}:start -->\n).*?(<!-- {marker}:end -->)", re.S)
    if not pattern.search(text):
        raise NewsgraphError(f"{readme} has no <!-- {marker}:start --> ... <!-- {marker}:end --> markers")
    readme.write_text(pattern.sub(lambda m: m[1] + stamp + body.rstrip() + "\n" + m[2], text))
