"""Alembic environment: the URL comes from the config (monitor.storage.db.alembic_config) or
from the settings; the metadata is every nianbao table (storage and alerts)."""
from __future__ import annotations

import importlib

from alembic import context

from monitor.storage import models  # noqa: F401  (registers the tables)
from monitor.storage.base import Base

try:  # the alerts engineer's tables, when present
    importlib.import_module("monitor.alerts.models")
except ModuleNotFoundError:
    pass

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from monitor.settings import get_settings

    return get_settings().db_url


def run_migrations_offline() -> None:
    url = _url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    from monitor.storage.db import make_engine

    url = _url()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata,
                              render_as_batch=url.startswith("sqlite"))
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
