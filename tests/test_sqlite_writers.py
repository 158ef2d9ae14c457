"""SQLite, the README's default: two requests writing at once (a double-click) both succeed.

Each writer reads, waits a moment, then writes, inside a transaction begun the way Django's
``atomic`` begins one. With SQLite's defaults both read first, and the second to write fails
at once with "database is locked"; with the portal's options (techcommit.settings.database) the
second waits for the first and both rows are saved."""

import threading
import time

from django.db.utils import ConnectionHandler

from techcommit.settings import database


def test_two_writers_at_once_on_a_sqlite_file_both_succeed(tmp_path, django_db_blocker):
    # Its own database file, not the test database: pytest-django's block does not apply.
    with django_db_blocker.unblock():
        race(tmp_path)


def race(tmp_path):
    handler = ConnectionHandler({"default": database(f"sqlite:///{tmp_path / 'race.sqlite3'}")})
    setup = handler["default"]
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE clicks (id INTEGER PRIMARY KEY, seen INTEGER)")
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    setup.close()

    errors, both_started = [], threading.Barrier(2)

    def click():
        connection = handler["default"]  # one connection per thread, as per request
        try:
            both_started.wait(timeout=5)
            # What atomic() does on entry: on SQLite it begins the transaction explicitly.
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM clicks")
                seen = cursor.fetchone()[0]
                time.sleep(0.3)
                cursor.execute("INSERT INTO clicks (seen) VALUES (%s)", [seen])
            connection.commit()
            connection.set_autocommit(True)
        except Exception as error:  # recorded for the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    check = handler["default"]
    with check.cursor() as cursor:
        cursor.execute("SELECT seen FROM clicks ORDER BY id")
        # The second writer waited for the first, so it saw the first's row.
        assert [row[0] for row in cursor.fetchall()] == [0, 1]
    check.close()
