"""Counting requests per client without storing who the client is.

A client is its network (an IPv4 address or an IPv6 /64), and a counter's name is
a keyed hash of it (HMAC-SHA256 with the app's secret key, 128 bits): neither the
memory of a process nor Redis ever holds an address. Counts are kept per fixed
window (e.g. one minute) and forgotten after it.

The counts live in the memory of the process, or in Redis when ``SURVEY_REDIS_URL``
is set, so that several app servers share them. Each server process counting on
its own lets a client through up to the limit once per process: set Redis where
several processes serve and the limit must hold exactly.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Flask, current_app

#: The key under ``app.extensions`` of the app's counter store.
EXTENSION = "survey_throttle"


@dataclass(frozen=True)
class Count:
    """A counter after one more hit: the count in the window and the seconds it still runs."""

    hits: int
    resets_in: int


class CounterStore(Protocol):
    """Where counts are kept: the process's memory or Redis."""

    def hit(self, name: str, window_seconds: int, amount: int = 1) -> Count:
        """Add ``amount`` to the counter ``name`` in the current window; return the count."""
        ...

    def peek(self, name: str, window_seconds: int) -> Count:
        """Return the counter ``name`` in the current window, unchanged."""
        ...


def network_of(address: str | None) -> str:
    """Return what identifies a client: its IPv4 address or its IPv6 /64 network."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def keyed_hash(secret: str, purpose: str, value: str) -> str:
    """Return the HMAC-SHA256 of ``value`` for ``purpose`` under ``secret``, 128 bits in hex."""
    digest = hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def client_counter_name(purpose: str, address: str | None) -> str:
    """Return the name of ``purpose``'s counter of the client at ``address`` (a keyed hash)."""
    secret = str(current_app.config["SECRET_KEY"])
    return f"{purpose}:{keyed_hash(secret, purpose, network_of(address))}"


def counter_store(app: Flask | None = None) -> CounterStore:
    """Return the app's counter store (made on first use: Redis if configured, else memory)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.get(EXTENSION)
    if store is None:
        url = str(app.config.get("REDIS_URL") or "")
        store = RedisCounters(url) if url else MemoryCounters()
        app.extensions[EXTENSION] = store
    return store


class MemoryCounters:
    """Counters in this process's memory; windows past are dropped as time goes on."""

    def __init__(self, clock: Any = time.time) -> None:
        """Start with no counts; ``clock`` returns seconds (tests move it)."""
        self._clock = clock
        #: (name, window length, window index) -> hits
        self._counts: dict[tuple[str, int, int], int] = {}
        self._lock = threading.Lock()
        self._swept = 0.0

    def hit(self, name: str, window_seconds: int, amount: int = 1) -> Count:
        """Add ``amount`` to the counter ``name`` in the current window; return the count."""
        now = self._clock()
        window = int(now // window_seconds)
        with self._lock:
            self._sweep(now)
            key = (name, window_seconds, window)
            hits = self._counts.get(key, 0) + amount
            self._counts[key] = hits
        return Count(hits, _resets_in(now, window_seconds))

    def peek(self, name: str, window_seconds: int) -> Count:
        """Return the counter ``name`` in the current window, unchanged."""
        now = self._clock()
        with self._lock:
            hits = self._counts.get((name, window_seconds, int(now // window_seconds)), 0)
        return Count(hits, _resets_in(now, window_seconds))

    def _sweep(self, now: float) -> None:
        """Forget windows that have ended, at most once a second."""
        if now - self._swept < 1:
            return
        self._swept = now
        ended = [key for key in self._counts if (key[2] + 1) * key[1] <= now]
        for key in ended:
            del self._counts[key]


class RedisCounters:
    """Counters in Redis, shared by every server; each key expires with its window."""

    def __init__(self, url: str) -> None:
        """Connect lazily to the Redis at ``url``."""
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def hit(self, name: str, window_seconds: int, amount: int = 1) -> Count:
        """Add ``amount`` to the counter ``name`` in the current window; return the count.

        If Redis cannot be reached the count is 0 (logged): a limit never stops a venue
        because a cache is down.
        """
        import redis

        now = time.time()
        key = _redis_key(name, now, window_seconds)
        try:
            pipeline = self._redis.pipeline()
            pipeline.incrby(key, amount)
            pipeline.expire(key, window_seconds + 1)
            hits, _ = pipeline.execute()
        except redis.RedisError as error:
            current_app.logger.warning("request counters unavailable: %s", type(error).__name__)
            hits = 0
        return Count(int(hits), _resets_in(now, window_seconds))

    def peek(self, name: str, window_seconds: int) -> Count:
        """Return the counter ``name`` in the current window, unchanged (0 without Redis)."""
        import redis

        now = time.time()
        try:
            found = self._redis.get(_redis_key(name, now, window_seconds))
        except redis.RedisError as error:
            current_app.logger.warning("request counters unavailable: %s", type(error).__name__)
            found = None
        return Count(int(found or 0), _resets_in(now, window_seconds))  # type: ignore[arg-type]


def _redis_key(name: str, now: float, window_seconds: int) -> str:
    return f"survey:throttle:{name}:{window_seconds}:{int(now // window_seconds)}"


def _resets_in(now: float, window_seconds: int) -> int:
    return max(1, math.ceil(window_seconds - now % window_seconds))
