"""Raw files -> `Article` or `Rejected`: decode, strip HTML, read the sidecar, detect the language.

Nothing is silently lost: every file `listing` yields becomes exactly one `Article` or one
`Rejected` whose reason says what to fix.  Text offsets used downstream index `Article.text`,
i.e. the decoded text after BOM removal, newline normalisation and (for HTML) tag stripping.
"""

from .decoding import DecodeError, decode_bytes
from .files import (
    MAX_ARTICLE_BYTES,
    Listed,
    Refused,
    display_name,
    identify,
    listing,
    read_article,
    read_inside,
    real_path,
    sidecar_path,
)
from .html import strip_html
from .language import detect_language
from .sidecar import (
    LANGUAGE_ALIASES,
    LANGUAGES,
    MAX_META_CHARS,
    MAX_SIDECAR_BYTES,
    MAX_SIDECAR_DEPTH,
    META_FIELDS,
    MetaError,
    excerpt,
    parse_meta,
)

__all__ = [
    "LANGUAGES", "LANGUAGE_ALIASES", "MAX_ARTICLE_BYTES", "MAX_META_CHARS", "MAX_SIDECAR_BYTES", "MAX_SIDECAR_DEPTH",
    "META_FIELDS", "DecodeError", "Listed", "MetaError", "Refused", "decode_bytes", "detect_language", "display_name",
    "excerpt", "identify", "listing", "parse_meta", "read_article", "read_inside", "real_path", "sidecar_path",
    "strip_html",
]
