"""The yearly rhythm (APScheduler 3), kept in the same database so it survives restarts.

- ``campaign_daily``: every day from 1 January until the last deadline (31 March) plus
  ``campaign_grace_days``, at ``campaign_hour``: crawl every agency, check, alert.
- ``deadline_sweep``: the day after each deadline (1 Feb, 1 Apr; more under the "milestones"
  policy), two hours later: the same run, so ``missing_report`` is raised and sent that day.
- ``recrawl_weekly``: after the campaign until the year ends, weekly: catches silent edits.
- ``alerts_digest``: daily at ``digest_hour``; ``alerts_retry``: every ``alerts_retry_minutes``,
  sends deliveries whose backoff is over.

Jobs name their functions textually (``monitor.scheduler:campaign_job``) so the job store can
serialise them; the functions read the settings afresh. Missed runs (the service was down) are
caught up once: ``coalesce`` plus ``misfire_grace_seconds``. One worker: runs never overlap.
"""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import signal
import threading
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from monitor.settings import Settings, get_settings

log = logging.getLogger(__name__)

JOBSTORE_TABLE = "apscheduler_jobs"
DEADLINE_POLICIES = ("statute", "milestones")  # FINDINGS.md; the dates come from monitor.rules.deadlines
_REF_YEAR = 2001  # a common year: month lengths for cron ranges (the campaign never ends in February)


@dataclass(frozen=True)
class JobSpec:
    id: str
    name: str  # what the job does, in Chinese, for `nianbao schedule list`
    func: str  # textual reference, serialisable
    trigger: Any


# -- what the jobs do ----------------------------------------------------------------------------


