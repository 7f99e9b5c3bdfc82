"""Resident memory of running processes, sampled from /proc every 50 ms."""

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

INTERVAL = 0.05


def rss_mb(pid: int) -> float:
    """The process's resident set size now (0.0 once it is gone)."""
    return _status_kb(pid, "VmRSS") / 1024


def hwm_mb(pid: int) -> float:
    """The process's peak resident set size (since start, or since `reset_peak`)."""
    return _status_kb(pid, "VmHWM") / 1024


def reset_peak(pid: int) -> bool:
    """Start VmHWM over from the current RSS (Linux clear_refs 5); False when not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _status_kb(pid: int, key: str) -> float:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0.0
    for line in lines:
        if line.startswith(key + ":"):
            return float(line.split()[1])
    return 0.0


class PeakSampler:
    """Samples the summed RSS of `pids` in a thread; `peak` is the highest sum seen."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak = 0.0
        self.peaks = dict.fromkeys(pids, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while True:
            total = 0.0
            for pid in self.pids:
                current = rss_mb(pid)
                self.peaks[pid] = max(self.peaks[pid], current)
                total += current
            self.peak = max(self.peak, total)
            if self._stop.wait(INTERVAL):
                return

    @contextlib.contextmanager
    def running(self) -> Iterator["PeakSampler"]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()
