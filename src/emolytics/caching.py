"""Short-lived per-process caches that a change made anywhere still beats.

Two things are asked on almost every request: who the session or API token belongs to (every
signed-in page and API call must check it on the server), and the user's datasets with their
analyses' progress (the home page). Asking the database each time costs more than the rest of
a small page, so each process keeps what it found, for a few seconds at most, and uses it only
while the change counter it is filed under still reads what it read *before* the database was
asked.

The counters live where every process of the deployment sees them: a small shared-memory file
in the instance folder (the processes of one machine: the web server's, the CLI's, the
workers'), or Redis when REDIS_URL is set (several machines). Whatever changes what a cache
holds raises the counter right after its transaction commits, before the response leaves:

- signing out, a password change, a disabled or deleted account raise the user's counter
  (filed under the user's alt_id, which the session cookie carries), and revoking a token
  raises the token's; `accounts` names them (`changed_after_commit`);
- any write through the ORM to the datasets or jobs tables (uploads, progress, deletions)
  raises the datasets counter, found by watching the app's session (`SESSION_LISTENERS`).

A request that looks after the commit reads a new value and asks the database; a raise that
falls between a request's read and its query only costs a needless refill.
"""

import fcntl
import logging
import mmap
import os
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session

log = logging.getLogger(__name__)

SLOTS = 4096  # counters; names share one when their hashes collide (a needless refill, no more)
MAX_ENTRIES = 20_000  # per process; the cache starts over when it is full
COUNTER_FILE = "change-counters"
PENDING = "emolytics_changed"  # Session.info key: counters to raise after the commit
# The guard of every cached dataset overview: raised by any write to these tables.
DATASETS = "datasets"
WATCHED_TABLES = frozenset({"datasets", "jobs"})
# The guard of what is cached from an analysis's counts beyond DATASETS': raised by a
# correction, which changes the counts alone.
CORRECTIONS = "corrections"


def slot_of(name: str) -> int:
    """The counter that guards `name` (a user's alt_id, a token's hash, DATASETS)."""
    return zlib.crc32(name.encode()) % SLOTS


class Counters(Protocol):
    def read(self, slot: int) -> int: ...

    def raise_(self, slots: Iterable[int]) -> None: ...


