"""The test databases: one template per run, migrated with the library loaded, and a copy of it
for each pytest-xdist worker.

Migrating takes about 9 s of CPU here (Django renders the model states of 69 migrations) and
loading the library 5 s more: built by every worker, that was a quarter of a minute of the two
cores per extra worker. Now the first worker to ask builds the template (tests/per_run.py) and
each worker copies it the way Django's own parallel runner does (`clone_test_db`: a file copy
on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so every worker starts from the same
database. The run's controller drops the template at the end (`drop_template`)."""

from django.db import connection

from tests import per_run

TEMPLATE = "test-database"


def _build_template():
    from clinic_site.sitewide.search.tasks import one_refresh
    from conditions.library import load

    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    with one_refresh():  # one rebuild of search's word list
        load(publish=True)
    connection.close()  # PostgreSQL copies a template only while nobody is connected to it
    return {"name": connection.settings_dict["NAME"]}


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
    if template := per_run.built(config, TEMPLATE):
        connection.close()
        connection.creation._destroy_test_db(template["name"], verbosity=0)
