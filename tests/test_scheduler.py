"""The yearly schedule with a controlled clock: the January jobs fire on the right days (computed
from the real triggers over simulated years), the job store survives a restart, a missed run is
caught up once, and the service stops cleanly on SIGTERM while a job runs."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.util import ref_to_obj

from monitor import scheduler as S
from monitor.settings import PROJECT_ROOT, Settings
from scheduler_helpers import calls

TZ = ZoneInfo("Asia/Shanghai")


def _settings(tmp_path: Path, **kw) -> Settings:
    return Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'nianbao.sqlite3'}", **kw)


def fire_times(trigger, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Every fire time in [start, end), asking the trigger as the scheduler does."""
    out = []
    t = trigger.get_next_fire_time(None, start)
    while t is not None and t < end:
        out.append(t)
        t = trigger.get_next_fire_time(t, t + dt.timedelta(seconds=1))
    return out


def _year(settings: Settings, year: int) -> dict[str, list[dt.datetime]]:
    start, end = dt.datetime(year, 1, 1, tzinfo=TZ), dt.datetime(year + 1, 1, 1, tzinfo=TZ)
    return {spec.id: fire_times(spec.trigger, start, end) for spec in S.job_specs(settings)}


def _days(a: dt.date, b: dt.date) -> list[dt.date]:
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


