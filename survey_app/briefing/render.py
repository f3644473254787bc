"""Template folders, Jinja (sandboxed, autoescaped) and WeasyPrint with the locked fetcher.

Fonts: the print CSS names font families ("Noto Sans", "Noto Sans Arabic",
"DejaVu Sans"); WeasyPrint finds them through fontconfig among the installed
system fonts (Debian ``fonts-noto-core``) and embeds the glyphs it uses. No font
file is fetched, so the URL fetcher can stay locked to the template folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from survey_app.briefing.fetcher import LockedFetcher
from survey_app.briefing.pdf_tags import complete_tags

LOGGER = logging.getLogger(__name__)
#: The template every folder must have.
MAIN_TEMPLATE = "briefing.html"
#: The default template folder under ``reports/``.
DEFAULT_TEMPLATE = "briefing"
#: Template folder names: a slug, so that a name can never leave ``reports/``.
TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: A ``<blockquote>`` start tag and its ``lang`` attribute (autoescaped, so no ``>`` inside).
BLOCKQUOTE = re.compile(r"<blockquote\b([^>]*)>")
LANG_ATTRIBUTE = re.compile(r'\blang="([^"]*)"')
#: Bumped when the code that fills templates changes what it gives them.
CONTEXT_FORMAT = 3
#: Templates every folder may use as ``shared/<name>``: the table layout that the
#: dashboard and the participants' results page use too (read-only, part of the code).
SHARED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "shared"


class BriefingTemplateError(ValueError):
    """The asked template folder does not exist or is not a briefing template."""


def reports_root(configured: str | None = None) -> Path:
    """Return the ``reports/`` folder: configured, else beside the code or in the cwd."""
    configured = configured or os.environ.get("SURVEY_REPORTS_PATH")
    if configured:
        return Path(configured)
    beside_code = Path(__file__).resolve().parent.parent.parent / "reports"
    if beside_code.is_dir():
        return beside_code
    return Path.cwd() / "reports"


def template_folder(name: str, root: Path) -> Path:
    """Return the resolved folder of template ``name`` under ``root``."""
    if not TEMPLATE_NAME.match(name):
        raise BriefingTemplateError(f"'{name}' is not a template name (use a folder name)")
    folder = (root / name).resolve()
    if not (folder / MAIN_TEMPLATE).is_file():
        known = sorted(p.name for p in root.glob(f"*/{MAIN_TEMPLATE}") if p.is_file())
        choices = ", ".join(p for p in (Path(k).parent.name for k in known)) or "none"
        raise BriefingTemplateError(
            f"no briefing template '{name}' in {root} (a folder with {MAIN_TEMPLATE}; "
            f"found: {choices})"
        )
    return folder


def folder_hash(folder: Path) -> str:
    """Return a hash of every file of a template folder (an edit invalidates caches)."""
    digest = hashlib.sha256(f"context:{CONTEXT_FORMAT}".encode())
    for root, prefix in ((folder, ""), (SHARED_TEMPLATES, "shared/")):
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                digest.update(f"{prefix}{path.relative_to(root)}".encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def css_string(value: Any) -> Markup:
    """Quote ``value`` as a CSS string (for page headers written in templates).

    Anything but letters, digits and plain punctuation becomes a CSS escape, so the
    result can neither end the string nor the ``<style>`` element.
    """
    text = str(value)
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:!?()-–%/" else f"\\{ord(ch):x} " for ch in text
    )
    return Markup(f'"{escaped}"')


def template_environment(folder: Path) -> SandboxedEnvironment:
    """Return the Jinja environment of a template folder: sandboxed, autoescaped."""
    environment = SandboxedEnvironment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(folder)),
                PrefixLoader({"shared": FileSystemLoader(str(SHARED_TEMPLATES))}),
            ]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["css_string"] = css_string
    return environment


def render_html(folder: Path, context: dict[str, Any]) -> str:
    """Render the folder's ``briefing.html`` with ``context``."""
    return template_environment(folder).get_template(MAIN_TEMPLATE).render(**context)


@dataclass
class RenderedPdf:
    """A rendered PDF, its page count, and what the fetcher refused."""

    pdf: bytes
    pages: int
    refused: list[str] = field(default_factory=list)


def render_pdf(html: str, folder: Path, metadata: Mapping[str, str] | None = None) -> RenderedPdf:
    """Lay out ``html`` with WeasyPrint as a tagged PDF (PDF/UA-1); fetch only locally.

    Header cells get their ``/Scope`` afterwards (``pdf_tags.complete_tags``).

    Relative URLs resolve inside ``folder``; the fetcher serves ``data:`` URLs
    and files inside ``folder`` and refuses (and logs) everything else. ``metadata``
    become custom entries of the PDF's document information (names: letters and
    digits); the template's own ``<meta>`` names never do.
    """
    from weasyprint import HTML

    fetcher = LockedFetcher(folder)
    document = HTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=fetcher).render(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
    document.metadata.custom = dict(metadata or {})
    pdf = document.write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=bool(document.metadata.custom)
    )
    pdf = complete_tags(pdf, quote_languages(html))
    if fetcher.refused:
        LOGGER.warning(
            "briefing: %d resource(s) refused: %s", len(fetcher.refused), fetcher.refused
        )
    return RenderedPdf(pdf, len(document.pages), list(fetcher.refused))


def quote_languages(html: str) -> list[str]:
    """Return the ``lang`` of each ``<blockquote>`` of ``html`` in order ("" if none)."""
    found = []
    for attributes in BLOCKQUOTE.findall(html):
        language = LANG_ATTRIBUTE.search(attributes)
        found.append(language.group(1) if language else "")
    return found
