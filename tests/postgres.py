"""PostgreSQL databases of a test's own (the backup round trip, the topology test): created on
the server the test run uses, dropped afterwards."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
from psycopg import sql


def connect(database: dict, name: str) -> psycopg.Connection:
    """An autocommit connection to database ``name`` on the server of Django's ``database``."""
    return psycopg.connect(
        dbname=name,
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        autocommit=True,
    )


@contextmanager
def database_of_its_own(database: dict, prefix: str) -> Iterator[tuple[str, str]]:
    """A new empty database named ``<prefix>_<random>``, dropped on exit; its name and URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with connect(database, "postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    host = database["HOST"] or "localhost"
    port = f":{database['PORT']}" if database["PORT"] else ""
    try:
        yield name, f"postgres://{user}{password}@{host}{port}/{name}"
    finally:
        with connect(database, "postgres") as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