@pytest.mark.parametrize("year", [2025, 2028])  # 2028: a leap year, 29 Feb is a campaign day
def test_statute_campaign_fires_every_day_until_the_grace_period_ends(tmp_path, year):
    fires = _year(_settings(tmp_path, campaign_grace_days=14, campaign_hour=6, digest_hour=9), year)

    campaign = fires["campaign_daily"]
    assert [t.date() for t in campaign] == _days(dt.date(year, 1, 1), dt.date(year, 4, 14))
    assert {(t.hour, t.minute, t.utcoffset()) for t in campaign} == {(6, 0, dt.timedelta(hours=8))}

    assert [(t.date(), t.hour) for t in fires["deadline_sweep"]] == [(dt.date(year, 2, 1), 8), (dt.date(year, 4, 1), 8)]

    weekly = fires["recrawl_weekly"]
    assert weekly[0].date() > dt.date(year, 4, 14) and weekly[0].date() - dt.date(year, 4, 14) <= dt.timedelta(days=7)
    assert all(t.weekday() == 0 and t.hour == 6 for t in weekly)
    assert all(b - a == dt.timedelta(days=7) for a, b in zip(weekly, weekly[1:]))
    assert dt.date(year, 12, 31) - weekly[-1].date() < dt.timedelta(days=7)

    assert [t.date() for t in fires["alerts_digest"]] == _days(dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert {t.hour for t in fires["alerts_digest"]} == {9}
    day_one = [t for t in fires["alerts_retry"] if t.date() == dt.date(year, 6, 1)]
    assert len(day_one) == 96  # every 15 minutes


def test_milestone_policy_sweeps_after_every_deadline_and_no_grace_ends_on_31_march(tmp_path):
    fires = _year(_settings(tmp_path, deadline_policy="milestones", campaign_grace_days=0), 2025)
    assert fires["campaign_daily"][-1].date() == dt.date(2025, 3, 31)
    assert [t.date() for t in fires["deadline_sweep"]] == [
        dt.date(2025, 2, 1), dt.date(2025, 2, 21), dt.date(2025, 3, 11), dt.date(2025, 4, 1)]
    assert fires["recrawl_weekly"][0].date() == dt.date(2025, 4, 7)  # the first Monday after 31 March


def test_a_grace_period_ending_on_a_month_end_hands_over_to_the_weekly_recrawl(tmp_path):
    fires = _year(_settings(tmp_path, campaign_grace_days=30, recrawl_weekday="fri"), 2025)
    assert fires["campaign_daily"][-1].date() == dt.date(2025, 4, 30)
    assert fires["recrawl_weekly"][0].date() == dt.date(2025, 5, 2)  # Friday
    assert not [t for t in fires["recrawl_weekly"] if t.date() <= dt.date(2025, 4, 30)]


def test_unknown_deadline_policy_is_refused_with_its_name(tmp_path):
    with pytest.raises(ValueError, match="bogus"):
        S.job_specs(_settings(tmp_path, deadline_policy="bogus"))


def test_jobs_name_top_level_functions_textually(tmp_path):
    for spec in S.job_specs(_settings(tmp_path)):
        assert isinstance(spec.func, str) and spec.func.startswith("monitor.scheduler:")
        assert callable(ref_to_obj(spec.func))


def test_jobs_and_their_next_run_times_survive_a_restart(tmp_path):
    settings = _settings(tmp_path)
    first = S.build_scheduler(settings)
    first.start(paused=True)
    assert set(S.sync_jobs(first, settings).values()) == {"added"}
    missed = dt.datetime.now(TZ).replace(microsecond=0) - dt.timedelta(days=2)
    first.modify_job("campaign_daily", next_run_time=missed)  # as if the service was down over a run
    before = {j.id: j.next_run_time for j in first.get_jobs()}
    first.shutdown(wait=False)

    second = S.build_scheduler(settings)  # a new process, in effect: only the SQLite file is shared
    second.start(paused=True)
    try:
        after = {j.id: j.next_run_time for j in second.get_jobs()}
        assert after == before and len(after) == 5
        assert set(S.sync_jobs(second, settings).values()) == {"kept"}
        assert second.get_job("campaign_daily").next_run_time == missed  # the missed run is still owed
        # changed settings replace exactly the jobs they affect
        changed = S.sync_jobs(second, dataclasses.replace(settings, campaign_hour=7))
        assert changed["campaign_daily"] == "replaced" and changed["alerts_digest"] == "kept"
        assert second.get_job("campaign_daily").next_run_time.hour == 7
    finally:
        second.shutdown(wait=False)


def test_a_run_missed_several_times_is_caught_up_exactly_once(tmp_path):
    settings = _settings(tmp_path, misfire_grace_seconds=7 * 24 * 3600)
    log_path = str(tmp_path / "calls.txt")
    now = dt.datetime.now(TZ)
    three_days_ago = now - dt.timedelta(days=3, minutes=1)
    # fire times chosen far from now, so no new (legitimate) run can fall inside the test
    daily = CronTrigger(hour=(now.hour + 12) % 24, minute=0, timezone=TZ)  # 3 runs owed
    hourly = CronTrigger(minute=(now.minute + 30) % 60, timezone=TZ)  # ~72 runs owed

    down = S.build_scheduler(settings)
    down.start(paused=True)
    down.add_job("scheduler_helpers:record", daily, args=[log_path, "daily"],
                 id="missed_daily", next_run_time=three_days_ago)
    down.add_job("scheduler_helpers:record", hourly, args=[log_path, "hourly"],
                 id="missed_hourly", next_run_time=three_days_ago)
    down.shutdown(wait=False)

    up = S.build_scheduler(settings)
    up.start()
    try:
        deadline = time.monotonic() + 5
        while len(calls(log_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # room for any duplicate run to show up
        now = dt.datetime.now(TZ)
        assert sorted(calls(log_path)) == ["daily", "hourly"]
        assert up.get_job("missed_daily").next_run_time > now
        assert up.get_job("missed_hourly").next_run_time > now
    finally:
        up.shutdown(wait=True)


def test_without_coalescing_the_same_backlog_would_run_many_times(tmp_path):
    """The control for the test above: it would notice if coalescing were lost."""
    settings = _settings(tmp_path, misfire_grace_seconds=7 * 24 * 3600)
    log_path = str(tmp_path / "calls.txt")
    sched = S.build_scheduler(settings)
    sched.start(paused=True)
    sched.add_job("scheduler_helpers:record", CronTrigger(hour="*", timezone=TZ), args=[log_path, "hourly"],
                  id="uncoalesced", coalesce=False, next_run_time=dt.datetime.now(TZ) - dt.timedelta(hours=5, minutes=1))
    sched.resume()
    try:
        deadline = time.monotonic() + 5
        while len(calls(log_path)) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sched.shutdown(wait=True)
    assert len(calls(log_path)) >= 5


def test_schedule_list_shows_every_job_with_its_local_next_run(tmp_path):
    env = {**os.environ, "NIANBAO_DATA_DIR": str(tmp_path), "NIANBAO_DATABASE_URL": ""}
    out = subprocess.run([sys.executable, "-m", "monitor.cli", "schedule", "list"], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for job_id in ("campaign_daily", "deadline_sweep", "recrawl_weekly", "alerts_digest", "alerts_retry"):
        assert job_id in out.stdout
    assert "CST" in out.stdout and "未安装" in out.stdout


def test_service_stops_cleanly_on_sigterm_and_lets_the_running_job_finish(tmp_path):
    settings = _settings(tmp_path)
    log_path = str(tmp_path / "calls.txt")
    pre = S.build_scheduler(settings)
    pre.start(paused=True)
    pre.add_job("scheduler_helpers:slow", "date", run_date=dt.datetime.now(TZ) + dt.timedelta(seconds=1),
                args=[log_path, 1.5], id="slow_job")
    pre.shutdown(wait=False)

    env = {**os.environ, "NIANBAO_DATA_DIR": str(tmp_path), "NIANBAO_DATABASE_URL": settings.db_url,
           "NIANBAO_ALERTS": "", "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(PROJECT_ROOT)])}
    proc = subprocess.Popen([sys.executable, "-m", "monitor.cli", "schedule", "run"], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 15
        while "started" not in calls(log_path) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert calls(log_path) == ["started"], proc.stderr.read() if proc.poll() is not None else ""
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert calls(log_path) == ["started", "finished"]
    assert "调度已启动" in out and "调度已停止" in out
    assert "Traceback" not in err


def test_schedule_commands_explain_a_bad_setting_or_database_without_a_traceback(tmp_path, monkeypatch, capsys):
    from monitor.cli import main

    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NIANBAO_DEADLINE_POLICY", "bogus")
    assert main(["schedule", "list"]) == 2
    assert "unknown deadline policy 'bogus'" in capsys.readouterr().err
    monkeypatch.setenv("NIANBAO_DEADLINE_POLICY", "statute")
    monkeypatch.setenv("NIANBAO_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2")
    assert main(["schedule", "run"]) == 2
    err = capsys.readouterr().err
    assert "调度无法启动" in err and "Traceback" not in err
