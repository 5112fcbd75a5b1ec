"""The pipeline: fetch → store → parse → check → findings → alerts, one agency at a time.

Every step commits in its own short transaction, and every write is an upsert on a natural key,
so re-running any step (or the whole campaign after a crash) changes nothing that was already
right. ``evaluate`` reads only the database and the blob store, which is what ``reparse`` needs.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from crawler.blobstore import BlobStore
from monitor.ingest import ROLE_LISTING, fetched_documents, known_validators, store_documents
from monitor.parse_cache import ParseCache, parser_version
from monitor.settings import Settings
from monitor.storage import db, repo
from monitor.storage.models import Agency, CrawlRun, Document, DocumentVersion, utcnow
from monitor.storage.models import Report as ReportRow

log = logging.getLogger(__name__)

PARSE_OK = "ok"  # parsers.model.STATUS_OK: anything else is a health finding


@dataclass
class AgencyOutcome:
    """What one agency's run came to: what oversight staff and operators see first."""

    agency_id: str
    year: int
    state: str  # found | missing | not_due | unreadable | crawl_failed
    report_id: int | None = None
    source_url: str | None = None
    published_on: dt.date | None = None
    findings: dict[str, int] = field(default_factory=dict)  # sync counts
    error: str | None = None


@dataclass
class CampaignResult:
    year: int
    outcomes: list[AgencyOutcome] = field(default_factory=list)
    alerts: Any = None  # what monitor.alerts.dispatch returned


# -- helpers ----------------------------------------------------------------------------------


def database_url(session_factory: sessionmaker[Session]) -> str:
    return session_factory.kw["bind"].url.render_as_string(hide_password=False)


def local_today(settings: Settings) -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(settings.timezone)).date()


def finding_dict(f: Any, source_url: str | None = None, sha256: str | None = None) -> dict[str, Any]:
    """A rules Finding (or dict) as the storage layer wants it, its evidence naming the source."""
    d = dict(f.to_dict()) if hasattr(f, "to_dict") else dict(f)
    rule = getattr(f, "rule", None) or d.get("rule")
    message = getattr(f, "message", None) or d.get("message") or d.get("detail") or rule
    key = getattr(f, "fingerprint", None) or d.get("fingerprint")
    if not key:
        key = rule + ":" + hashlib.sha256(repr(sorted(d.items(), key=str)).encode()).hexdigest()[:16]
    evidence = dict(d.get("evidence") or {})
    for k, v in d.items():
        if k not in ("rule", "severity", "audience", "message", "fingerprint", "evidence", "check_id", "check"):
            evidence.setdefault(k, v)
    if source_url:
        evidence.setdefault("source_url", source_url)
    if sha256:
        evidence.setdefault("sha256", sha256)
    return {
        "key": str(key),
        "rule": rule,
        "check_id": getattr(f, "check_id", None) or d.get("check_id") or d.get("check"),
        "severity": getattr(f, "severity", None) or d.get("severity") or "warning",
        "audience": getattr(f, "audience", None) or d.get("audience") or "compliance",
        "message": message,
        "evidence": evidence,
    }


def _health(rule: str, message: str, key: str, **evidence: Any) -> dict[str, Any]:
    sev = "error" if rule in ("fetch_failed", "blocked", "parse_failed") else "warning"
    return {"key": f"{rule}:{key}", "rule": rule, "severity": sev, "audience": "health", "message": message,
            "evidence": evidence}


# -- evaluate: parse, choose, check (database and blob store only) ----------------------------


@dataclass
class _Candidate:
    document: Document
    version: DocumentVersion
    report: Any  # parsers.model.Report

    @property
    def score(self) -> tuple:
        r = self.report
        return (
            r.status == PARSE_OK,
            r.year in (None, self.document.year),
            len(r.tables_found or []),
            # a text layer beats OCR (digits read from a scan can be wrong), fewer doubts beat more
            not (r.source or {}).get("ocr"),
            -len(r.uncertain_cells or []),
            len(r.sections_present or []),
            not (r.source or {}).get("ocr"),  # a text layer over digits read from a scan
            # ties: the most recently published URL (a corrected file under a new name), stable across runs
            self.document.first_seen,
            self.document.id,
        )


