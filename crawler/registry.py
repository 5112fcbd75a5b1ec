"""The agency registry: who we watch and where their annual-report column (年报栏目) is.

Per-agency quirks live here as hints (City Scrapers style: configuration, not code), so the one
generic spider can crawl every portal. Files are YAML (a list, or ``{agencies: [...]}``) or CSV
(one row per agency; ``columns`` separated by ``|``; hint columns prefixed ``hint_``).
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

LEVELS = ("province", "city", "county", "township")
KINDS = ("department", "government", "township")


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names the entry and the field."""


@dataclass
class Hints:
    js: bool = False  # the column is built by JavaScript: render it with Playwright
    cms: str | None = None  # trs | hanweb | json | plain; None = detect from the page
    list_selector: str | None = None  # CSS selector of the list container, when the page has several
    json_api: str | None = None  # list API URL; "{page}" (1-based) / "{offset}" are filled in
    pagination: str | None = None  # URL template with "{page}" when the portal's paging is unusual
    deadline: str | None = None  # YYYY-MM-DD deadline override (a province may set an earlier one)
    max_pages: int | None = None  # cap on listing pages for this column

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Hints":
        d = dict(d or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise RegistryError(f"unknown hint(s): {', '.join(unknown)}")
        if "js" in d:
            d["js"] = _as_bool(d["js"])
        if d.get("max_pages") not in (None, ""):
            d["max_pages"] = int(d["max_pages"])
        for k in ("cms", "list_selector", "json_api", "pagination", "deadline"):
            if d.get(k) == "":
                d[k] = None
        if d.get("deadline") is not None:
            d["deadline"] = str(d["deadline"])
        return cls(**d)


@dataclass
class Agency:
    id: str
    name: str
    region: str = ""
    level: str = "county"
    kind: str = "department"
    portal: str = ""
    columns: list[str] = field(default_factory=list)
    hints: Hints = field(default_factory=Hints)
    verified: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Agency":
        d = dict(d)
        ident = d.get("id") or "?"
        for req in ("id", "name"):
            if not d.get(req):
                raise RegistryError(f"agency {ident!r}: missing {req!r}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise RegistryError(f"agency {ident!r}: unknown field(s) {', '.join(unknown)}")
        d["id"] = str(d["id"])
        cols = d.get("columns") or []
        if isinstance(cols, str):
            cols = [c.strip() for c in cols.split("|") if c.strip()]
        d["columns"] = [str(c) for c in cols]
        try:
            d["hints"] = d["hints"] if isinstance(d.get("hints"), Hints) else Hints.from_dict(d.get("hints"))
        except (RegistryError, TypeError, ValueError) as e:
            raise RegistryError(f"agency {ident!r}: {e}") from None
        d["verified"] = _as_bool(d.get("verified", False))
        if d.get("level", "county") not in LEVELS:
            raise RegistryError(f"agency {ident!r}: level must be one of {LEVELS}, not {d.get('level')!r}")
        if d.get("kind", "department") not in KINDS:
            raise RegistryError(f"agency {ident!r}: kind must be one of {KINDS}, not {d.get('kind')!r}")
        return cls(**d)


def _as_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in ("1", "true", "yes", "y", "on", "是")


def parse_registry(text: str, fmt: str) -> list[Agency]:
    """Agencies from registry text; ``fmt`` is "yaml" or "csv". Duplicate ids are an error."""
    if fmt == "csv":
        rows = []
        for row in csv.DictReader(io.StringIO(text)):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            hints = {k[5:]: v for k, v in row.items() if k.startswith("hint_") and v != ""}
            base = {k: v for k, v in row.items() if not k.startswith("hint_") and v != ""}
            base["hints"] = hints
            rows.append(base)
    else:
        import yaml

        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as e:
            raise RegistryError(f"not valid YAML: {e}") from None
        rows = data.get("agencies", []) if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise RegistryError("expected a list of agencies (or a mapping with key 'agencies')")
    agencies, seen = [], set()
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise RegistryError(f"entry {i}: expected a mapping, got {type(row).__name__}")
        a = Agency.from_dict(row)
        if a.id in seen:
            raise RegistryError(f"agency {a.id!r}: duplicate id")
        seen.add(a.id)
        agencies.append(a)
    return agencies


def load_registry(path: str | Path) -> list[Agency]:
    """Agencies from a YAML or CSV file (by extension; ``.csv`` is CSV, anything else YAML)."""
    p = Path(path)
    fmt = "csv" if p.suffix.lower() == ".csv" else "yaml"
    return parse_registry(p.read_text(encoding="utf-8-sig"), fmt)


def find_agency(agencies: list[Agency], ident: str) -> Agency:
    for a in agencies:
        if a.id == ident:
            return a
    raise KeyError(ident)


def adhoc_agency(url: str, name: str | None = None, kind: str = "department", js: bool = False) -> Agency:
    """An agency for a column URL that is not in the registry (``crawl --url``)."""
    from urllib.parse import urlsplit

    host = urlsplit(url).netloc or "adhoc"
    return Agency(
        id=f"url:{host}",
        name=name or host,
        kind=kind if kind in KINDS else "department",
        portal=f"{urlsplit(url).scheme}://{host}/" if host != "adhoc" else "",
        columns=[url],
        hints=Hints(js=js),
        verified=False,
    )
