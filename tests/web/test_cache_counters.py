"""The caches' change counters shared by processes: out of reach, in Redis, in a file."""

import multiprocessing
import os
import threading
from pathlib import Path

import pytest

from emolytics import caching
from tests.conftest import AuthActions
from tests.web.session_checks import copy_cookies, signed_in


def test_counters_out_of_reach_mean_no_cache_not_an_error(app_factory, app, caplog):
    unreachable = app_factory(
        REDIS_URL="redis://127.0.0.1:9/0", RATELIMIT_STORAGE_URI="memory://", JOB_QUEUE="inline"
    )
    client = unreachable.test_client()
    auth = AuthActions(client)
    assert auth.login().status_code == 302
    assert signed_in(client)
    assert signed_in(client)
    assert auth.logout().status_code == 302
    assert not signed_in(client)
    assert "cannot read the change counters" in caplog.text


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
def test_redis_counters_reach_processes_on_other_machines(app_factory, app, tmp_path, monkeypatch):
    """Two apps with separate instance folders share nothing but the database and Redis."""
    redis_url = os.environ["TEST_REDIS_URL"]
    here = app_factory(REDIS_URL=redis_url, JOB_QUEUE="inline")
    monkeypatch.setenv("EMOLYTICS_INSTANCE_PATH", str(tmp_path / "another-machine"))
    there = app_factory(REDIS_URL=redis_url, JOB_QUEUE="inline")
    assert isinstance(there.extensions["emolytics_counters"], caching.RedisCounters)
    client = here.test_client()
    AuthActions(client).login()
    copy = there.test_client()
    copy_cookies(client, copy, "session")
    assert signed_in(copy)
    AuthActions(client).logout()
    assert not signed_in(copy)


def _raise_many(path: str, times: int) -> None:
    counters = caching.FileCounters(Path(path))
    for _ in range(times):
        counters.raise_([7])


def test_file_counters_lose_no_raise_between_processes_and_threads(tmp_path):
    path = tmp_path / "counters"
    counters = caching.FileCounters(path)  # opened before the fork, as a preloading server would
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_raise_many, args=(str(path), 200)) for _ in range(3)]
    threads = [threading.Thread(target=lambda: [counters.raise_([7]) for _ in range(200)])]
    for worker in (*processes, *threads):
        worker.start()
    for worker in (*processes, *threads):
        worker.join()
    assert all(process.exitcode == 0 for process in processes)
    assert counters.read(7) == 800
    assert counters.read(8) == 0


def test_a_value_guarded_by_several_counters_is_read_again_when_any_of_them_rises(tmp_path):
    counters = caching.FileCounters(tmp_path / "counters")
    cache = caching.Cache(counters, 60)
    loads = iter(range(100))
    guards = (caching.DATASETS, caching.CORRECTIONS)
    first = cache.lookup(("glance", "1"), guards, lambda: next(loads))
    assert cache.lookup(("glance", "1"), guards, lambda: next(loads)) == first  # kept
    counters.raise_([caching.slot_of(caching.CORRECTIONS)])
    second = cache.lookup(("glance", "1"), guards, lambda: next(loads))
    assert second != first
    counters.raise_([caching.slot_of(caching.DATASETS)])
    assert cache.lookup(("glance", "1"), guards, lambda: next(loads)) not in (first, second)
    assert cache.lookup(("other",), caching.DATASETS, lambda: "one guard") == "one guard"
