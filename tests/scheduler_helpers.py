"""Job functions for scheduler tests: importable by textual reference (``scheduler_helpers:record``)
so real job stores can serialise them. They leave a trace in a file the test reads."""
from __future__ import annotations

import time
from pathlib import Path


def record(path: str, label: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"{label}\n")


def slow(path: str, seconds: float) -> None:
    """Marks start and end, so a test can stop the service mid-job and see it finish."""
    record(path, "started")
    time.sleep(seconds)
    record(path, "finished")


def calls(path: str) -> list[str]:
    p = Path(path)
    return p.read_text(encoding="utf-8").splitlines() if p.exists() else []
