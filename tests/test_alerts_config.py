"""The routing file, the message text, the outbox channel and the `nianbao alerts` commands."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from monitor.alerts.channels import redact, send
from monitor.alerts.config import AlertConfigError, load_config
from monitor.alerts.render import FindingView, digest_message, finding_message
from monitor.cli import main
from monitor.storage import db
from monitor.storage.models import Agency, Finding


def _write(tmp_path: Path, cfg) -> Path:
    p = tmp_path / "alerts.yaml"
    p.write_text(cfg if isinstance(cfg, str) else yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return p


GOOD = {
    "channels": {"mail": "mailto://127.0.0.1:2525?from=nianbao@example.org", "ding": "dingtalk://${DING_TOKEN}"},
    "recipients": [
        {"name": "浙江督查", "audience": "compliance", "channels": ["mail"], "to": "zj@example.org", "regions": ["浙江省"]},
        {"name": "杭州发改", "audience": "compliance", "channels": ["ding"], "agencies": ["zj-hz-fgw"],
         "rules": ["missing_report"], "min_severity": "error"},
        {"name": "运维", "audience": "health", "channels": ["ding"]},
    ],
}


def test_routing_by_region_agency_rule_and_severity(tmp_path):
    cfg = load_config(_write(tmp_path, GOOD))
    zj, hz, ops = cfg.recipients
    base = {"audience": "compliance", "rule": "missing_report", "severity": "error", "agency_id": "zj-hz-fgw",
            "agency_name": "杭州市发展和改革委员会", "region": "浙江省杭州市"}
    assert zj.wants(**base) and hz.wants(**base) and not ops.wants(**base)
    assert not zj.wants(**base | {"region": "江苏省南京市"})
    assert not hz.wants(**base | {"rule": "blank_cells"}) and not hz.wants(**base | {"severity": "warning"})
    assert not hz.wants(**base | {"agency_id": "other", "agency_name": "其他机关"})
    by_name = hz.model_copy(update={"agencies": ["杭州市发展和改革委员会"]})
    assert by_name.wants(**base | {"agency_id": "other"})
    health = base | {"audience": "health", "rule": "fetch_failed"}
    assert ops.wants(**health) and not zj.wants(**health) and not hz.wants(**health)


def test_email_address_and_environment_secrets_go_into_the_url(tmp_path, monkeypatch):
    monkeypatch.setenv("DING_TOKEN", "s3cret")
    cfg = load_config(_write(tmp_path, GOOD))
    assert cfg.url_for("mail", cfg.recipient("浙江督查")) == "mailto://127.0.0.1:2525?from=nianbao@example.org&to=zj@example.org"
    assert cfg.url_for("ding", cfg.recipient("杭州发改")) == "dingtalk://s3cret"
    assert cfg.url_for("nope") is None


@pytest.mark.parametrize("cfg, words", [
    ("channels: [oops", "cannot be read"),
    ("- just a list", "expected a mapping"),
    ({"channels": {"a": "json://x"}, "recipients": [{"name": "x", "audience": "both", "channels": ["a"]}]}, "audience"),
    ({"channels": {"a": "json://x"}, "recipients": [{"name": "x", "audience": "health", "channels": ["b"]}]}, "undefined channels: b"),
    ({"channels": {"a": "json://x"}, "recipients": [{"name": "x", "audience": "health", "channels": ["a"]}] * 2}, "duplicate recipient"),
    ({"channels": {}, "recipients": [{"name": "x", "audience": "health", "channels": []}]}, "channels"),
    ({"channel": {}}, "channel"),
])
def test_a_bad_routing_file_is_explained(tmp_path, cfg, words):
    with pytest.raises(AlertConfigError, match=words):
        load_config(_write(tmp_path, cfg))


def test_missing_routing_file_and_no_routing_file(tmp_path):
    with pytest.raises(AlertConfigError, match="not found"):
        load_config(tmp_path / "absent.yaml")
    assert load_config("") is None


def test_redact_hides_credentials_and_tokens():
    assert redact("mailtos://user:pw@smtp.example.org:465?to=a@b.c") == "mailtos://smtp.example.org:465"
    assert redact("dingtalk://t0ken/secret") == "dingtalk://***"
    assert redact("json://127.0.0.1:8080/hook") == "json://127.0.0.1:8080"


def test_outbox_channel_writes_one_file_per_message(tmp_path):
    box = tmp_path / "box"
    assert send(f"outbox://{box}", "标题一", "正文一").ok
    assert send(f"outbox://local?dir={box}", "标题二", "正文二").ok
    texts = sorted(p.read_text(encoding="utf-8") for p in box.glob("*.txt"))
    assert texts == ["标题一\n\n正文一\n", "标题二\n\n正文二\n"]
    assert not list(box.glob(".*"))  # no temporary files left


def test_unsupported_url_fails_with_a_reason():
    result = send("nosuchscheme://x", "t", "b")
    assert not result.ok and "invalid or unsupported" in result.error


def _view(**kw) -> FindingView:
    base = dict(fingerprint="f1", rule="narrative_vs_table", check_id="N-APPS", severity="warning", audience="compliance",
                agency_id="a1", agency_name="某某县人民政府", region="某省某市", year=2024, status="open",
                message="正文称收到申请 20 件，表三为 18 件。",
                evidence={"cells": ["table3.new[6]"], "values": [18], "quote": "共收到政府信息公开申请20件",
                          "source": {"url": "http://x.gov.cn/a.pdf", "sha256": "c" * 64}},
                first_seen=dt.datetime(2025, 2, 1, 16, 30))
    return FindingView(**(base | kw))


def test_finding_message_carries_all_evidence_in_chinese():
    title, body = finding_message(_view(), "Asia/Shanghai")
    assert title == "【年报监测】某某县人民政府 2024年度报告：正文数字与表格不一致"
    for needle in ("机关：某某县人民政府（某省某市）", "规则：正文数字与表格不一致（narrative_vs_table/N-APPS）", "级别：警告",
                   "表三 一、本年新收 总计列（table3.new[6]） = 18", "原文：“共收到政府信息公开申请20件”",
                   "来源：http://x.gov.cn/a.pdf", "文件 SHA-256：" + "c" * 64, "首次发现：2025-02-02 00:30"):
        assert needle in body, needle


def test_odd_evidence_still_renders():
    _, body = finding_message(_view(evidence={"cells": ["table9.x"], "values": 3, "url": "http://x/nb/"}), "Asia/Shanghai")
    assert "table9.x" in body and "数值：3" in body and "来源：http://x/nb/" in body
    _, body = finding_message(_view(evidence={}), "Asia/Shanghai")
    assert "来源：无" in body


def test_digest_caps_its_length():
    many = [_view(fingerprint=str(i)) for i in range(130)]
    title, body = digest_message("某人", "compliance", dt.date(2025, 2, 1), many, [], "Asia/Shanghai", limit=100)
    assert "新增 130 条" in title and "另有 30 条未列出" in body and body.count("http://x.gov.cn/a.pdf") == 100


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'nb.sqlite3'}"
    factory = db.session_factory(url)
    with factory() as s:
        s.add(Agency(id="a1", name="某某县人民政府", region="某省某市", kind="government"))
        s.add(Finding(fingerprint="x" * 40, rule="missing_report", severity="error", audience="compliance",
                      agency_id="a1", year=2024, message="未找到2024年度报告。", evidence={}))
        s.commit()
    factory.kw["bind"].dispose()
    cfg = _write(tmp_path, {"channels": {"box": f"outbox://{tmp_path / 'box'}"},
                            "recipients": [{"name": "督查", "audience": "compliance", "channels": ["box"]}]})
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NIANBAO_DATABASE_URL", url)
    monkeypatch.setenv("NIANBAO_ALERTS", str(cfg))
    return tmp_path


def test_cli_send_log_digest_and_test(cli_env, capsys):
    box = cli_env / "box"
    assert main(["alerts", "send"]) == 0
    assert "发送成功 1 条" in capsys.readouterr().out
    assert main(["alerts", "send", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sent"] == 0
    assert main(["alerts", "log", "--json"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["status"], row["recipient"], row["channel"], row["attempts"]) == ("sent", "督查", "box", 1)
    assert main(["alerts", "digest"]) == 0
    capsys.readouterr()
    assert main(["alerts", "log"]) == 0
    assert "每日汇总" in capsys.readouterr().out
    assert main(["alerts", "test", "box"]) == 0
    assert len(list(box.glob("*.txt"))) == 3  # alert, digest, test
    assert main(["alerts", "test", "nosuch"]) == 1
    assert "unknown channel" in capsys.readouterr().err


def test_cli_reports_a_broken_config_without_a_traceback(cli_env, capsys, monkeypatch):
    bad = _write(cli_env, "recipients: [{name: x, audience: nobody, channels: [a]}]")
    monkeypatch.setenv("NIANBAO_ALERTS", str(bad))
    for cmd in (["alerts", "send"], ["alerts", "digest"], ["alerts", "test", "a"]):
        assert main(cmd) == 2
        err = capsys.readouterr().err
        assert "告警路由配置有误" in err and "audience" in err and "Traceback" not in err
    monkeypatch.setenv("NIANBAO_ALERTS", "")
    assert main(["alerts", "send"]) == 2
    assert "未配置告警路由" in capsys.readouterr().out


def test_the_shipped_example_routing_file_is_valid_and_apprise_accepts_every_channel(monkeypatch):
    import apprise

    import monitor.alerts.outbox  # noqa: F401  (registers outbox://)
    from monitor.settings import PROJECT_ROOT

    for var, value in {"NIANBAO_SMTP_PASSWORD": "pw", "NIANBAO_DINGTALK_TOKEN": "ab" * 32,
                       "NIANBAO_WECOM_KEY": "12345678-1234-1234-1234-123456789012",
                       "NIANBAO_FEISHU_TOKEN": "abcdef12-3456-7890-abcd-ef1234567890"}.items():
        monkeypatch.setenv(var, value)
    cfg = load_config(PROJECT_ROOT / "monitor" / "alerts" / "alerts.example.yaml")
    assert {r.audience for r in cfg.recipients} == {"compliance", "health"}
    assert {u.split("://")[0] for u in cfg.channels.values()} >= {"mailtos", "dingtalk", "wecombot", "feishu", "jsons", "outbox"}
    for name in cfg.channels:
        assert apprise.Apprise().add(cfg.url_for(name, cfg.recipients[0])), name
