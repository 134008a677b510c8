"""What a test run builds once and shares between its pytest-xdist workers (the test database's
template, the production copy of the site): the first worker to ask builds it, under a lock in
the run's shared folder, and the others read what it wrote."""

import fcntl
import json
import os


def shared_folder(config):
    """The run's own temporary folder: the parent of each worker's, or, without workers, the
    one tmp_path_factory gives fixtures. pytest removes it with the run's other folders."""
    base = config._tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(config, name, build):
    """`build()`'s value (JSON), from the first process of the run that asked for `name`: the
    others wait for it, then read it."""
    folder = shared_folder(config)
    result = folder / f"{name}.json"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not result.exists():
            result.write_text(json.dumps(build()))
        return json.loads(result.read_text())


def built(config, name):
    """What `once` built for `name` in this run, or None if nothing asked for it."""
    result = shared_folder(config) / f"{name}.json"
    return json.loads(result.read_text()) if result.exists() else None