def _candidates(session: Session, store: BlobStore, cache: ParseCache, agency: Agency, year: int) -> list[_Candidate]:
    # only what the crawl recognised as this agency's report for the year (its page and attachments);
    # other pages it fetched (another body's report in a shared column, notices) carry no year
    docs = session.scalars(
        select(Document).where(Document.agency_id == agency.id, Document.role != ROLE_LISTING, Document.year == year)
        .order_by(Document.id)
    ).all()
    out = []
    for doc in docs:
        ver = repo.latest_version(session, doc.id)
        if ver is None or not store.has(ver.sha256):
            continue
        name = _file_name(doc.url, ver.headers or {})
        report = cache.parse(lambda: store.get(ver.sha256), ver.sha256, name, agency.kind)
        report.source = dict(report.source or {}) | {"url": doc.url, "sha256": ver.sha256}
        out.append(_Candidate(doc, ver, report))
    return out


def _file_name(url: str, headers: dict[str, str]) -> str:
    """The served file's name (Content-Disposition, else the URL's last segment): a hint for the reader."""
    from email.message import Message

    cd = next((v for k, v in headers.items() if k.lower() == "content-disposition"), None)
    if cd:
        msg = Message()
        msg["content-disposition"] = cd
        fname = msg.get_filename()
        if fname:
            return fname
    return url.rsplit("/", 1)[-1].split("?", 1)[0] or "index.html"


def _evidence_for(session: Session, cand: _Candidate) -> dict[str, Any]:
    """Publication evidence of the chosen document: its own, then its page's (for an attachment)."""
    ev: dict[str, Any] = {}
    if cand.document.parent_url:
        parent = session.scalar(
            select(Document).where(Document.agency_id == cand.document.agency_id, Document.url == cand.document.parent_url)
        )
        if parent is not None:
            pv = repo.latest_version(session, parent.id)
            if pv is not None:
                ev.update(pv.evidence or {})
    ev.update({k: v for k, v in (cand.version.evidence or {}).items() if v})
    if cand.report.signature_date:
        ev.setdefault("signature", cand.report.signature_date)
    return ev


def _unlisted_crawls(session: Session, cand: _Candidate) -> list[str]:
    """Dates of successful crawls for this report year that finished before the report (or its page)
    was first seen: they looked for it and did not find it listed (evidence for ``backdated``)."""
    first = cand.document.first_seen
    if cand.document.parent_url:
        parent = session.scalar(select(Document).where(Document.agency_id == cand.document.agency_id,
                                                       Document.url == cand.document.parent_url))
        if parent is not None:
            first = min(first, parent.first_seen)
    runs = session.scalars(
        select(CrawlRun.started_at).where(CrawlRun.agency_id == cand.document.agency_id, CrawlRun.status == "ok",
                                          CrawlRun.year == cand.document.year,  # a crawl that looked for it
                                          CrawlRun.finished_at < first).order_by(CrawlRun.started_at)
    )
    return sorted({r.date().isoformat() for r in runs})


def _cells(data: dict[str, Any]) -> dict[str, Any]:
    """Every table cell of a stored report as path -> value (the paths parsers.model.Report.cell reads)."""
    out: dict[str, Any] = {}
    for key, v in (data.get("table2") or {}).items():
        if isinstance(v, dict):
            out.update({f"table2.{key}.{c}": x for c, x in v.items()})
        else:
            out[f"table2.{key}"] = v
    for row, vals in (data.get("table3") or {}).items():
        out.update({f"table3.{row}[{i}]": x for i, x in enumerate(vals or [])})
    for group, cols in (data.get("table4") or {}).items():
        out.update({f"table4.{group}.{c}": x for c, x in (cols or {}).items()})
    return out


def _section_texts(data: dict[str, Any]) -> dict[str, str]:
    return {k: "".join((v.get("text") or "").split()) for k, v in (data.get("sections") or {}).items()}


