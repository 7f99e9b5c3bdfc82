"""The processes and stores a run needs: web server, RQ workers, a PostgreSQL database and
Redis keys, each started or made here and always stopped or removed again."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from client import ClientError, Session
from redis import Redis

VENV_BIN = Path(sys.executable).parent
EMOLYTICS = str(VENV_BIN / "emolytics")
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
USERNAME = "bench"
PASSWORD = "pipeline benchmark passphrase 2025"
INHERITED_NOT = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")  # never from the caller's shell
START_TIMEOUT = 90.0


@dataclass
class Stack:
    """One deployment under test: its environment, folder and processes."""

    kind: str  # embedded | postgres
    folder: Path
    env: dict[str, str]
    port: int
    web: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def session(self) -> Session:
        return Session("127.0.0.1", self.port)

    def web_worker_pid(self) -> int:
        """The gunicorn worker process (the arbiter's child) that serves requests."""
        assert self.web is not None
        from memory import children

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            found = children(self.web.pid)
            if found:
                return found[0]
            time.sleep(0.1)
        raise ClientError("gunicorn has no worker process")


def environment(folder: Path, settings: dict[str, str]) -> dict[str, str]:
    """The caller's environment without app settings, plus the instance folder and `settings`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in INHERITED_NOT and not name.startswith("EMOLYTICS_")
    }
    env["PATH"] = f"{VENV_BIN}:{env.get('PATH', '')}"
    env["EMOLYTICS_INSTANCE_PATH"] = str(folder / "instance")
    env.update(settings)
    return env


def write_instance_config(folder: Path, token: str) -> None:
    instance = folder / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "config.py").write_text(
        "# bench/pipeline: room for a 1M-text upload; its own rate-limit keys\n"
        "MAX_CONTENT_LENGTH = 2 * 1024 * 1024 * 1024\n"
        f"RATELIMIT_KEY_PREFIX = {token!r}\n"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def create_user(stack: Stack) -> None:
    subprocess.run(
        [EMOLYTICS, "users", "create", USERNAME, "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        env=stack.env,
        check=True,
        capture_output=True,
    )


def create_token(stack: Stack) -> str:
    """A write token of the bench user, for the API calls (the corrections)."""
    made = subprocess.run(
        [EMOLYTICS, "tokens", "create", USERNAME, "bench"],
        text=True,
        env=stack.env,
        check=True,
        capture_output=True,
    )
    return made.stdout.strip()


def create_search_index(stack: Stack) -> None:
    """`emolytics search-index create`, on the empty texts table: the upload then keeps it."""
    subprocess.run(
        [EMOLYTICS, "search-index", "create"], env=stack.env, check=True, capture_output=True
    )
    print(f"  [{stack.kind}] search index made: the upload keeps it", flush=True)


def _spawn(stack: Stack, arguments: list[str], log_name: str) -> subprocess.Popen[bytes]:
    log = (stack.folder / log_name).open("ab")
    return subprocess.Popen(
        [EMOLYTICS, *arguments],
        env=stack.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with all its children
    )


def start_web(stack: Stack) -> None:
    """`emolytics run`: gunicorn, one process, 8 threads (the job thread too when embedded)."""
    arguments = ["run", "--host", "127.0.0.1", "--port", str(stack.port)]
    stack.web = _spawn(stack, arguments, "web.log")
    _wait_until_serving(stack)


def start_workers(stack: Stack, count: int) -> None:
    stack.workers += [_spawn(stack, ["worker"], f"worker{n}.log") for n in range(count)]


def _wait_until_serving(stack: Stack) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert stack.web is not None
        if stack.web.poll() is not None:
            raise ClientError(f"the web server stopped; see {stack.folder / 'web.log'}")
        with contextlib.suppress(OSError):
            if stack.session().get("/login").status == 200:
                return
        time.sleep(0.25)
    raise ClientError("the web server did not start in time")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop `process` and its process group: politely, then firmly."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def stop_all(stack: Stack) -> None:
    for worker in stack.workers:
        stop(worker)
    stop(stack.web)


# --- PostgreSQL -----------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_database(name: str, keep: bool = False) -> Iterator[str]:
    """A fresh database named `name`, dropped afterwards unless `keep`; yields its URL."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        yield url
    finally:
        if keep:
            print(f"  kept the database: {url}", flush=True)
        else:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def queue_ids(database_url: str) -> list[str]:
    """The RQ job ids the run's job parts were given (read before the database goes)."""
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as connection:
        rows = connection.execute("SELECT queue_id FROM job_parts WHERE queue_id IS NOT NULL")
        return [row[0] for row in rows]


# --- Redis ------------------------------------------------------------------------------------


def remove_redis_keys(token: str, job_ids: list[str]) -> int:
    """Delete every key of this run: the queue's, its jobs', its workers', its rate limits'."""
    redis = Redis.from_url(REDIS_URL)
    keys = set(redis.scan_iter(match=f"*{token}*", count=1000))
    for job_id in job_ids:
        keys |= set(redis.scan_iter(match=f"rq:*{job_id}*", count=1000))
    for worker_key in redis.scan_iter(match="rq:worker:*", count=1000):
        if redis.type(worker_key) == b"hash" and redis.hget(worker_key, "queues") == token.encode():
            keys.add(worker_key)
            redis.srem("rq:workers", worker_key)
    if keys:
        redis.delete(*keys)
    redis.close()
    return len(keys)


def database_mb(stack: Stack) -> float:
    """The size of the stack's database on disk."""
    url = stack.env.get("DATABASE_URL")
    if url is None:
        files = (stack.folder / "instance").glob("emolytics.db*")
        return sum(path.stat().st_size for path in files) / 1e6
    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(ADMIN_URL) as admin:
        row = admin.execute("SELECT pg_database_size(%s)", (name,)).fetchone()
    return (row[0] if row else 0) / 1e6


def cancel_queries(stack: Stack) -> None:
    """Cancel whatever the stack's PostgreSQL database is running (after a client timeout)."""
    url = stack.env.get("DATABASE_URL")
    if url is None:
        return
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()",
            (url.rsplit("/", 1)[-1],),
        )
