"""A small HTTP client for one signed-in user: cookies, CSRF tokens, a streamed upload."""

import http.client
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
JOB_URL_RE = re.compile(r'data-job-url="(/jobs/(\d+)\.json)"')
UPLOAD_CHUNK = 1024 * 1024
TIMEOUT = 900.0


class ClientError(Exception):
    """The server did not answer as the benchmark expects."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Session:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = TIMEOUT,
    ) -> Reply:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=self._headers(headers))
            return self._reply(connection.getresponse())
        finally:
            connection.close()

    def get(self, path: str, timeout: float = TIMEOUT) -> Reply:
        return self.request("GET", path, timeout=timeout)

    def post_form(self, path: str, fields: dict[str, str]) -> Reply:
        body = urlencode(fields).encode()
        kind = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body, kind)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def _reply(self, response: http.client.HTTPResponse) -> Reply:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, dict(response.headers.items()), response.read())

    def csrf_token(self, path: str) -> str:
        reply = self.get(path)
        found = CSRF_RE.search(reply.text)
        if reply.status != 200 or not found:
            raise ClientError(f"GET {path}: {reply.status}, no CSRF token")
        return found.group(1)

    def sign_in(self, username: str, password: str) -> None:
        fields = {"username": username, "password": password, "csrf_token": ""}
        fields["csrf_token"] = self.csrf_token("/login")
        reply = self.post_form("/login", fields)
        if reply.status != 302 or "/login" in reply.headers.get("Location", "/login"):
            raise ClientError(f"sign-in refused: {reply.status} {reply.text[:300]}")

    def upload(self, path: Path, name: str, keywords: str) -> "UploadTiming":
        """POST the file to /datasets/new, streamed from disk; the new dataset's id and times."""
        token = self.csrf_token("/datasets/new")
        fields = {"name": name, "keywords": keywords, "csrf_token": token}
        boundary = "bench-" + secrets.token_hex(12)
        head, tail = _multipart_frame(boundary, fields, path.name)
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            started = time.perf_counter()
            connection.putrequest("POST", "/datasets/new")
            headers = self._headers(
                {
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Content-Length": str(len(head) + path.stat().st_size + len(tail)),
                }
            )
            for name_, value in headers.items():
                connection.putheader(name_, value)
            connection.endheaders()
            for chunk in _body(head, path, tail):
                connection.send(chunk)
            sent = time.perf_counter()
            reply = self._reply(connection.getresponse())
            answered = time.perf_counter()
        finally:
            connection.close()
        location = reply.headers.get("Location", "")
        if reply.status != 302 or not location.rstrip("/").split("/")[-1].isdigit():
            raise ClientError(f"upload refused: {reply.status} {reply.text[:500]}")
        dataset_id = int(urlsplit(location).path.rstrip("/").split("/")[-1])
        return UploadTiming(dataset_id, sent - started, answered - started)

    def job_of(self, dataset_id: int) -> int:
        found = JOB_URL_RE.search(self.get(f"/datasets/{dataset_id}").text)
        if not found:
            raise ClientError(f"dataset {dataset_id} shows no job")
        return int(found.group(2))


@dataclass(frozen=True)
class UploadTiming:
    dataset_id: int
    sent: float  # seconds until the last byte was sent
    answered: float  # seconds until the response (import and job start included)


def _multipart_frame(boundary: str, fields: dict[str, str], filename: str) -> tuple[bytes, bytes]:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    )
    return "".join(parts).encode(), f"\r\n--{boundary}--\r\n".encode()


def _body(head: bytes, path: Path, tail: bytes) -> Iterator[bytes]:
    yield head
    with path.open("rb") as source:
        while chunk := source.read(UPLOAD_CHUNK):
            yield chunk
    yield tail
