"""`Memo`: the engine's hot-path caches (chunks, token forms' indices and valences)."""

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """A dict that fills itself: a missing key's value is `compute(key)`, kept until the memo
    holds `limit` entries, when it starts over. Reading is a plain dict look-up (the hot path
    maps `memo.__getitem__` over many keys); a race between threads can only lose an entry."""

    def __init__(self, compute: Callable[[K], V], limit: int) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: K) -> V:
        value = self.compute(key)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
