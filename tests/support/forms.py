"""What a browser would send if the user pressed "send" on a page's form again."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collect the successful controls of the first ``<form method="post">``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self.in_form = False
        self.done = False
        self.textarea: str | None = None
        self.text: list[str] = []
        self.select: str | None = None
        self.option: tuple[str, bool] | None = None
        self.option_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and not self.done and found.get("method", "").lower() == "post":
            self.in_form = True
        if not self.in_form:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            if kind not in ("submit", "button", "image", "reset", "file"):
                self.pairs.append((name, found.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            self.option, self.option_text = (found.get("value", ""), "selected" in found), []

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)
        if self.option is not None:
            self.option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea is not None:
            text = "".join(self.text)
            # HTML drops one newline right after <textarea>.
            self.pairs.append((self.textarea, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "option" and self.option is not None:
            if self.option[1] and self.select:
                self.pairs.append((self.select, self.option[0]))
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def resubmitted_fields(html: str) -> list[tuple[str, str]]:
    """Return the (name, value) pairs a browser would post from the page's form."""
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    return reader.pairs
