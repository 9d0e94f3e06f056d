"""Build a benchmark corpus of N distinct article files from a folder of real text.

Reads JSON lists (news briefs and articles: every string, or a dict's `input`), Markdown chapters,
SGML newswire (`<BODY>` of each `<REUTERS>` document) and plain `.txt`. Articles are composed from
paragraphs of one language, drawn with a seeded RNG, to about `target_chars` characters; every
article is distinct (a composition that repeats an earlier one is drawn again). The source folder
is only read: nothing of it is copied into the project.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_CJK = re.compile(r"[\u4e00-\u9fff]")
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_SGML_TAG = re.compile(r"<[^>]+>")
_TRADITIONAL_HINTS = frozenset("這們個說為與將從對於們會來發經過還當實動機關開間")
MIN_PARAGRAPH = 20


@dataclass
class Pools:
    """Paragraphs by language ("zh", "zh-Hant", "en")."""

    paragraphs: dict[str, list[str]] = field(default_factory=dict)

    def add(self, text: str) -> None:
        for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
            para = para.strip()
            if len(para) >= MIN_PARAGRAPH:
                self.paragraphs.setdefault(_language(para), []).append(para)

    @property
    def chars(self) -> int:
        return sum(len(p) for ps in self.paragraphs.values() for p in ps)


def _language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    if cjk < 0.2 * len(text):
        return "en"
    return "zh-Hant" if any(ch in _TRADITIONAL_HINTS for ch in text) else "zh"


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
    elif isinstance(value, dict):
        yield from _json_strings(value.get("input", list(value.values())))


def _texts(path: Path) -> Iterator[str]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        seen: set[str] = set()
        for text in _json_strings(json.loads(path.read_text(encoding="utf-8"))):
            if len(text) >= MIN_PARAGRAPH and text not in seen:  # one article is under several questions
                seen.add(text)
                yield text
    elif suffix == ".sgm":
        raw = path.read_bytes().decode("latin-1")
        for body in _BODY.findall(raw):
            yield html.unescape(_SGML_TAG.sub("", body)).replace("\x03", "")
    elif suffix in (".md", ".txt"):
        yield path.read_text(encoding="utf-8", errors="replace")


def load_pools(corpus: Path) -> Pools:
    pools = Pools()
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.suffix.lower() in (".json", ".sgm", ".md", ".txt") \
                and path.name.upper() not in ("SOURCE.MD", "README.TXT"):
            for text in _texts(path):
                pools.add(text)
    for paras in pools.paragraphs.values():
        paras[:] = list(dict.fromkeys(paras))
    return pools


def compose(rng: random.Random, pools: Pools, target_chars: int) -> tuple[str, str]:
    """One article: paragraphs of one language drawn at random until about `target_chars`."""
    languages = sorted(pools.paragraphs)
    weights = [len(pools.paragraphs[lang]) ** 0.5 for lang in languages]
    lang = rng.choices(languages, weights)[0]
    paras = pools.paragraphs[lang]
    parts: list[str] = []
    size = 0
    while size < target_chars:
        para = paras[rng.randrange(len(paras))]
        parts.append(para)
        size += len(para) + 2
    return lang, "\n\n".join(parts)[: int(target_chars * 1.25)]


def write_corpus(pools: Pools, out: Path, count: int, *, seed: int = 7, target_chars: int = 4000,
                 start: int = 0) -> list[Path]:
    """Write articles `start..count-1` to `out/NNNNNN.txt`; the same seed gives the same files."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    seen: set[bytes] = set()
    for i in range(start, count):
        rng = random.Random(f"{seed}-{i}")
        while True:
            _, text = compose(rng, pools, target_chars)
            digest = hashlib.sha256(text.encode()).digest()
            if digest not in seen:
                seen.add(digest)
                break
        path = out / f"{i // 1000:03d}" / f"{i:06d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def change_articles(pools: Pools, paths: list[Path], share: float, *, seed: int = 11,
                    target_chars: int = 4000) -> list[Path]:
    """Rewrite a share of the files with new compositions (what a rerun with changes reads)."""
    rng = random.Random(seed)
    chosen = rng.sample(paths, max(1, round(len(paths) * share)))
    for n, path in enumerate(chosen):
        _, text = compose(random.Random(f"changed-{seed}-{n}"), pools, target_chars)
        # A new file, not a rewrite: the raw folder's files are hard links to the corpus, which stays as built.
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return chosen
