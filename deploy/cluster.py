"""The production shape on one machine's loopback: HAProxy in front of two app instances
(gunicorn, production settings, one secret key) and two task workers, on the PostgreSQL and
Redis that DATABASE_URL and REDIS_URL name. `make cluster` runs it until Ctrl-C;
tests/deploy/test_cluster.py kills parts of it and watches what patients would see.

Every process starts in its own process group, and every group is stopped (SIGTERM, then
SIGKILL) when the driver ends: normally, on an error, on Ctrl-C or SIGTERM (`stop`, called
from `finally` and from atexit). Task workers are restarted when they exit, as systemd's
Restart=always would (they exit when they lose the database); app instances are not: killing
one is what the test is about.
"""

import argparse
import atexit
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from deploy.processes import free_port, gunicorn_command, wait_until

REPO = Path(__file__).resolve().parent.parent
HAPROXY_CFG = REPO / "deploy" / "haproxy.cfg"
MAX_APPS = 3  # server lines in haproxy.cfg


def get(url, timeout=5):
    """Status of a GET (no redirects followed), or None when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class Process:
    """One program the cluster runs, in its own process group, logging to its own file."""

    def __init__(self, name, argv, env, log_dir, *, restart=False):
        self.name, self.argv, self.env = name, argv, env
        self.log_path = log_dir / f"{name}.log"
        self.restart = restart
        self.popen = None
        self.exited_at = None
        self.starts = 0

    def start(self):
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                self.argv,
                cwd=REPO,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: a signal reaches its children too
            )
        self.exited_at = None
        self.starts += 1

    @property
    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, signum):
        try:
            os.killpg(self.popen.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self):
        """SIGKILL to the whole group: no clean-up, as when a machine dies."""
        if self.running:
            self.signal_group(signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self, timeout=10):
        """SIGTERM to the group, then SIGKILL to what is left of it after `timeout` seconds.
        A leader that has exited already is left alone (its number may be another process's
        by now); none of these programs leaves children behind when it exits."""
        if not self.running:
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.signal_group(signal.SIGKILL)
        self.popen.wait(timeout=10)


class Cluster:
    """HAProxy, `apps` gunicorn instances and `workers` db_worker processes on loopback.

    `env` is added to the production environment every process gets (the test sets the mail
    server and the retry period there). Ports are free ones unless given.
    """

    def __init__(
        self,
        *,
        database_url,
        redis_url,
        apps=2,
        workers=2,
        env=None,
        proxy_port=None,
        gunicorn_workers=2,
        restart_seconds=5.0,
        run_dir=None,
    ):
        if not 2 <= apps <= MAX_APPS:
            raise ValueError(f"haproxy.cfg has servers for 2 to {MAX_APPS} app instances")
        if not database_url.startswith("postgres"):
            raise ValueError("The cluster needs PostgreSQL: DATABASE_URL=postgres://…")
        if not redis_url:
            raise ValueError("The cluster needs Redis: REDIS_URL=redis://…")
        self.own_run_dir = run_dir is None
        self.run_dir = Path(run_dir or tempfile.mkdtemp(prefix="clinic-cluster-"))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.proxy_port = proxy_port or free_port()
        self.app_ports = [free_port() for _ in range(apps)]
        self.restart_seconds = restart_seconds
        self.env = self.production_env(database_url, redis_url, env or {})
        self.apps = [
            Process(
                f"app{n}",
                gunicorn_command(
                    port,
                    workers=gunicorn_workers,
                    control_socket=self.run_dir / f"app{n}.ctl",
                    options=["--timeout=30", "--graceful-timeout=5"],
                ),
                self.env,
                self.run_dir,
            )
            for n, port in enumerate(self.app_ports, start=1)
        ]
        self.workers = [
            Process(
                f"worker{n}",
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--interval=0.2",
                    "--no-reload",
                    f"--worker-id=cluster-worker-{n}",
                ],
                self.env,
                self.run_dir,
                restart=True,
            )
            for n in range(1, workers + 1)
        ]
        haproxy_env = {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/bin"),
            "CLUSTER_RUN_DIR": str(self.run_dir),
            "CLUSTER_PROXY_ADDRESS": f"127.0.0.1:{self.proxy_port}",
            **{f"APP{n}": f"127.0.0.1:{port}" for n, port in enumerate(self.app_ports, start=1)},
        }
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        # -db: stay in the foreground, under this driver.
        self.proxy = Process(
            "haproxy", [haproxy, "-db", "-f", str(HAPROXY_CFG)], haproxy_env, self.run_dir
        )
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._supervisor = None
        self.stopped = False

    @staticmethod
    def production_env(database_url, redis_url, extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            {
                "DJANGO_DEBUG": "false",
                # One key for every instance: sessions, CSRF tokens and signed form tokens made
                # by one are read by the others.
                "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY")
                or secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                # Plain HTTP on loopback; in production the proxy terminates TLS and this stays on.
                "DJANGO_SECURE_SSL_REDIRECT": "false",
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                # The header haproxy.cfg writes (`option forwardfor`, the client's address).
                "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
                "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if not os.environ.get("DJANGO_EMAIL_HOST") and "DJANGO_EMAIL_HOST" not in extra:
            # No mail server named: the workers print the staff email to their log.
            env["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
        for name in ("DJANGO_EMAIL_HOST", "DJANGO_EMAIL_PORT", "DJANGO_STATIC_ROOT"):
            if os.environ.get(name):
                env[name] = os.environ[name]
        env.update(extra)
        return env

    # Start and stop ------------------------------------------------------------------------

    def manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        """Migrates, loads the library (published, as `make run` does), collects static files,
        then starts everything and waits until the proxy answers through every instance."""
        atexit.register(self.stop)
        self.env.setdefault("DJANGO_STATIC_ROOT", str(self.run_dir / "static"))
        self.manage("migrate", "--noinput")
        self.manage("load_content", "--publish", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        for app in self.apps:
            app.start()
        for app in self.apps:
            self.wait_for_app(app)
        for worker in self.workers:
            worker.start()
        self.proxy.start()
        self.wait(
            lambda: self.server_states() == {a.name: "UP" for a in self.apps},
            30,
            "HAProxy to see every instance up",
        )
        self._supervisor = threading.Thread(target=self.supervise, daemon=True)
        self._supervisor.start()
        return self

    def stop(self):
        """Stops every process the cluster started. Safe to call more than once."""
        with self._lock:
            if self.stopped:
                return
            self.stopped = True
            self._stopping.set()
        # A second Ctrl-C or SIGTERM must not cut the clean-up short.
        held = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                held[signum] = signal.signal(signum, signal.SIG_IGN)
        try:
            if self._supervisor is not None:
                self._supervisor.join(timeout=5)
            for process in [self.proxy, *self.workers, *self.apps]:
                try:
                    process.stop()
                except Exception as exc:  # noqa: BLE001 - stop the rest whatever happens
                    print(f"cluster: could not stop {process.name}: {exc}", file=sys.stderr)
        finally:
            for signum, handler in held.items():
                signal.signal(signum, handler)
        if self.own_run_dir and not os.environ.get("CLUSTER_KEEP_LOGS"):
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info):
        self.stop()

    def supervise(self):
        """Restarts a task worker `restart_seconds` after it exits (systemd's RestartSec)."""
        while not self._stopping.wait(0.2):
            with self._lock:
                for worker in self.workers:
                    if not worker.restart or worker.running or self._stopping.is_set():
                        continue
                    now = time.monotonic()
                    if worker.exited_at is None:
                        worker.exited_at = now
                    elif now - worker.exited_at >= self.restart_seconds:
                        worker.start()

    # What the test does to it ----------------------------------------------------------------

    def kill_app(self, number):
        self.apps[number - 1].kill()

    def start_app(self, number):
        app = self.apps[number - 1]
        app.start()
        self.wait_for_app(app)

    def kill_worker(self, worker):
        with self._lock:
            worker.kill()

    def wait_for_app(self, app, timeout=60):
        port = self.app_ports[self.apps.index(app)]

        def answers():
            if not app.running:
                raise RuntimeError(f"{app.name} exited; see {app.log_path}")
            return get(f"http://127.0.0.1:{port}/robots.txt", timeout=2) == 200

        self.wait(answers, timeout, f"{app.name} to answer")

    @staticmethod
    def wait(condition, timeout, what):
        wait_until(condition, timeout=timeout, what=what, interval=0.1)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.proxy_port}"

    def app_url(self, number):
        return f"http://127.0.0.1:{self.app_ports[number - 1]}"

    def stats(self):
        """HAProxy's `show stat` for the app servers: {name: {column: value}}."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(2)
            sock.connect(str(self.run_dir / "haproxy.sock"))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        lines = data.decode().strip().splitlines()
        columns = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(columns, line.split(","), strict=False)) for line in lines[1:]]
        return {r["svname"]: r for r in rows if r["pxname"] == "apps" and r["svname"][:3] == "app"}

    def server_states(self):
        try:
            return {name: row["status"] for name, row in self.stats().items()}
        except OSError:
            return {}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="the proxy's port (8080)")
    parser.add_argument("--apps", type=int, default=2, help=f"app instances (2 to {MAX_APPS})")
    parser.add_argument("--workers", type=int, default=2, help="task workers (2)")
    args = parser.parse_args(argv)
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not (database_url or "").startswith("postgres") or not redis_url:
        sys.exit(
            "The cluster runs on PostgreSQL and Redis, shared by every instance. Set both, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic "
            "REDIS_URL=redis://127.0.0.1:6379/0 make cluster"
        )

    def terminate(signum, frame):
        raise SystemExit(128 + signum)  # unwinds through `with` below: everything stops

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    cluster = Cluster(
        database_url=database_url,
        redis_url=redis_url,
        apps=args.apps,
        workers=args.workers,
        proxy_port=args.port,
        run_dir=REPO / "var" / "cluster",
    )
    print(f"cluster: starting in {cluster.run_dir} (migrate, collectstatic, then processes)")
    try:
        with cluster:
            ports = ", ".join(f"app{n} :{p}" for n, p in enumerate(cluster.app_ports, 1))
            print(f"cluster: up at {cluster.url}/ ({ports}; {args.workers} task workers)")
            print(f"cluster: logs in {cluster.run_dir}; Ctrl-C stops everything")
            while True:
                time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        print("cluster: stopped every process")


if __name__ == "__main__":
    main()
