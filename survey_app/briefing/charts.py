"""Plotly figures to SVG (or PNG) through Kaleido: one warm browser per process, cached.

Kaleido drives a headless Chromium (Debian package ``chromium``). The browser is
started once per process, lazily, the first time a chart is missing from the
caches, and then reused (``kaleido.start_sync_server``). Exports are cached by a
hash of the figure JSON and the export options: in this process (LRU) and on
disk in ``<instance>/svg-cache/``, so an unchanged chart never reaches the
browser again. Figures needing text shaping (Arabic, Hebrew, ...) come out as
PNG, because WeasyPrint lays out SVG text letter by letter (see ``figures``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Where Debian installs Chromium.
DEFAULT_BROWSER = "/usr/bin/chromium"
#: How to get Chromium on Debian and Ubuntu.
INSTALL_HINT = (
    "install it with `apt-get install chromium` (or set SURVEY_BROWSER_PATH to a "
    "Chromium or Chrome binary), or build the briefing with --tables-only"
)
#: Browser tabs rendering at once; each export reloads its tab, so two overlap well.
TABS = 2
#: Seconds to wait for the browser before giving up on a batch.
TIMEOUT = 180
#: Exports kept in memory per process.
LRU_SIZE = 256
#: Bumped when the export itself changes, so old cache files are not reused.
EXPORT_FORMAT = 1


class ChartExportError(RuntimeError):
    """Charts could not be drawn (no browser, or the browser failed)."""


@dataclass(frozen=True)
class ChartRequest:
    """One figure to export, with its size in CSS pixels and the image format."""

    figure: dict[str, Any]
    width: int
    height: int
    format: str = "svg"  # "svg" or "png"
    scale: float = 1.0

    @property
    def key(self) -> str:
        """Return the cache key: a hash of the figure JSON and the export options."""
        payload = json.dumps(
            [EXPORT_FORMAT, self.figure, self.width, self.height, self.format, self.scale],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def media_type(self) -> str:
        """Return the MIME type of the exported image."""
        return "image/svg+xml" if self.format == "svg" else "image/png"


def browser_path(configured: str | None = None) -> str | None:
    """Return the browser to use: the configured one, else Debian's Chromium if present."""
    configured = configured or os.environ.get("SURVEY_BROWSER_PATH") or ""
    if configured:
        return configured
    return DEFAULT_BROWSER if os.path.exists(DEFAULT_BROWSER) else None


def require_browser(configured: str | None = None) -> str:
    """Return a usable browser path or raise ``ChartExportError`` saying how to get one."""
    path = browser_path(configured)
    if path is None:
        raise ChartExportError(f"Chromium is needed to draw the charts: {INSTALL_HINT}.")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise ChartExportError(f"no browser at {path}: {INSTALL_HINT}.")
    return path


class _Server:
    """The process's one Kaleido browser, started on first use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = False
        self.broken: str | None = None

    def export(self, requests: Sequence[ChartRequest], browser: str | None) -> list[bytes]:
        """Export ``requests`` in one batch (tabs work in parallel); return the bytes."""
        with self.lock:  # Kaleido's sync server answers one caller at a time
            if self.broken:
                raise ChartExportError(self.broken)
            if not self.started:
                self._start(require_browser(browser))
            with tempfile.TemporaryDirectory(prefix="survey-charts-") as folder:
                jobs = [
                    {
                        "fig": request.figure,
                        "path": Path(folder) / f"{index}.{request.format}",
                        "opts": {
                            "format": request.format,
                            "width": request.width,
                            "height": request.height,
                            "scale": request.scale,
                        },
                    }
                    for index, request in enumerate(requests)
                ]
                self._call(lambda: _write_figures(jobs))
                return [Path(str(job["path"])).read_bytes() for job in jobs]

    def _start(self, browser: str) -> None:
        import kaleido

        # choreographer looks for the browser here; we also pass the path directly.
        os.environ["BROWSER_PATH"] = browser
        kaleido.start_sync_server(n=TABS, mathjax=False, path=browser, silence_warnings=True)
        self.started = True

    def _call(self, work: Callable[[], None]) -> None:
        """Run ``work`` with a deadline: a dead browser would otherwise block forever."""
        failure: list[BaseException] = []

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                failure.append(exc)

        worker = threading.Thread(target=run, name="briefing-charts", daemon=True)
        worker.start()
        worker.join(TIMEOUT)
        if worker.is_alive():
            self.broken = (
                f"the browser did not answer within {TIMEOUT} s; restart the process "
                f"(is Chromium working? {INSTALL_HINT})"
            )
            raise ChartExportError(self.broken)
        if failure:
            raise ChartExportError(f"the browser could not draw a chart: {failure[0]}")


def _write_figures(jobs: list[dict[str, Any]]) -> None:
    import kaleido

    kaleido.write_fig_from_object_sync(jobs, cancel_on_error=True)


_SERVER = _Server()


class ChartCache:
    """Exported images by ``ChartRequest.key``: an in-process LRU over a folder on disk."""

    def __init__(self, folder: Path | None, size: int = LRU_SIZE) -> None:
        self.folder = folder
        self.size = size
        self.memory: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, request: ChartRequest) -> bytes | None:
        """Return the cached export of ``request``, or None."""
        key = request.key
        with self.lock:
            if key in self.memory:
                self.memory.move_to_end(key)
                return self.memory[key]
        path = self._path(request)
        if path is not None and path.is_file():
            data = path.read_bytes()
            self._remember(key, data)
            return data
        return None

    def put(self, request: ChartRequest, data: bytes) -> None:
        """Keep ``data`` as the export of ``request`` (the file is written atomically)."""
        self._remember(request.key, data)
        path = self._path(request)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_bytes(data)
        temporary.replace(path)

    def _remember(self, key: str, data: bytes) -> None:
        with self.lock:
            self.memory[key] = data
            self.memory.move_to_end(key)
            while len(self.memory) > self.size:
                self.memory.popitem(last=False)

    def _path(self, request: ChartRequest) -> Path | None:
        if self.folder is None:
            return None
        key = request.key
        return self.folder / key[:2] / f"{key}.{request.format}"


_CACHES: dict[str, ChartCache] = {}


def chart_cache(folder: Path | None) -> ChartCache:
    """Return the process's cache for ``folder`` (one LRU per folder)."""
    name = str(folder)
    if name not in _CACHES:
        _CACHES[name] = ChartCache(folder)
    return _CACHES[name]


@dataclass
class ExportReport:
    """How many charts came from the caches and how many the browser drew."""

    cached: int = 0
    drawn: int = 0


def export_charts(
    requests: Sequence[ChartRequest],
    cache: ChartCache,
    browser: str | None = None,
    report: ExportReport | None = None,
) -> list[bytes]:
    """Return the image of every request: cached ones at once, the rest in one batch."""
    results: list[bytes | None] = [cache.get(request) for request in requests]
    missing = [index for index, data in enumerate(results) if data is None]
    if missing:
        drawn = _SERVER.export([requests[index] for index in missing], browser)
        for index, data in zip(missing, drawn, strict=True):
            cache.put(requests[index], data)
            results[index] = data
    if report is not None:
        report.cached += len(requests) - len(missing)
        report.drawn += len(missing)
    return [data for data in results if data is not None]
