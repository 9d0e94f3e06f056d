"""An HTML page -> the text a reader sees (scripts, styles and markup dropped, blocks on lines of their own)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)
_BODY_TAG = re.compile(r"<body[\s>]", re.IGNORECASE)
_P_TAG = re.compile(r"<p[\s>]", re.IGNORECASE)
_BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol", "table", "section",
    "article", "header", "footer", "main", "nav", "aside", "blockquote", "pre", "hr", "dt", "dd", "dl",
    "figure", "figcaption", "form", "title", "address",
))
_CELL_TAGS = frozenset(("td", "th"))
_SKIP_TAGS = frozenset(("script", "style", "head", "noscript", "template"))
_CJK_CLASS = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_LINE_BREAK = re.compile(rf"(?<=[{_CJK_CLASS}])[ \t]*\n\s*(?=[{_CJK_CLASS}])")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        # convert_charrefs=True makes the parser run html.unescape over every text chunk.
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
            if tag == "pre":
                self._pre += 1
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if not self._pre:
            # Source line breaks inside a paragraph are not text; between two CJK characters
            # they must vanish rather than become a space.
            data = _CJK_LINE_BREAK.sub("", data)
            data = re.sub(r"\s+", " ", data)
        self.parts.append(data)


def _looks_like_html(text: str) -> bool:
    if _HTML_START.match(text) or _BODY_TAG.search(text):
        return True
    paragraphs = len(_P_TAG.findall(text))
    lines = sum(1 for line in text.splitlines() if line.strip())
    return paragraphs >= 2 and paragraphs >= 0.5 * lines


_HTML_DOCTYPE = re.compile(r"<!doctype[^>]*>", re.IGNORECASE)
_HTML_DECLARATION = re.compile(r"<!(?!--)")


def _html_text(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def strip_html(text: str) -> str | None:
    """Plain text of an HTML page (scripts, styles and head dropped; blocks become lines), or None."""
    if not _looks_like_html(text):
        return None
    try:
        parts = _html_text(text)
    except AssertionError:
        # html.parser asserts on a malformed declaration (`<![;`, `<!ELEMENT<`) and would stop the run on
        # one bad page: read the page again with its declarations other than comments as text.
        parts = _html_text(_HTML_DECLARATION.sub("&lt;!", _HTML_DOCTYPE.sub("", text)))
    lines = [line.strip() for line in parts.split("\n")]
    plain = "\n".join(lines)
    plain = re.sub(r"\n{3,}", "\n\n", plain)
    return plain.strip()
