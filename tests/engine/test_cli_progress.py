"""`emolytics analyze` shows its progress on a terminal: a bar of a file's bytes, or a line
counting the texts of standard input (whose size is unknown); nothing when stderr is a file."""

import os
import pty
import subprocess
import sys
from pathlib import Path

TEXTS = b"text\nI love it\nso sad\n"


def _terminal_stderr(arguments: list[str], stdin: bytes = b"") -> str:
    """What `emolytics analyze` writes to stderr when it is a terminal."""
    terminal, stderr = pty.openpty()
    command = [sys.executable, "-m", "emolytics", "analyze", *arguments, "-o", os.devnull]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=stderr
    )
    os.close(stderr)
    process.communicate(stdin, timeout=120)
    written = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the terminal's other end is closed: all is read
            break
        if not chunk:
            break
        written += chunk
    os.close(terminal)
    assert process.returncode == 0, written
    return written.decode()


def test_standard_input_counts_the_texts_analysed() -> None:
    written = _terminal_stderr(["-", "--input-format", "csv"], TEXTS)
    assert "\rAnalyzing: 2 texts\r\n2 texts analyzed" in written


def test_a_file_has_a_bar_of_its_bytes(tmp_path: Path) -> None:
    source = tmp_path / "posts.csv"
    source.write_bytes(TEXTS)
    written = _terminal_stderr([str(source)])
    assert "Analyzing  [####################################]  100%" in written
    assert "2 texts analyzed" in written