class FileCounters:
    """Counters in a memory-mapped file: one machine's processes share its pages.

    Readers read 8 aligned bytes, whole; raises are serialised by a POSIX record lock between
    processes (per process, so unlike flock it holds across fork) and a mutex between threads.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.mutex = threading.Lock()
        size = SLOTS * 8
        with self._locked():
            if os.fstat(self.descriptor).st_size < size:
                os.ftruncate(self.descriptor, size)
        self.memory = mmap.mmap(self.descriptor, size)

    def read(self, slot: int) -> int:
        return struct.unpack_from("<Q", self.memory, slot * 8)[0]

    def raise_(self, slots: Iterable[int]) -> None:
        with self._locked():
            for slot in set(slots):
                struct.pack_into("<Q", self.memory, slot * 8, self.read(slot) + 1)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self.mutex:
            fcntl.lockf(self.descriptor, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(self.descriptor, fcntl.LOCK_UN)


class RedisCounters:
    """Counters in Redis, for processes on several machines."""

    def __init__(self, url: str, prefix: str) -> None:
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=2)
        self.prefix = f"{prefix}:change-counter:"

    def read(self, slot: int) -> int:
        return int(self.redis.get(f"{self.prefix}{slot}") or 0)

    def raise_(self, slots: Iterable[int]) -> None:
        pipeline = self.redis.pipeline(transaction=False)
        for slot in set(slots):
            pipeline.incr(f"{self.prefix}{slot}")
        pipeline.execute()


@dataclass(frozen=True, slots=True)
class Entry:
    value: Any  # what the database said, as plain values
    epoch: tuple[int, ...]  # the guarding counters, read before the database was asked
    until: float  # time.monotonic() after which it is not used


class Cache:
    def __init__(self, counters: Counters, seconds: float) -> None:
        self.counters = counters
        self.seconds = seconds
        self.entries: dict[tuple[str, ...], Entry] = {}

    def lookup(
        self, key: tuple[str, ...], guard: str | tuple[str, ...], load: Callable[[], Any]
    ) -> Any:
        """The value cached under `key` while the counter of `guard` (of each, when several) is
        unchanged, else `load()` (cached when it is not None). With no seconds to keep
        anything: always `load()`."""
        if not self.seconds:
            return load()
        try:
            if isinstance(guard, str):  # nearly every lookup (a session's, a seat's): one read
                epoch: tuple[int, ...] = (self.counters.read(slot_of(guard)),)
            else:
                epoch = tuple(self.counters.read(slot_of(name)) for name in guard)
        except Exception:  # the shared counters are out of reach: never trust the cache then
            log.exception("cache: cannot read the change counters")
            return load()
        entry = self.entries.get(key)
        now = time.monotonic()
        if entry is not None and entry.epoch == epoch and now < entry.until:
            return entry.value
        value = load()
        if value is None:
            self.entries.pop(key, None)
            return None
        if len(self.entries) >= MAX_ENTRIES:
            self.entries.clear()
        self.entries[key] = Entry(value, epoch, now + self.seconds)
        return value

    def revise(self, key: tuple[str, ...], value: Any) -> None:
        """Replace what is cached under `key` after this process changed it itself (a
        last-seen stamp), keeping the counter reading it was filed under."""
        entry = self.entries.get(key)
        if entry is not None:
            self.entries[key] = Entry(value, entry.epoch, entry.until)


def init_app(app: Flask, sessions: scoped_session[Any]) -> None:
    """The app's counters and cache, and the watch on `sessions` (the app's `db.session`) that
    raises the counters after a commit."""
    if app.config["REDIS_URL"]:
        counters: Counters = RedisCounters(app.config["REDIS_URL"], app.config["REDIS_PREFIX"])
    else:
        counters = FileCounters(Path(app.instance_path) / COUNTER_FILE)
    app.extensions["emolytics_counters"] = counters
    app.extensions["emolytics_cache"] = Cache(counters, app.config["CACHE_SECONDS"])
    _watch(sessions)


def cache() -> Cache:
    return current_app.extensions["emolytics_cache"]


def changed_after_commit(session: Session, guards: Iterable[str]) -> None:
    """Raise the counters of `guards` once `session`'s transaction commits (none if it rolls
    back): what every process cached under them is looked up again."""
    session.info.setdefault(PENDING, set()).update(slot_of(guard) for guard in guards)


def _watch(sessions: scoped_session[Any]) -> None:
    """Listen to the sessions `sessions` makes, and to no other Session of the process. Apps of
    one process share `db.session` (the app is told apart when the counters are raised), so a
    second app finds the listeners in place."""
    for name, listener in SESSION_LISTENERS.items():
        if not event.contains(sessions, name, listener):
            event.listen(sessions, name, listener)


def _raise_counters(session: Session) -> None:
    slots = session.info.pop(PENDING, None)
    if not slots:
        return
    try:
        current_app.extensions["emolytics_counters"].raise_(slots)
    except Exception:  # the commit stands; cached entries run out within CACHE_SECONDS
        log.exception("cache: cannot raise the change counters")


def _drop_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def _watch_flushed(session: Session, flush_context: object, instances: object) -> None:
    """ORM objects of the watched tables added, changed or deleted."""
    for instance in (*session.new, *session.dirty, *session.deleted):
        if getattr(instance, "__tablename__", None) in WATCHED_TABLES:
            changed_after_commit(session, [DATASETS])
            return


def _watch_statements(state: ORMExecuteState) -> None:
    """UPDATE and DELETE statements on the watched tables (progress, deletions)."""
    if state.is_select:
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.local_table.name in WATCHED_TABLES:
        changed_after_commit(state.session, [DATASETS])


SESSION_LISTENERS: dict[str, Callable[..., None]] = {
    "after_commit": _raise_counters,
    "after_rollback": _drop_pending,
    "before_flush": _watch_flushed,
    "do_orm_execute": _watch_statements,
}
