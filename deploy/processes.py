"""Starting the site's programs on loopback, the one way: a free port, the gunicorn command line
(with a control socket of its own), and waiting until something is true. Used by
deploy/cluster.py, bench/run.py and the tests, so a fix to any of them is made once."""

import socket
import sys
import time
from pathlib import Path


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port, *, workers, control_socket, options=()):
    """The command that serves the site with gunicorn on 127.0.0.1:`port`.

    gunicorn 27 opens a control socket at ~/.gunicorn/gunicorn.ctl by default, one per machine
    user: two gunicorns (a benchmark beside a dev server, two test instances) collide there, so
    each gets `control_socket`, a path of its own."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "clinic_site.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--control-socket={Path(control_socket)}",
        *options,
    ]


def wait_until(condition, *, timeout, what="", interval=0.05, pause=time.sleep):
    """Polls `condition()` until it is true; TimeoutError, saying what it waited for, when
    `timeout` seconds pass first. `what` may be a function, called only then (say, to read a
    process's log). `pause(seconds)` waits between tries: a browser test passes one that lets
    Playwright's events in while it waits (a plain sleep holds them back)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        pause(interval)
    if callable(what):
        what = what()
    raise TimeoutError(f"Gave up after {timeout} s waiting for {what or condition}")
