"""What a briefing PDF says about itself: its data hash and how to build it again.

The entries go into the PDF's document information (WeasyPrint writes them as
custom metadata; their names keep only letters and digits), where any PDF viewer
shows them and ``survey-app briefing verify`` reads them back: the data hash, the
scope (workshop ids, and the series slug for a series briefing), language,
template, breakdown, tables only, and k. A signature (HMAC-SHA256 with the server's
secret key over all of them) tells this server's briefings from others' and from
edited metadata.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: Prefix of every entry name.
PREFIX = "SurveyApp"
#: Bumped when the entries change meaning.
STAMP_FORMAT = "1"
#: The entry holding the signature.
SIGNATURE = f"{PREFIX}Signature"
#: Separates the signature's key use from any other use of the secret key.
SIGNATURE_CONTEXT = b"survey-app briefing stamp\0"


class NotABriefing(ValueError):
    """The file is no briefing of this server (no PDF, no stamp, another signature)."""


@dataclass(frozen=True)
class Stamp:
    """The data hash of a briefing and everything needed to build it again."""

    data_hash: str
    workshop_ids: tuple[int, ...]
    #: The series' slug when the briefing covers a whole series.
    series: str | None
    language: str
    template: str
    breakdown: str | None
    tables_only: bool
    k: int

    def entries(self, secret: str | bytes) -> dict[str, str]:
        """Return the metadata entries, signed with ``secret``."""
        fields = self._fields()
        return {**fields, SIGNATURE: _sign(fields, secret)}

    def _fields(self) -> dict[str, str]:
        return {
            f"{PREFIX}Format": STAMP_FORMAT,
            f"{PREFIX}DataHash": self.data_hash,
            f"{PREFIX}Workshops": ",".join(str(i) for i in self.workshop_ids),
            f"{PREFIX}Series": self.series or "",
            f"{PREFIX}Language": self.language,
            f"{PREFIX}Template": self.template,
            f"{PREFIX}Breakdown": self.breakdown or "",
            f"{PREFIX}TablesOnly": "yes" if self.tables_only else "no",
            f"{PREFIX}K": str(self.k),
        }

    @classmethod
    def from_entries(cls, entries: Mapping[str, str], secret: str | bytes) -> Stamp:
        """Return the stamp of signed ``entries`` (``NotABriefing`` if they are not ours)."""
        if entries.get(f"{PREFIX}Format") != STAMP_FORMAT:
            raise NotABriefing("it holds no briefing metadata of this program")
        try:
            stamp = cls(
                data_hash=entries[f"{PREFIX}DataHash"],
                workshop_ids=tuple(int(i) for i in entries[f"{PREFIX}Workshops"].split(",")),
                series=entries[f"{PREFIX}Series"] or None,
                language=entries[f"{PREFIX}Language"],
                template=entries[f"{PREFIX}Template"],
                breakdown=entries[f"{PREFIX}Breakdown"] or None,
                tables_only=entries[f"{PREFIX}TablesOnly"] == "yes",
                k=int(entries[f"{PREFIX}K"]),
            )
        except (KeyError, ValueError):
            raise NotABriefing("its briefing metadata are incomplete") from None
        signature = entries.get(SIGNATURE, "").encode("utf-8", "replace")  # any text
        if not hmac.compare_digest(signature, _sign(stamp._fields(), secret).encode()):
            raise NotABriefing("its signature is not this server's (or its metadata were edited)")
        return stamp


def read_stamp(path: Path, secret: str | bytes) -> Stamp:
    """Return the stamp of the briefing PDF at ``path`` (``OSError`` if it cannot be read)."""
    return Stamp.from_entries(pdf_entries(path.read_bytes()), secret)


def pdf_entries(pdf: bytes) -> dict[str, str]:
    """Return the document information entries of a PDF, names without their slash."""
    from pypdf import PdfReader

    try:
        info = PdfReader(io.BytesIO(pdf)).metadata
        if info is None:
            return {}
        return {str(name).lstrip("/"): str(info[name]) for name in info}
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file may fail anywhere
        raise NotABriefing(f"it is not a readable PDF ({type(exc).__name__})") from None


def _sign(fields: Mapping[str, str], secret: str | bytes) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    message = SIGNATURE_CONTEXT + json.dumps(fields, sort_keys=True).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]
