"""The routing file (YAML, path in ``settings.alerts_config``): which channels exist and who gets what.

    channels:                       # name -> apprise URL; ${VAR} is taken from the environment
      mail: "mailtos://user:${SMTP_PASSWORD}@smtp.example.org?from=nianbao@example.org"
      ops_hook: "json://127.0.0.1:9000/hook"
      ding: "dingtalk://${DINGTALK_TOKEN}"
      demo: "outbox:///srv/nianbao/outbox"
    recipients:
      - name: 浙江省政务公开办          # unique; the delivery log names it
        audience: compliance           # compliance (oversight staff) | health (operators), never both
        channels: [mail, ding]
        to: oversight@example.org      # e-mail address added to mailto(s):// channels
        regions: [浙江省]               # agency region prefix; with agencies: either matches; none: all
        agencies: []                   # agency ids or names
        rules: []                      # only these rules (empty: all)
        min_severity: info             # info | warning | error
        instant: true                  # one alert per finding
        digest: true                   # the daily digest

An invalid file is an ``AlertConfigError`` naming what is wrong, never a traceback.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


class AlertConfigError(ValueError):
    pass


class Recipient(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=128)
    audience: Literal["compliance", "health"]
    channels: list[str] = Field(min_length=1)
    to: str | None = None
    regions: list[str] = Field(default_factory=list)
    agencies: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    min_severity: Literal["info", "warning", "error"] = "info"
    instant: bool = True
    digest: bool = True

    def wants(self, *, audience: str, rule: str, severity: str, agency_id: str | None,
              agency_name: str | None, region: str | None) -> bool:
        """Whether a finding with these attributes is routed to this recipient."""
        if audience != self.audience:
            return False
        if self.rules and rule not in self.rules:
            return False
        if SEVERITY_ORDER.get(severity, 0) < SEVERITY_ORDER[self.min_severity]:
            return False
        if not self.regions and not self.agencies:
            return True
        if region and any(region.startswith(r) for r in self.regions):
            return True
        return bool(self.agencies) and (agency_id in self.agencies or agency_name in self.agencies)


class AlertsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: dict[str, str] = Field(default_factory=dict)
    recipients: list[Recipient] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> "AlertsConfig":
        names = [r.name for r in self.recipients]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate recipient names: {', '.join(dupes)}")
        for r in self.recipients:
            unknown = [c for c in r.channels if c not in self.channels]
            if unknown:
                raise ValueError(f"recipient {r.name!r} uses undefined channels: {', '.join(unknown)}")
        return self

    def recipient(self, name: str) -> Recipient | None:
        return next((r for r in self.recipients if r.name == name), None)

    def url_for(self, channel: str, recipient: Recipient | None = None) -> str | None:
        """The apprise URL for ``channel``, addressed to ``recipient`` (its e-mail) when it has one."""
        url = self.channels.get(channel)
        if url is None:
            return None
        url = os.path.expandvars(url)
        if recipient is not None and recipient.to and url.split("://", 1)[0] in ("mailto", "mailtos"):
            url = with_query(url, to=recipient.to)
        return url


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query, safe="@:/${}")))


def load_config(path: str | os.PathLike[str] | None) -> AlertsConfig | None:
    """The routing config at ``path``; ``None`` when no path is set (alerts are off)."""
    if not path:
        return None
    import yaml

    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise AlertConfigError(f"alerts config not found: {p}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise AlertConfigError(f"alerts config {p} cannot be read: {e}") from None
    if not isinstance(raw, dict):
        raise AlertConfigError(f"alerts config {p}: expected a mapping with 'channels' and 'recipients'")
    try:
        return AlertsConfig.model_validate(raw)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(str(x) for x in err['loc']) or '(top)'}: {err['msg']}" for err in e.errors())
        raise AlertConfigError(f"alerts config {p} is invalid: {problems}") from None
