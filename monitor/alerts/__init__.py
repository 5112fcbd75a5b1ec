"""Alerts to oversight staff (compliance findings) and operators (health findings).

``dispatch`` and ``send_digest`` are the entry points (see ``delivery.py``); the routing file is
``config.py``, the words ``render.py``, the delivery log ``models.py``. Imported lazily so that
loading the table definitions (Alembic) does not load apprise.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .delivery import DispatchReport, dispatch, retry_failed, send_digest, send_test

__all__ = ["DispatchReport", "dispatch", "send_digest", "retry_failed", "send_test"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import delivery as _d

        return getattr(_d, name)
    raise AttributeError(name)