def local_today(settings: Settings, now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(ZoneInfo(settings.timezone)).date()


def _crawl_and_alert(what: str) -> Any:
    """One full run for last year's reports (the year being published now), then alerts."""
    from monitor.pipeline import run_campaign
    from monitor.storage.db import session_factory

    settings = get_settings()
    today = local_today(settings)
    year = today.year - 1
    log.info("%s: reports for %d, today %s", what, year, today)
    factory = session_factory(settings.db_url)
    try:
        result = run_campaign(factory, settings, year, today=today, progress=False)
    finally:
        factory.kw["bind"].dispose()
    log.info("%s done: %s", what, getattr(result, "alerts", None) and result.alerts.summary())
    return result


def campaign_job() -> Any:
    return _crawl_and_alert("campaign")


def deadline_sweep_job() -> Any:
    return _crawl_and_alert("deadline sweep")


def recrawl_job() -> Any:
    return _crawl_and_alert("weekly re-crawl")


def _with_alert_session(work) -> Any:
    from monitor.storage.db import session_factory

    settings = get_settings()
    factory = session_factory(settings.db_url)
    try:
        with factory() as session:
            report = work(session, settings)
    finally:
        factory.kw["bind"].dispose()
    log.info("%s", report.summary())
    return report


def digest_job() -> Any:
    from monitor.alerts import send_digest

    return _with_alert_session(send_digest)


def dispatch_job() -> Any:
    from monitor.alerts import dispatch

    return _with_alert_session(dispatch)


# -- when they run -------------------------------------------------------------------------------


def deadlines(settings: Settings) -> list[tuple[int, int]]:
    """(month, day) of every deadline under the settings' policy, as the rules compute them for
    each kind and level of agency (31 Jan, 31 Mar; under "milestones" also 20 Feb and 10 Mar)."""
    from monitor.rules.deadlines import deadline_for

    if settings.deadline_policy not in DEADLINE_POLICIES:
        raise ValueError(f"unknown deadline policy {settings.deadline_policy!r} (one of {', '.join(DEADLINE_POLICIES)})")
    days = {deadline_for(kind, _REF_YEAR - 1, settings.deadline_policy, level)
            for kind in ("department", "township", "government") for level in (None, "county", "city", "province")}
    return sorted((d.month, d.day) for d in days)


def campaign_end(settings: Settings) -> dt.date:
    """The campaign's last day (in the reference year): the last deadline plus the grace days."""
    m, d = max(deadlines(settings))
    end = dt.date(_REF_YEAR, m, d) + dt.timedelta(days=max(settings.campaign_grace_days, 0))
    return min(end, dt.date(_REF_YEAR, 12, 30))


def _last_day(month: int) -> int:
    return calendar.monthrange(_REF_YEAR, month)[1]


def _days_from(start: dt.date, **cron: Any) -> list[dict[str, Any]]:
    """Cron field sets covering ``start`` .. 31 December (whole months where possible)."""
    parts = []
    first_full = start.month
    if start.day > 1:
        parts.append({"month": str(start.month), "day": f"{start.day}-{_last_day(start.month)}", **cron})
        first_full += 1
    if first_full <= 12:
        parts.append({"month": f"{first_full}-12" if first_full < 12 else "12", **cron})
    return parts


def _campaign_days(end: dt.date, **cron: Any) -> list[dict[str, Any]]:
    """Cron field sets covering 1 January .. ``end``."""
    parts = []
    if end.month > 1:
        parts.append({"month": f"1-{end.month - 1}" if end.month > 2 else "1", **cron})
    whole = end.day == _last_day(end.month)
    parts.append({"month": str(end.month), **cron} if whole else {"month": str(end.month), "day": f"1-{end.day}", **cron})
    return parts


def _cron(parts: list[dict[str, Any]], tz: str):
    from apscheduler.triggers.combining import OrTrigger
    from apscheduler.triggers.cron import CronTrigger

    triggers = [CronTrigger(timezone=tz, **p) for p in parts]
    return triggers[0] if len(triggers) == 1 else OrTrigger(triggers)


def job_specs(settings: Settings) -> list[JobSpec]:
    tz = settings.timezone
    hour = settings.campaign_hour
    at = {"hour": str(hour), "minute": "0"}
    end = campaign_end(settings)
    sweep_days = sorted({dt.date(_REF_YEAR, m, d) + dt.timedelta(days=1) for m, d in deadlines(settings)})
    sweep_at = {"hour": str(min(hour + 2, 23)), "minute": "0"}
    retry_every = max(1, min(settings.alerts_retry_minutes, 59))
    return [
        JobSpec("campaign_daily", "一月采集：每日抓取所有机关并检查、告警", "monitor.scheduler:campaign_job",
                _cron(_campaign_days(end, **at), tz)),
        JobSpec("deadline_sweep", "截止日次日：全面检查并发送未发布告警", "monitor.scheduler:deadline_sweep_job",
                _cron([{"month": str(d.month), "day": str(d.day), **sweep_at} for d in sweep_days], tz)),
        JobSpec("recrawl_weekly", "采集期后每周复查，发现发布后修改", "monitor.scheduler:recrawl_job",
                _cron(_days_from(end + dt.timedelta(days=1), day_of_week=settings.recrawl_weekday, **at), tz)),
        JobSpec("alerts_digest", "每日汇总", "monitor.scheduler:digest_job",
                _cron([{"hour": str(settings.digest_hour), "minute": "0"}], tz)),
        JobSpec("alerts_retry", "重试未送达的告警", "monitor.scheduler:dispatch_job",
                _cron([{"minute": f"*/{retry_every}"}], tz)),
    ]


# -- the scheduler -------------------------------------------------------------------------------


def _scheduler_classes():
    """APScheduler's schedulers, made safe to shut down: upstream, a wakeup that lands after
    ``shutdown`` began still processes due jobs, fails to submit them to the stopped executor and
    advances their next run time, so a run owed is silently lost. Here job processing holds the
    job-store lock and stops once the state is STOPPED (``shutdown`` sets the state before it takes
    that lock, so whatever was submitted first is waited for)."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    class SafeStop:
        def _process_jobs(self):
            with self._jobstores_lock:
                if self.state == STATE_STOPPED:
                    return None
                return super()._process_jobs()

    class Background(SafeStop, BackgroundScheduler):
        pass

    class Blocking(SafeStop, BlockingScheduler):
        pass

    class Offline(BaseScheduler):
        """Reads and writes the job store and never runs a job (no thread): for install and list."""

        def shutdown(self, wait=True):
            super().shutdown(wait)

        def wakeup(self):
            pass

    return {"background": Background, "blocking": Blocking, "offline": Offline}


def build_scheduler(settings: Settings, mode: str = "background", url: str | None = None):
    """A scheduler on the settings' database (job store), zone and missed-run policy.
    ``mode``: background (a thread), blocking (the service) or offline (edit the store only)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    cls = _scheduler_classes()[mode]
    url = url or settings.db_url
    if url.startswith("sqlite"):  # the pipeline may create the file's folder later; the store needs it now
        from pathlib import Path

        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    return cls(
        jobstores={"default": SQLAlchemyJobStore(url=url, tablename=JOBSTORE_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"coalesce": True, "misfire_grace_time": settings.misfire_grace_seconds, "max_instances": 1},
        timezone=ZoneInfo(settings.timezone),
    )


def _same(job, spec: JobSpec, settings: Settings) -> bool:
    return (job.func_ref == spec.func and repr(job.trigger) == repr(spec.trigger) and job.name == spec.name
            and job.coalesce and job.misfire_grace_time == settings.misfire_grace_seconds)


def sync_jobs(scheduler, settings: Settings) -> dict[str, str]:
    """Make the store hold the jobs the settings call for. An unchanged job is left alone, so its
    stored next run time (perhaps a missed run, to be caught up) survives a restart.
    Returns what happened to each job: kept | added | replaced."""
    done = {}
    for spec in job_specs(settings):
        job = scheduler.get_job(spec.id)
        if job is not None and _same(job, spec, settings):
            done[spec.id] = "kept"
            continue
        scheduler.add_job(spec.func, spec.trigger, id=spec.id, name=spec.name, replace_existing=True,
                          coalesce=True, misfire_grace_time=settings.misfire_grace_seconds, max_instances=1)
        done[spec.id] = "replaced" if job is not None else "added"
    return done


def install(settings: Settings) -> dict[str, str]:
    """Sync the jobs into the store without running anything."""
    sched = build_scheduler(settings, mode="offline")
    sched.start(paused=True)
    try:
        return sync_jobs(sched, settings)
    finally:
        sched.shutdown(wait=False)


def stored_jobs(settings: Settings) -> list[dict[str, Any]]:
    """Every job in the store, with its next run time in local time (None: paused)."""
    sched = build_scheduler(settings, mode="offline")
    sched.start(paused=True)
    try:
        return [{"id": j.id, "name": j.name, "func": j.func_ref, "trigger": str(j.trigger),
                 "next_run_time": j.next_run_time} for j in sched.get_jobs()]
    finally:
        sched.shutdown(wait=False)


def run_forever(settings: Settings, on_started=None) -> None:
    """The service: sync the jobs, then run them until SIGTERM/SIGINT, then stop cleanly (a job
    that is running is allowed to finish)."""
    changes = install(settings)
    log.info("jobs: %s", ", ".join(f"{k} {v}" for k, v in changes.items()))
    sched = build_scheduler(settings, mode="blocking")
    stopper: list[threading.Thread] = []

    def stop(signum, _frame):
        if stopper:
            return
        log.info("signal %s: stopping (waiting for a running job)", signum)
        # shut down from another thread: the scheduler's loop must not be interrupted mid-step
        t = threading.Thread(target=sched.shutdown, kwargs={"wait": True}, name="scheduler-shutdown")
        stopper.append(t)
        t.start()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        if on_started:
            from apscheduler.events import EVENT_SCHEDULER_STARTED

            sched.add_listener(lambda _e: on_started(sched), EVENT_SCHEDULER_STARTED)
        sched.start()
    finally:
        for t in stopper:
            t.join()
        for s, h in previous.items():
            signal.signal(s, h)
