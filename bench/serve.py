"""Start and stop the server under test: gunicorn, 2 sync workers, production settings, loopback.

Every gunicorn gets its own control socket (gunicorn 27 otherwise opens ~/.gunicorn/gunicorn.ctl
and collides with any other gunicorn on the machine), a free port on 127.0.0.1, and its own log
file. Every process this module starts is stopped by `stop_all()`, which run.py calls on every
exit path (normal end, exception, Ctrl-C, SIGTERM).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent

_running = []


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django_task(env, *args, check=True):
    """Run one step of django_tasks.py with `env`; return its JSON line as a dict."""
    import json

    result = subprocess.run(
        [PYTHON, str(REPO / "bench" / "django_tasks.py"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        if not check:
            return None
        raise RuntimeError(
            f"django_tasks {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}"
        )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


class Gunicorn:
    def __init__(self, env, workdir, name, workers=2):
        self.env = env
        self.workdir = Path(workdir)
        self.name = name
        self.workers = workers
        self.port = None
        self.proc = None
        self.log_path = self.workdir / f"gunicorn-{name}.log"

    def start(self, ready_path="/robots.txt", host_header="localhost", timeout=60):
        for _attempt in range(3):
            self.port = free_port()
            cmd = [
                str(VENV_BIN / "gunicorn"),
                "clinic_site.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--control-socket",
                str(self.workdir / f"gunicorn-{self.name}.ctl"),
                "--chdir",
                str(REPO),
                "--error-logfile",
                str(self.log_path),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ]
            log = open(self.log_path, "ab")  # the child keeps its own copy
            self.proc = subprocess.Popen(
                cmd,
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as one
            )
            log.close()
            _running.append(self)
            if self._wait_ready(ready_path, host_header, timeout):
                return self
            self.stop()
            if "Address already in use" not in self.log_tail():
                break
        raise RuntimeError(f"gunicorn ({self.name}) did not start:\n{self.log_tail()}")

    def _wait_ready(self, path, host_header, timeout):
        import http.client

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request(
                    "GET", path, headers={"Host": host_header, "X-Forwarded-Proto": "https"}
                )
                conn.getresponse().read()
                conn.close()
                return True
            except OSError:
                time.sleep(0.2)
        return False

    def log_tail(self, chars=4000):
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def errors_in_log(self):
        """Tracebacks and worker crashes gunicorn logged (5xx leave a traceback here)."""
        text = self.log_tail(10_000_000)
        return text.count("Traceback"), text.count("WORKER TIMEOUT")

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        # Workers left behind by a crashed master are still in its process group.
        if _group_members(self.proc.pid):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self in _running:
            _running.remove(self)
        self.proc = None


def _group_members(pgid):
    """PIDs whose process group is `pgid` (Linux /proc; empty elsewhere)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields and int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


def stop_all():
    for server in list(_running):
        server.stop()
