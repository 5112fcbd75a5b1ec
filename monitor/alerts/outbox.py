"""The ``outbox://`` channel: each message becomes one file in a folder, for the demo and for
air-gapped installations that pick messages up from disk.

``outbox:///abs/folder`` (or ``outbox://local?dir=/abs/folder``). Files are written atomically
(temporary name, then rename) so a reader never sees half a message.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import apprise


def outbox_dir(meta: dict) -> Path:
    qsd = meta.get("qsd") or {}
    if qsd.get("dir"):
        return Path(qsd["dir"])
    host = meta.get("host") or ""
    return Path("/" + host + (meta.get("fullpath") or ""))


@apprise.decorators.notify(on="outbox", name="nianbao outbox folder")
def write_outbox(body: str, title: str, notify_type: str, meta: dict, *args, **kwargs) -> bool:
    folder = outbox_dir(meta)
    folder.mkdir(parents=True, exist_ok=True)
    text = f"{title}\n\n{body}\n" if title else f"{body}\n"
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"{stamp}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}.txt"
    tmp = folder / f".{name}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, folder / name)
    return True