def _modifications(session: Session, agency: Agency, row: ReportRow, store: BlobStore, cache: ParseCache) -> list[Any]:
    """``modified_after_publication``: an earlier version of this year's report says something else
    (its table cells, or the text when it is the same URL). Both files are kept; the earlier one is
    read again by today's parser, so a parser fix is never mistaken for an edit."""
    from monitor.rules.finding import Finding, cell_ref

    older = session.scalars(
        select(ReportRow).where(ReportRow.agency_id == agency.id, ReportRow.year == row.year, ReportRow.id < row.id,
                                ReportRow.parse_status == PARSE_OK).order_by(ReportRow.id)
    ).all()
    new_cells = _cells(row.data)
    new_ver = session.get(DocumentVersion, row.version_id)
    out = []
    for old in older:
        old_ver = session.get(DocumentVersion, old.version_id)
        if store.has(old.sha256):
            reread = cache.parse(lambda: store.get(old.sha256), old.sha256, _file_name(old.source_url, old_ver.headers or {}),
                                 agency.kind)
            old_data = reread.to_dict(with_text=True) if reread.status == PARSE_OK else old.data
        else:
            old_data = old.data
        old_cells = _cells(old_data)
        changed = sorted(p for p, v in new_cells.items()
                         if v is not None and old_cells.get(p) is not None and old_cells[p] != v)
        text_changed = old.source_url == row.source_url and _section_texts(old_data) != _section_texts(row.data)
        if not changed and not text_changed:
            continue
        when_old, when_new = old_ver.first_seen.date(), new_ver.first_seen.date()
        if changed:
            sample = "、".join(f"{cell_ref(p, None)['label']}：{old_cells[p]} → {new_cells[p]}" for p in changed[:3])
            what = f"{len(changed)} 个单元格改动（{sample}{'等' if len(changed) > 3 else ''}）"
        else:
            what = "正文文字有改动"
        out.append(Finding(
            rule="modified_after_publication", check_id="VERSIONS",
            message=(f"{agency.name} {row.year} 年度报告发布后被修改：{when_old} 抓取的版本与 {when_new} 抓取的版本不同，"
                     f"{what}；两个版本均已保存"),
            detail=f"report changed between {old.sha256[:12]} ({when_old}) and {row.sha256[:12]} ({when_new}): "
                   f"{len(changed)} cells" + (", text" if text_changed else ""),
            cells=[cell_ref(p, new_cells[p]) for p in changed],
            expected={p: old_cells[p] for p in changed}, actual={p: new_cells[p] for p in changed},
            source={"url": row.source_url, "sha256": row.sha256},
            evidence={"previous_version": {"url": old.source_url, "sha256": old.sha256, "first_seen": old_ver.first_seen.isoformat()},
                      "current_version": {"url": row.source_url, "sha256": row.sha256, "first_seen": new_ver.first_seen.isoformat()},
                      "text_changed": text_changed},
        ))
    return out


def _previous_report(session: Session, agency_id: str, year: int):
    from parsers.model import Report as ParsedReport

    prev = repo.current_report(session, agency_id, year - 1)
    if prev is None or prev.parse_status != PARSE_OK:
        return None
    return ParsedReport.from_dict(prev.data)


def _agency_info(agency: Agency) -> dict[str, Any]:
    return {"id": agency.id, "name": agency.name, "region": agency.region, "level": agency.level,
            "kind": agency.kind, "deadline_override": agency.deadline_override.isoformat() if agency.deadline_override else None}


def evaluate(session_factory: sessionmaker[Session], settings: Settings, agency_id: str, year: int,
             today: dt.date | None = None) -> AgencyOutcome:
    """Parse the stored documents of ``agency_id`` for ``year``, choose the report, check it, and
    bring the findings up to date (a missing report once the deadline has passed)."""
    from monitor import rules

    today = today or local_today(settings)
    store = BlobStore(settings.blob_dir)
    with session_factory() as s:
        agency = s.get(Agency, agency_id)
        if agency is None:
            raise KeyError(agency_id)
        cache = ParseCache(settings.parse_cache_dir)
        cands = _candidates(s, store, cache, agency, year)
        cands.sort(key=lambda c: c.score, reverse=True)
        if not cands:
            missing = rules.check_missing(agency.name, agency.kind, year, today, settings.deadline_policy,
                                          deadline_override=agency.deadline_override, level=agency.level)
            found = [finding_dict(missing)] if missing is not None else []
            counts = repo.sync_findings(s, agency.id, year, found, origin="check")
            s.commit()
            return AgencyOutcome(agency.id, year, "missing" if missing is not None else "not_due", findings=counts)
        best = cands[0]
        # what the rules read: date evidence by source, crawl history, and the registry's kind/level/deadline
        evidence = _evidence_for(s, best) | {
            "first_seen": best.document.first_seen.isoformat(),
            "unlisted_crawls": _unlisted_crawls(s, best),
            "kind": agency.kind,
            "level": agency.level,
            "deadline_override": agency.deadline_override.isoformat() if agency.deadline_override else None,
        }
        published, basis, dates = rules.best_publication_date(evidence, year)
        stored_evidence = evidence | {
            "best_date": published.isoformat() if published else None,
            "basis": basis,
            "dates": dates,
            "url": best.document.url,
            "sha256": best.version.sha256,
            # every content this URL has served, oldest first (modified_after_publication)
            "versions": [{"sha256": v.sha256, "first_seen": v.first_seen.isoformat(), "size": v.size}
                         for v in best.document.versions],
            "agency": _agency_info(agency),
        }
        report = best.report
        report.agency_kind = report.agency_kind or agency.kind
        row = repo.upsert_report(
            s, agency.id, year, best.version, best.document.url,
            published_on=published, evidence=stored_evidence, parse_status=report.status, parse_error=report.error,
            data=report.to_dict(with_text=True), parser_version=parser_version(),
        )
        s.flush()
        previous = _previous_report(s, agency.id, year)
        # an unreadable report comes back as one health finding (not_machine_readable / parse_failed)
        raised = rules.check(report, previous=previous, evidence=evidence, today=today, policy=settings.deadline_policy)
        if report.status == PARSE_OK:
            raised += _modifications(s, agency, row, store, cache)
        found = [finding_dict(f, best.document.url, best.version.sha256) for f in raised]
        counts = repo.sync_findings(s, agency.id, year, found, origin="check", report_id=row.id)
        s.commit()
        state = "found" if report.status == PARSE_OK else "unreadable"
        return AgencyOutcome(agency.id, year, state, report_id=row.id, source_url=best.document.url,
                             published_on=published, findings=counts)


