"""Every page that shows hostile input, in headless Chromium: the payloads stay text.

The pages come from the app in this process (Playwright's request routing answers
every request of the page from a Flask test client, headers and all, so the real
Content-Security-Policy applies). On each page: no dialog opened, no CSP violation
reported, no request left the site, no script error, no element or attribute that
the payloads could have made, and the payloads are visible as text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from werkzeug.datastructures import MultiDict

from .helpers import open_form
from .hostile import HostileWorld, hostile_answers, submit_hostile
from .support.timeouts import scaled_ms

ORIGIN = "http://survey.test"
SHOWN = "<script>alert(1)</script>"  # the questionnaire's and the workshop's title
#: Collects CSP violations before any page script runs (init scripts are not subject to CSP).
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
#: Elements and attributes the payloads would create if they became markup.
INJECTED = """
() => {
  const found = [];
  const ours = (url) => !url || url.startsWith('/') || url.startsWith(location.origin + '/')
    || url.startsWith('http://localhost/');  // links the app wrote for the test client's host
  const urls = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background',
    'poster', 'lowsrc', 'dynsrc'];
  const banned = ['IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'APPLET', 'BASE',
    'MARQUEE', 'KEYGEN', 'ISINDEX', 'TEMPLATE', 'AUDIO', 'VIDEO', 'PICTURE',
    'MATH', 'DETAILS', 'X', 'FOREIGNOBJECT', 'ANIMATE'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toUpperCase();
    if (banned.includes(tag)) found.push(tag);
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc' || name === 'formaction') found.push(tag + ' ' + name);
      if (urls.includes(name) && /^\\s*(javascript|vbscript|data:text)/i.test(a.value)) found.push(tag + ' ' + name + '=' + a.value);
    }
    if (tag === 'SCRIPT' && !(el.src && ours(el.src))) found.push('inline SCRIPT');
    if (tag === 'META' && el.httpEquiv) found.push('META http-equiv');
    if (tag === 'LINK' && !ours(el.href) && el.getAttribute('href') !== 'data:,') found.push('LINK ' + el.href);
    if (tag === 'IMG' && !ours(el.src) && !el.src.startsWith('data:')) found.push('IMG ' + el.src);
    if (tag === 'A' && el.getAttribute('href') && !ours(el.href) && !el.href.startsWith('mailto:')) found.push('A ' + el.href);
    if (tag === 'FORM' && !ours(el.action)) found.push('FORM ' + el.action);
    if (tag === 'STYLE' && /evil\\.example|169\\.254|file:|javascript|expression\\(|80px/i.test(el.textContent)) found.push('STYLE');
    if (el.getAttribute && /80px|red/.test(el.getAttribute('style') || '')) found.push(tag + ' style');
  }
  return found;
}
"""


@dataclass
class Visit:
    """What a page did in the browser."""

    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    injected: list[str] = field(default_factory=list)
    text: str = ""


def visit(
    browser, world: HostileWorld, path: str, canned: dict[str, tuple[int, dict, bytes]]
) -> Visit:
    """Open ``path`` in a fresh tab; answer its requests from the app; watch everything."""
    participant = world.app.test_client()
    seen = Visit()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.add_init_script(WATCH)
    page.on("dialog", lambda dialog: (seen.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: seen.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))

    def answer(route) -> None:
        request = route.request
        url = request.url
        if not url.startswith(ORIGIN + "/"):
            seen.outside.append(url)
            route.abort()
            return
        parts = urlsplit(url)
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if local in canned:
            status, headers, body = canned[local]
        else:
            client = participant if parts.path.startswith("/j") else world.staff
            response = client.open(local, method=request.method, data=request.post_data_buffer)
            status, headers, body = response.status_code, dict(response.headers), response.data
        route.fulfill(status=status, headers=headers, body=body)

    page.route("**/*", answer)
    page.goto(ORIGIN + path, wait_until="load")
    if page.query_selector("[data-role=dashboard]"):
        if "/present" in path:
            page.keyboard.press("ArrowRight")  # from the join slide to the first question
        page.wait_for_selector(".main-svg", timeout=scaled_ms(15))
    page.wait_for_timeout(300)
    seen.violations = page.evaluate("window.__violations")
    seen.injected = page.evaluate(INJECTED)
    seen.text = page.evaluate("document.body.innerText")
    context.close()
    return seen


def canned_pages(world: HostileWorld) -> dict[str, tuple[int, dict, bytes]]:
    """Pages that need a POST first: a thank-you page and forms shown again with errors."""
    pages = {}
    thanks = submit_hostile(world, 1, world.payloads[1])
    pages["/canned/thanks"] = (thanks.status_code, dict(thanks.headers), thanks.data)
    for number in (0, 3, 97, 150, 280):  # numbers and an over-long "other": shown again
        payload = world.payloads[number]
        client = world.app.test_client()
        fields = open_form(client, world.code)
        answers = [
            (k, payload if k in ("q.members", "q.org.other") else v)
            for k, v in hostile_answers(number, payload)
        ]
        again = client.post(f"/j/{world.code}", data=MultiDict([*fields.items(), *answers]))
        assert again.status_code == 422, number
        pages[f"/canned/invalid-{number}"] = (422, dict(again.headers), again.data)
    return pages


def paths(world: HostileWorld) -> list[str]:
    """Every page that shows payloads."""
    w, s, c = world.workshop_id, world.series_id, world.code
    return [
        f"/j/{c}", f"/j/{c}?lang=ar", f"/j/{c}/results", "/canned/thanks",
        "/canned/invalid-0", "/canned/invalid-3", "/canned/invalid-97", "/canned/invalid-150",
        "/canned/invalid-280", "/workshops", f"/series/{s}", f"/workshops/{w}",
        f"/workshops/{w}/edit", f"/workshops/{w}/live", f"/workshops/{w}/live?scope=series",
        f"/workshops/{w}/present", f"/workshops/{w}/texts", f"/workshops/{w}/poster",
        f"/series/{s}/members",
    ]  # fmt: skip


def test_no_payload_runs_or_fetches_on_any_page(browser, hostile_sqlite):
    world = hostile_sqlite
    canned = canned_pages(world)
    problems = {}
    for path in paths(world):
        seen = visit(browser, world, path, canned)
        csp = [
            line for line in seen.console if "Content Security Policy" in line or "Refused" in line
        ]
        found = {
            "dialogs": seen.dialogs, "csp": seen.violations + csp, "outside": seen.outside,
            "errors": seen.errors, "injected": seen.injected,
            "title not shown as text": [] if SHOWN in seen.text or "thanks" in path else [path],
        }  # fmt: skip
        found = {key: value for key, value in found.items() if value}
        if found:
            problems[path] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)[:6000]
