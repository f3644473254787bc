"""Phones following a facilitator-paced workshop: each asks a URL every few seconds (asyncio).

Each phone starts at a random moment within its interval, keeps its connection (a new
one when the server closed it, as a browser does) and sends the ETag it was last
given (``If-None-Match``), as ``survey_app/static/paced.js`` does. Latencies count
from ``measured_from`` on; the client runs in a thread of its own.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Polls:
    """Latencies (ms, sorted) of the requests of one kind of poller, after the warm-up."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    reconnects: int = 0
    not_modified: int = 0

    def percentile(self, p: float) -> float:
        """Return the ``p`` quantile (0..1) of the latencies in ms (nearest rank)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, dict[bytes, bytes]]:
    """Send one GET on an open connection; return the status and headers (body read)."""
    writer.write(request)
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(b":") for line in lines[1:] if line)
    }
    length = int(headers.get(b"content-length", b"0"))
    if length and status != 304:
        await asyncio.wait_for(reader.readexactly(length), 30)
    return status, headers


async def _poller(
    port: int, path: str, every: float, until: float, measured_from: float, polls: Polls
) -> None:
    """Ask ``path`` every ``every`` s (as ``setInterval`` does) with the last ETag."""
    await asyncio.sleep(random.uniform(0, every))  # phones do not all start at once
    etag = b""
    reader = writer = None
    tick = time.perf_counter()
    while tick < until:
        extra = b"If-None-Match: " + etag + b"\r\n" if etag else b""
        request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode() + extra
                   + b"Accept-Encoding: gzip, br\r\n\r\n")  # fmt: skip
        began = time.perf_counter()
        try:
            if writer is None or reader is None or reader.at_eof():
                if writer is not None:
                    polls.reconnects += 1
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                status, headers = await _exchange(reader, writer, request)
            except (asyncio.IncompleteReadError, ConnectionError):
                # The server closed the kept-alive connection meanwhile: a browser
                # opens a new one and asks again, so does the phone here.
                polls.reconnects += 1
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                status, headers = await _exchange(reader, writer, request)
            if status not in (200, 304):
                raise OSError(f"status {status}")
            etag = headers.get(b"etag", etag)
            if began >= measured_from:
                polls.latencies.append((time.perf_counter() - began) * 1000)
                polls.not_modified += status == 304
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            polls.errors += 1
            writer = None
        tick += every
        await asyncio.sleep(max(0.0, tick - time.perf_counter()))
    if writer is not None:
        writer.close()


def in_background(port: int, jobs: list[tuple[str, float, int, Polls]], seconds: float,
                  warm_up: float) -> threading.Thread:  # fmt: skip
    """Run pollers in a thread of their own: (path, every s, how many, their ``Polls``)."""

    async def run() -> None:
        now = time.perf_counter()
        until, measured_from = now + seconds, now + warm_up
        await asyncio.gather(*(
            _poller(port, path, every, until, measured_from, polls)
            for path, every, count, polls in jobs for _ in range(count)
        ))  # fmt: skip

    thread = threading.Thread(target=asyncio.run, args=(run(),), daemon=True)
    thread.start()
    return thread
