"""Parsed documents cached on disk by (parser version, agency kind, sha256): a daily re-crawl of
unchanged files must not parse or OCR them again. A parser change changes the version, so
``nianbao reparse`` after a fix reads every file afresh. Entries are written atomically."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from parsers.errors import TIMEOUT, TOOL_MISSING
from parsers.model import Report

# outcomes that may differ next time (a loaded machine, a converter installed since): not cached
TRANSIENT = (TIMEOUT, TOOL_MISSING)


@lru_cache(maxsize=1)
def parser_version() -> str:
    """The parser's version plus a hash of its source: a parser fix changes it, so stored reports
    show which parser read them."""
    import parsers

    h = hashlib.sha256()
    root = Path(parsers.__file__).parent
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    return f"{getattr(parsers, '__version__', '0')}+{h.hexdigest()[:10]}"


class ParseCache:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, sha256: str, kind: str | None) -> Path:
        return self.root / parser_version() / (kind or "any") / sha256[:2] / f"{sha256}.json"

    def get(self, sha256: str, kind: str | None) -> Report | None:
        p = self._path(sha256, kind)
        try:
            return Report.from_dict(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError):
            return None  # absent or unreadable: parse again

    def put(self, sha256: str, kind: str | None, report: Report) -> None:
        p = self._path(sha256, kind)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(report.to_json(with_text=True))
            os.replace(tmp, p)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def parse(self, data_or_loader, sha256: str, name: str, kind: str | None) -> Report:
        """The cached reading of ``sha256``, else parse it (``data_or_loader``: bytes or a callable
        returning them) and cache the result."""
        cached = self.get(sha256, kind)
        if cached is not None:
            return cached
        from parsers.api import parse_bytes

        data = data_or_loader() if callable(data_or_loader) else data_or_loader
        report = parse_bytes(data, name, kind=kind)
        if report.status not in TRANSIENT:
            self.put(sha256, kind, report)
        return report
