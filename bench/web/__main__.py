"""Load Emolytics under gunicorn with wrk, beside a minimal Flask-Login app and a bare hello.

    .venv/bin/python bench/web [--quick] [--database postgres] [--workers N] ...

Each round runs every (app, request) for a few seconds, alternating the apps, then GET
/dashboard of each login app while sign-ins arrive at a steady rate. Only ratios within one
round mean anything on a shared machine; the summary gives their medians.
"""

import argparse
import contextlib
import os
import secrets
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import databases
from client import (
    RequestSpec,
    check,
    csrf_login_form,
    plain_login_form,
    settled_cookie,
    sign_in,
)
from load import LoadShape, Target, run_with_login_burst, run_wrk
from report import Round, print_round, print_summary
from servers import Server, WorkerModel, gunicorn

# The worker model chosen by measurement: one gthread process per core with 4 threads. Sync
# workers close every connection (no keep-alive) and a sign-in pins a whole process for its
# wall time; threads keep serving pages while argon2 (which drops the GIL) hashes. 8 threads
# gave no more throughput and a worse page p99 during the login burst.
DEFAULT_MODEL = WorkerModel(worker_class="gthread", workers=2, threads=4)
APP_VARIABLES = ("DATABASE_URL", "SECRET_KEY", "REDIS_URL")  # never inherited by the servers
INSTANCE_CONFIG = """\
# bench/web: lift the sign-in throttling (one client address signs in many times a second)
LOGIN_RATE_LIMIT = "1000000 per minute"
LOGIN_ACCOUNT_RATE_LIMIT = "1000000 per minute"
"""
PASSWORD = "bench password that is long enough"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="short runs (about a minute)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="a database to connect to for creating and dropping the run's databases",
    )
    parser.add_argument("--worker-class", default=DEFAULT_MODEL.worker_class)
    parser.add_argument("--workers", type=int, default=DEFAULT_MODEL.workers)
    parser.add_argument("--threads", type=int, default=DEFAULT_MODEL.threads)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, help="seconds per run (default 5, quick 2)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--login-rate", type=float, default=20.0, help="sign-ins/s in the burst")
    parser.add_argument("--users", type=int, default=16, help="accounts that sign in")
    arguments = parser.parse_args()
    if arguments.worker_class == "sync" and arguments.threads != 1:
        parser.error("gunicorn runs sync workers with --threads 1 only (more means gthread)")
    return arguments


def server_environment(extra: dict[str, str]) -> dict[str, str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in APP_VARIABLES and not name.startswith("EMOLYTICS_")
    }
    return {**inherited, **extra}


@contextlib.contextmanager
def run_databases(arguments: argparse.Namespace, folder: Path) -> Iterator[dict[str, str]]:
    if arguments.database == "postgres":
        with databases.postgres_databases(arguments.postgres_url) as urls:
            yield urls
    else:
        with databases.sqlite_databases(folder) as urls:
            yield urls


def emolytics_targets(server: Server, account: databases.Accounts) -> list[Target]:
    logins = [csrf_login_form(server, name, account.password) for name in account.usernames]
    cookie = settled_cookie(server, "/dashboard", sign_in(server, logins[0]))
    return [
        Target("emolytics", "landing", server, [RequestSpec("GET", "/")], 200),
        Target("emolytics", "dashboard", server, [dashboard(cookie)], 200),
        Target("emolytics", "api", server, [bearer("/api/v1/me", account.token)], 200),
        Target("emolytics", "login", server, logins, 302),
    ]


def minimal_targets(server: Server, account: databases.Accounts) -> list[Target]:
    logins = [plain_login_form(name, account.password) for name in account.usernames]
    cookie = settled_cookie(server, "/dashboard", sign_in(server, logins[0]))
    return [
        Target("minimal", "dashboard", server, [dashboard(cookie)], 200),
        Target("minimal", "api", server, [bearer("/api/me", account.token)], 200),
        Target("minimal", "login", server, logins, 302),
    ]