# -- crawl and store ----------------------------------------------------------------------------

# crawl outcomes that are health findings for operators; "no_report" is not (the deadline decides)
HEALTH_OUTCOMES = ("fetch_failed", "blocked", "listing_changed")
UNREADABLE_COLUMN = HEALTH_OUTCOMES


def _close_interrupted_runs(session: Session, agency_id: str) -> None:
    """Runs left 'running' by a killed process are marked so; their stored documents stay."""
    session.execute(update(CrawlRun).where(CrawlRun.agency_id == agency_id, CrawlRun.status == "running")
                    .values(status="interrupted", finished_at=utcnow(), error="the process stopped before the run finished"))


def _registry_dict(agency: Any) -> dict[str, Any]:
    return agency.to_dict() if hasattr(agency, "to_dict") else dict(agency)


def _record_crawl_failure(session_factory, runs: dict[str, CrawlRun], year: int, err: str) -> list[AgencyOutcome]:
    out = []
    with session_factory() as s:
        for aid, run in runs.items():
            run = s.merge(run)
            repo.record_health(s, run, "fetch_failed", "", err)
            repo.finish_run(s, run, "failed", {}, err)
            repo.sync_findings(s, aid, year, [_health("fetch_failed", f"抓取失败：{err}", "crawl", error=err)],
                               origin="crawl")
            out.append(AgencyOutcome(aid, year, "crawl_failed", error=err))
        s.commit()
    return out


def _ingest_agency(session_factory, settings: Settings, store: BlobStore, run: CrawlRun, agency_result: Any,
                   year: int, today: dt.date | None, crawl_error: str | None = None) -> AgencyOutcome:
    aid = run.agency_id
    if agency_result is None:  # the crawl ended (crash, timeout) before reaching this agency
        from crawler.result import AgencyResult, Outcome

        agency_result = AgencyResult(agency=aid, outcomes=[
            Outcome("fetch_failed", "", f"the crawl returned nothing for this agency: {crawl_error or 'no result'}")])
    docs = fetched_documents(agency_result)
    counts = store_documents(session_factory, store, aid, run, docs)
    outcomes = list(agency_result.outcomes)
    health_found = [
        _health(o.outcome, f"抓取问题（{o.outcome}）：{o.detail} {o.url}".strip(), o.url, url=o.url, detail=o.detail,
                http_status=o.http_status)
        for o in outcomes if o.outcome in HEALTH_OUTCOMES
    ]
    # nothing stored and the column could not be read (down, blocked, moved): no judgement on the agency
    has_reports = any(d.role != ROLE_LISTING for d in docs)
    reachable = has_reports or not any(o.outcome in UNREADABLE_COLUMN for o in outcomes)
    with session_factory() as s:
        run = s.merge(run)
        for o in outcomes:
            repo.record_health(s, run, o.outcome, o.url, o.detail)
        counts["health"] = len(outcomes)
        counts["reports"] = len(agency_result.reports)
        err = None if reachable else "; ".join(f"{o.outcome} {o.url}: {o.detail}" for o in outcomes)[:2000]
        repo.finish_run(s, run, "ok" if reachable else "failed", counts, err)
        repo.sync_findings(s, aid, year, health_found, origin="crawl")
        s.commit()
    if not reachable:  # the portal could not be read: that says nothing about the agency's report
        return AgencyOutcome(aid, year, "crawl_failed", error=err)
    # earlier years the portal still lists are read first: this year's cross-year checks need them
    for earlier in sorted({d.year for d in docs if d.year is not None and d.year < year}):
        evaluate(session_factory, settings, aid, earlier, today)
    return evaluate(session_factory, settings, aid, year, today)


