"""Shared fixtures. Engineers add their own in clearly delimited blocks; prefer tests/<area>_helpers.py."""
from __future__ import annotations

# ============================================================================================
# Databases and services (monitor engineer): sqlite_url, pg_url, db_urls, redis_url
# PostgreSQL and Redis tests skip, with the reason, when the service is unreachable, unless
# NIANBAO_REQUIRE_SERVICES=1 (CI), when they fail instead.
# ============================================================================================
import os
import socket
import uuid

import pytest

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _require_services() -> bool:
    return os.environ.get("NIANBAO_REQUIRE_SERVICES", "").strip().lower() in ("1", "true", "yes", "on")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def service_unavailable(reason: str) -> None:
    """Skip (or fail under NIANBAO_REQUIRE_SERVICES=1) with a stated reason."""
    if _require_services():
        pytest.fail(f"{reason} (NIANBAO_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'nianbao.sqlite3'}"


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL schema per test (search_path points at it), dropped afterwards."""
    if not _reachable(PG_HOST, PG_PORT):
        service_unavailable(f"PostgreSQL not reachable on {PG_HOST}:{PG_PORT}")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error as e:
        service_unavailable(f"PostgreSQL at {PG_ADMIN_URL} unusable: {e}")
    yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/test?options=-csearch_path%3D{schema}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute("SET lock_timeout = '10s'")  # a connection a test left open must not hang the suite
        try:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        except psycopg.errors.LockNotAvailable:
            import warnings

            warnings.warn(f"schema {schema} left behind: a test kept a connection open")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_urls(request) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def redis_url():
    """Redis database 15, emptied before and after the test."""
    if not _reachable(REDIS_HOST, REDIS_PORT):
        service_unavailable(f"Redis not reachable on {REDIS_HOST}:{REDIS_PORT}")
    import redis

    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError as e:
        service_unavailable(f"Redis at {url} unusable: {e}")
    yield url
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def shared_parse_cache():
    """One parse cache (NIANBAO_PARSE_CACHE) for the pipeline tests over the sample portal, kept in
    var/ like the portal's render cache: the scanned report is OCRed once per parser version
    (entries are keyed by a hash of the parser's source), not once per test and database."""
    from pathlib import Path

    import shutil

    from monitor.parse_cache import parser_version

    path = Path(__file__).resolve().parent.parent / "var" / "test-parse-cache"
    path.mkdir(parents=True, exist_ok=True)
    for old in path.iterdir():  # entries of earlier parser versions are never read again
        if old.is_dir() and old.name != parser_version():
            shutil.rmtree(old, ignore_errors=True)
    return path


# ============================================================================================
# end of database and service fixtures
# ============================================================================================
