"""The test databases: one template per run, migrated with the library loaded, and a copy of it
for each pytest-xdist worker.

Migrating takes about 9 s of CPU here (Django renders the model states of 69 migrations) and
loading the library 5 s more: built by every worker, that was a quarter of a minute of the two
cores per extra worker. Now the first worker to ask builds the template (tests/per_run.py) and
each worker copies it the way Django's own parallel runner does (`clone_test_db`: a file copy
on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so every worker starts from the same
database. The run's controller drops the template at the end (`drop_template`).

In a run with workers the controller starts the build itself (`start_building`), while the
workers start up and collect, so that it is ready when they first need it, or nearly."""

import logging
import threading
from pathlib import Path

import pytest
from django.db import connection
from pytest_django.plugin import blocking_manager_key

from tests import per_run

TEMPLATE = "test-database"
_BUILDING = pytest.StashKey[threading.Thread]()


def name_test_database():
    """On SQLite the test database is a file next to the development one, not memory: tests
    start real worker processes (tests/contact/test_tasks.py) that must open the same database.
    This names the run's template; each worker's copy adds its suffix."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get(
        "NAME"
    ):
        path = Path(database["NAME"])
        database.setdefault("TEST", {})["NAME"] = str(path.with_name(f"test_{path.name}"))


def _build_template():
    from clinic_site.sitewide.search.tasks import one_refresh
    from conditions.library import load

    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    with one_refresh():  # one rebuild of search's word list
        load(publish=True)
    connection.close()  # PostgreSQL copies a template only while nobody is connected to it
    return {"name": connection.settings_dict["NAME"]}


def start_building(config):
    """From the controller of a run with workers: builds the template in a thread of its own
    from the start. The workers take a few seconds to start and collect the tests, and then
    run the tests that need no database (tests/conftest.py orders them first) while it
    finishes. The controller itself only hands out tests, so the thread has most of a core.

    Built as a worker would build it: with Django's test environment (debug off, mail kept in
    memory). If it fails, the first worker to ask builds it again, and its error is shown in the
    test that asked."""
    from django.test.utils import setup_test_environment

    name_test_database()
    setup_test_environment(debug=False)
    # A worker's build logs into the first test's captured output; here it would print.
    logging.getLogger("django_tasks").setLevel(logging.WARNING)

    def build():
        with config.stash[blocking_manager_key].unblock():
            per_run.once(config, TEMPLATE, _build_template)

    thread = config.stash[_BUILDING] = threading.Thread(target=build, name=TEMPLATE, daemon=True)
    thread.start()


def set_up(config, worker):
    """Points the connection at this worker's copy of the run's template (built first if this
    is the first worker to ask). Returns the name to give back at teardown."""
    original = connection.settings_dict["NAME"]
    template = per_run.once(config, TEMPLATE, _build_template)["name"]
    connection.settings_dict["NAME"] = template
    connection.creation.clone_test_db(suffix=worker, verbosity=0, autoclobber=True)
    connection.settings_dict.update(connection.creation.get_test_db_clone_settings(worker))
    connection.close()
    return original


def tear_down(original):
    """Drops this worker's copy."""
    connection.creation.destroy_test_db(original, verbosity=0)


def drop_template(config):
    """Drops the run's template, if one was built: from the controller once every worker is
    done (or from the one process of a run without workers)."""
    if building := config.stash.get(_BUILDING, None):
        building.join()
    if template := per_run.built(config, TEMPLATE):
        connection.close()
        connection.creation._destroy_test_db(template["name"], verbosity=0)