def crawl_and_store(session_factory: sessionmaker[Session], settings: Settings, agencies: list[Any], year: int,
                    today: dt.date | None = None, crawl: Callable | None = None,
                    progress: bool | None = None, crawl_settings: dict[str, Any] | None = None) -> list[AgencyOutcome]:
    """One crawl (one Scrapy subprocess) for ``agencies``, then store and evaluate each agency.
    ``crawl_settings`` override Scrapy settings for this crawl (the demo's local portal needs no
    politeness delay)."""
    from tqdm import tqdm

    from crawler.result import CrawlSpec

    if crawl is None:
        from crawler.run import crawl
    store = BlobStore(settings.blob_dir)
    runs: dict[str, CrawlRun] = {}
    known: dict[str, dict[str, Any]] = {}
    with session_factory() as s:
        for a in agencies:
            aid = repo.upsert_agency(s, a).id
            _close_interrupted_runs(s, aid)
            runs[aid] = repo.start_run(s, aid, year)
            known.update(known_validators(s, aid, store))
        s.commit()
    spec = CrawlSpec(agencies=[_registry_dict(a) for a in agencies], year=year, data_dir=str(settings.data_dir),
                     known=known, allow_private=settings.allow_private, use_playwright=settings.crawl_playwright,
                     settings=dict(crawl_settings or {}), timeout=settings.crawl_timeout)
    try:
        result = crawl(spec)
    except Exception as e:  # the crawl could not run at all: recorded, never a traceback for the user
        log.exception("crawl failed")
        return _record_crawl_failure(session_factory, runs, year, f"{type(e).__name__}: {e}")
    if not result.ok and not result.agencies:
        return _record_crawl_failure(session_factory, runs, year, result.error or "the crawl failed")
    outcomes = []
    for aid, run in tqdm(runs.items(), desc=f"{year} 年报", unit="机关", file=sys.stderr,
                         disable=(not progress) if progress is not None else None):
        try:
            outcomes.append(_ingest_agency(session_factory, settings, store, run, result.agencies.get(aid), year, today,
                                           None if result.ok else result.error))
        except Exception as e:  # one agency's trouble is recorded; the others go on
            log.error("agency %s failed: %s", aid, traceback.format_exc())
            err = f"{type(e).__name__}: {e}"
            with session_factory() as s:
                repo.finish_run(s, s.merge(run), "failed", {}, err)
                s.commit()
            outcomes.append(AgencyOutcome(aid, year, "crawl_failed", error=err))
    return outcomes


def run_agency(session_factory: sessionmaker[Session], settings: Settings, agency: Any, year: int,
               today: dt.date | None = None, crawl: Callable | None = None) -> AgencyOutcome:
    """Crawl one agency's portal for ``year``'s report, store what it served, evaluate it.
    ``agency`` is a registry entry or the id of an agency in the registry or the database."""
    if isinstance(agency, str):
        agency = _registry_agencies(settings, session_factory, [agency])[0]
    return crawl_and_store(session_factory, settings, [agency], year, today, crawl, progress=False)[0]


def _registry_agencies(settings: Settings, session_factory, wanted: Iterable[str] | None) -> list[Any]:
    """Agencies by id: from the database (imported with `nianbao agencies import`), else the registry
    file; all of the registry file when ``wanted`` is None."""
    from crawler.registry import load_registry

    if wanted is None:
        return load_registry(settings.registry)
    out = []
    registry = None
    with session_factory() as s:
        for ident in wanted:
            row = s.get(Agency, ident)
            if row is not None:
                out.append(stored_agency(row))
                continue
            registry = registry if registry is not None else {a.id: a for a in load_registry(settings.registry)}
            if ident not in registry:
                raise KeyError(f"unknown agency {ident!r} (not in the database nor in {settings.registry})")
            out.append(registry[ident])
    return out


def stored_agency(row: Agency):
    """A registry Agency rebuilt from its stored row."""
    from crawler.registry import Agency as RegistryAgency

    return RegistryAgency.from_dict({
        "id": row.id, "name": row.name, "region": row.region or "", "level": row.level or "county",
        "kind": row.kind, "portal": row.portal or "", "columns": list(row.columns or []),
        "hints": dict(row.hints or {}),
    })


