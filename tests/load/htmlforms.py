"""The forms on a page, as a browser would submit them: action, method and the fields with
their current values (hidden tokens included), so a tablet posts what the screen offers
instead of a hand-made copy that drifts when a template changes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin


@dataclass
class Form:
    action: str
    method: str
    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons
    selects: dict[str, list[str]] = field(default_factory=dict)  # name -> option values

    def data(self, **overrides: str) -> dict[str, str]:
        """The fields as posted (last value wins for repeated names), then the overrides."""
        out: dict[str, str] = {}
        for name, value in self.fields:
            out[name] = value
        out.update({k: v for k, v in overrides.items()})
        return out

    def value(self, name: str) -> str | None:
        for n, v in self.fields:
            if n == name:
                return v
        return None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], str | None] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        if tag == "form":
            self._form = Form(action=attrs.get("action", ""), method=attrs.get("method", "get").lower(),
                              attrs=attrs)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form.fields.append((name, attrs.get("value", "on")))
            elif kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit":
                    form.buttons.append((name, attrs.get("value", "")))
            else:
                form.fields.append((name, attrs.get("value", "")))
        elif tag == "button" and name:
            if attrs.get("type", "submit").lower() == "submit":
                form.buttons.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, [], None)
        elif tag == "option" and self._select is not None:
            sel_name, values, chosen = self._select
            value = attrs.get("value", "")
            values.append(value)
            if "selected" in attrs:
                chosen = value
            self._select = (sel_name, values, chosen)
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, values, chosen = self._select
            if self._form is not None:
                self._form.selects[name] = values
                if chosen is None and values:
                    chosen = values[0]
                if chosen is not None:
                    self._form.fields.append((name, chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            if self._form is not None:
                self._form.fields.append((name, "".join(parts).lstrip("\n")))
            self._textarea = None


def forms(html: str, page_url: str = "") -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        form.action = urljoin(page_url, form.action) if page_url else form.action
    return parser.forms


def find(html: str, action: str | re.Pattern[str], page_url: str = "",
         method: str = "post") -> Form | None:
    """The first form of this method whose action path ends with `action` (or matches
    the pattern)."""
    for form in forms(html, page_url):
        if form.method != method:
            continue
        path = re.sub(r"^[a-z]+://[^/]+", "", form.action).split("?")[0]
        if isinstance(action, re.Pattern):
            if action.search(path):
                return form
        elif path.endswith(action):
            return form
    return None


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str | None:
    m = CSRF_RE.search(html)
    return (m.group(1) or m.group(2)) if m else None


def ids(html: str, pattern: str) -> list[int]:
    """Every distinct number a pattern with one group finds, in page order."""
    seen: dict[int, None] = {}
    for m in re.finditer(pattern, html):
        seen[int(m.group(1))] = None
    return list(seen)