def dashboard(cookie: str) -> RequestSpec:
    return RequestSpec("GET", "/dashboard", headers={"Cookie": cookie})


def bearer(path: str, token: str) -> RequestSpec:
    return RequestSpec("GET", path, headers={"Authorization": f"Bearer {token}"})


def schedule(targets: list[Target], round_index: int) -> list[Target]:
    """Pairs of apps on the same request, back to back, the first of each pair alternating."""
    by_endpoint: dict[str, list[Target]] = {}
    for target in targets:
        by_endpoint.setdefault(target.endpoint, []).append(target)
    ordered: list[Target] = []
    for group in by_endpoint.values():
        ordered.extend(reversed(group) if round_index % 2 else group)
    return ordered


def run_round(index: int, targets: list[Target], shape: LoadShape, login_rate: float) -> Round:
    result = Round()
    for target in schedule(targets, index):
        result.add(target, run_wrk(target, shape))
    pages = {t.app: t for t in targets if t.endpoint == "dashboard"}
    logins = {t.app: t for t in targets if t.endpoint == "login"}
    for app in reversed(list(pages)) if index % 2 else pages:
        result.bursts[app] = run_with_login_burst(pages[app], logins[app], login_rate, shape)
    return result


def warm_up(targets: list[Target], shape: LoadShape) -> None:
    """Every worker imports, connects and compiles its templates before anything counts."""
    for target in targets:
        check(target.server, target.requests[0], target.expect)
        run_wrk(target, shape, duration_s=1)


def benchmark(arguments: argparse.Namespace, folder: Path) -> list[Round]:
    model = WorkerModel(arguments.worker_class, arguments.workers, arguments.threads)
    shape = LoadShape(
        duration_s=arguments.duration or (2 if arguments.quick else 5),
        connections=arguments.connections,
        threads=arguments.wrk_threads,
    )
    print(f"gunicorn (every app): {model.describe()}")
    print(
        f"wrk: {shape.connections} connections, {shape.threads} threads, {shape.duration_s:g} s"
        f" per run; database: {arguments.database}; login burst: {arguments.login_rate:g}/s"
    )
    instance = folder / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(INSTANCE_CONFIG)
    usernames = [f"bench-user-{n:03d}" for n in range(arguments.users)]
    secret_key = secrets.token_hex(32)
    with run_databases(arguments, folder) as urls, contextlib.ExitStack() as servers:
        ours_env = {
            "DATABASE_URL": urls["emolytics"],
            "SECRET_KEY": secret_key,
            "EMOLYTICS_INSTANCE_PATH": str(instance),
        }
        minimal_env = {"DATABASE_URL": urls["minimal"], "SECRET_KEY": secret_key}
        ours_accounts = databases.seed_emolytics(ours_env, usernames, PASSWORD)
        minimal_accounts = databases.seed_minimal(minimal_env, usernames, PASSWORD)

        def serve(name: str, spec: str, env: dict[str, str]) -> Server:
            return servers.enter_context(
                gunicorn(name, spec, server_environment(env), model, databases.BENCH_DIR)
            )

        hello = serve("hello", "hello_app:create_app()", {})
        minimal = serve("minimal", "minimal_login_app:create_app()", minimal_env)
        ours = serve("emolytics", "emolytics.app:create_app()", ours_env)
        targets = [
            Target("hello", "hello", hello, [RequestSpec("GET", "/")], 200),
            *minimal_targets(minimal, minimal_accounts),
            *emolytics_targets(ours, ours_accounts),
        ]
        warm_up(targets, shape)
        rounds = []
        for index in range(arguments.rounds):
            rounds.append(run_round(index, targets, shape, arguments.login_rate))
            print_round(index + 1, rounds[-1], arguments.login_rate)
            sys.stdout.flush()
    return rounds


def main() -> None:
    arguments = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        rounds = benchmark(arguments, Path(folder))
    print_summary(rounds, arguments.login_rate)


if __name__ == "__main__":
    main()