def run_campaign(session_factory: sessionmaker[Session], settings: Settings, year: int,
                 agencies: Iterable[Any] | None = None, today: dt.date | None = None,
                 crawl: Callable | None = None, dispatch: bool = True, progress: bool | None = None,
                 crawl_settings: dict[str, Any] | None = None) -> CampaignResult:
    """Crawl and check every agency (registry entries or ids; default: the registry file) for
    ``year``, then send the alerts. One agency's failure is recorded and the campaign goes on."""
    db.upgrade(database_url(session_factory))
    agencies = list(agencies) if agencies is not None else None
    if agencies is None or all(isinstance(a, str) for a in agencies):
        agencies = _registry_agencies(settings, session_factory, agencies)
    result = CampaignResult(year)
    result.outcomes = crawl_and_store(session_factory, settings, agencies, year, today, crawl, progress, crawl_settings)
    if dispatch:
        result.alerts = send_alerts(session_factory, settings)
    return result


def send_alerts(session_factory: sessionmaker[Session], settings: Settings, now: dt.datetime | None = None) -> Any:
    from monitor.alerts import dispatch

    with session_factory() as s:
        out = dispatch(s, settings, now=now)
        s.commit()
        return out


def reparse(session_factory: sessionmaker[Session], settings: Settings, agency_id: str | None = None,
            year: int | None = None, today: dt.date | None = None, progress: bool | None = None) -> list[AgencyOutcome]:
    """Parse again from stored blobs (after a parser fix), re-check, update findings. No fetching."""
    from tqdm import tqdm

    db.upgrade(database_url(session_factory))
    with session_factory() as s:
        q = select(Document.agency_id, Document.year).where(Document.year.is_not(None)).distinct()
        if agency_id:
            q = q.where(Document.agency_id == agency_id)
        if year:
            q = q.where(Document.year == year)
        pairs = sorted(set(s.execute(q).all()), key=lambda p: (p[1], p[0]))  # older years first: X-CARRY
    outcomes = []
    for aid, y in tqdm(pairs, desc="重新解析", unit="份", file=sys.stderr,
                       disable=(not progress) if progress is not None else None):
        outcomes.append(evaluate(session_factory, settings, aid, y, today))
    return outcomes


def crawl_store_command(args: Any, settings: Settings | None = None, today: dt.date | None = None, out=None) -> int:
    """`nianbao crawl ... --store`: the crawl command's own crawl (monitor.cli.crawl_cmd.crawl_and_report,
    called once) run through the pipeline: stored, parsed, checked, alerted. Prints one line per
    agency; exit status 1 when an agency could not be crawled, 2 for an unknown agency."""
    from crawler.registry import RegistryError, adhoc_agency
    from monitor.cli.crawl_cmd import crawl_and_report
    from monitor.settings import get_settings

    settings = settings or get_settings()
    if getattr(args, "registry", None):
        settings = dataclasses.replace(settings, registry=args.registry)
    out = out or sys.stdout
    factory = db.from_settings(settings)
    try:
        if args.url:
            agencies = [adhoc_agency(args.url, args.name, args.kind, args.js)]
        else:
            agencies = _registry_agencies(settings, factory, args.agency)
        result = run_campaign(factory, settings, args.year, agencies, today=today,
                              crawl=lambda _spec: crawl_and_report(args)[1])
    except KeyError as e:
        print(f"未知机关：{e.args[0]}", file=sys.stderr)
        return 2
    except (RegistryError, OSError, ValueError) as e:
        print(f"无法开始抓取：{e}", file=sys.stderr)
        return 2
    finally:
        factory.kw["bind"].dispose()
    labels = {"found": "已找到报告", "missing": "未发布（已过截止日期）", "not_due": "未找到（截止日期未到）",
              "unreadable": "报告无法读取", "crawl_failed": "抓取失败"}
    for o in result.outcomes:
        c = o.findings
        line = f"{o.agency_id} {o.year}年：{labels.get(o.state, o.state)}"
        if o.source_url:
            line += f"（{o.source_url}）"
        if c:
            line += f"；新问题 {c.get('new', 0)}，已解决 {c.get('resolved', 0)}"
        if o.error:
            line += f"；{o.error}"
        print(line, file=out)
    if result.alerts is not None and hasattr(result.alerts, "summary"):
        print(f"告警：{result.alerts.summary()}", file=out)
    return 1 if any(o.state == "crawl_failed" for o in result.outcomes) else 0
