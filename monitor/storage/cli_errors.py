"""Database errors as the operator commands report them (a light module: the CLI imports it for
every command, so SQLAlchemy is imported only when a command runs)."""
from __future__ import annotations


def explain_errors(run):
    """Wrap a CLI ``run(args)``: an unreachable or unusable database is a one-line explanation and
    exit status 2, never a traceback."""
    import functools
    import sys

    @functools.wraps(run)
    def wrapper(args):
        from sqlalchemy.exc import OperationalError, ProgrammingError

        try:
            return run(args)
        except (OperationalError, ProgrammingError) as e:
            from monitor.settings import get_settings

            url = get_settings().db_url
            shown = url.split("@")[-1] if "@" in url else url
            reason = str(getattr(e, "orig", e)).strip().splitlines()[0] if str(getattr(e, "orig", e)).strip() else type(e).__name__
            print(f"数据库不可用（{shown}）：{reason}\n请检查 NIANBAO_DATABASE_URL，或运行 nianbao db upgrade。", file=sys.stderr)
            return 2

    return wrapper
