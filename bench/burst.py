"""A burst of phones: each connects, posts one questionnaire and leaves (asyncio).

wrk keeps its connections and posts back to back, which measures throughput; by
Little's law its latency is then connections / rate, whatever the server. People
are different: 400 participants press "send" within a few seconds of each other,
each phone on a connection of its own. This opens ``clients`` connections at
uniformly random moments within ``seconds`` (an open loop: a slow answer does not
delay the next arrival), posts a plausible response on each, and measures from
connecting to the last byte of the answer. The client is light: a few hundred
requests over a few seconds.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass
class BurstResult:
    """Latencies (ms, sorted) and failures of one burst."""

    latencies: list[float]
    errors: int
    seconds: float

    def percentile(self, p: float) -> float:
        """Return the ``p`` quantile (0..1) of the latencies in ms (nearest rank)."""
        if not self.latencies:
            return float("nan")
        return self.latencies[min(len(self.latencies) - 1, int(p * len(self.latencies)))]


def bodies_from_lua(path: Path) -> list[str]:
    """Read the URL-encoded questionnaires of a bodies file written for wrk."""
    return [line.strip()[1:-2] for line in path.read_text().splitlines() if line.startswith('  "')]


async def post_at(
    port: int, request: bytes, start: float, results: list[float | None], status: bytes = b"200"
) -> None:
    """Send ``request`` on a connection of its own at ``start``; note the milliseconds to
    the last byte of an answer with ``status`` (None: another status, or none)."""
    await asyncio.sleep(max(0.0, start - time.perf_counter()))
    began = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request)
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )  # fmt: skip
        await asyncio.wait_for(reader.readexactly(length), 30)
        writer.close()
        ok = head.startswith(b"HTTP/1.1 " + status)
        results.append((time.perf_counter() - began) * 1000 if ok else None)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, StopIteration):
        results.append(None)


def burst(
    port: int, code: str, token: str, cookie: str, bodies: list[str], clients: int, seconds: float
) -> BurstResult:
    """Let ``clients`` phones post once each within ``seconds``; return the latencies."""
    rng = random.Random(secrets.randbits(32))
    requests = []
    for _ in range(clients):
        body = (f"csrf_token={token}&submission_id={uuid.uuid4()}&"
                f"{bodies[rng.randrange(len(bodies))]}").encode()  # fmt: skip
        head = (f"POST /j/{code} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()  # fmt: skip
        requests.append(head + body)

    async def run() -> list[float | None]:
        results: list[float | None] = []
        now = time.perf_counter()
        starts = sorted(now + rng.uniform(0, seconds) for _ in requests)
        pairs = zip(requests, starts, strict=True)
        await asyncio.gather(*(post_at(port, r, s, results) for r, s in pairs))
        return results

    began = time.perf_counter()
    results = asyncio.run(run())
    latencies = sorted(x for x in results if x is not None)
    return BurstResult(latencies, len(results) - len(latencies), time.perf_counter() - began)
