"""The rule data files, loaded once: analysts edit the TOML, never this code."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import scanning

DATA_FILES = ("lexicon.toml", "currencies.toml", "entities.toml", "metrics.toml", "rates.toml", "regions.toml",
              "organisations.toml")


@cache
def load(name: str) -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("data", name).read_text("utf-8"))


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation that tries longer words first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def trie_alternation(words: list[str] | tuple[str, ...]) -> str:
    """alternation(words) as a prefix tree, for a pattern that does not ignore case. The words that match at one
    position are each a prefix of the next, and both try the longest of them first, so they match (and backtrack)
    alike; but `re` compares each branch's first character, not every word's, at each position it tries."""
    return _branches(_trie(words))


def _trie(words: list[str] | tuple[str, ...]) -> dict:
    """The words as nested dicts by character; a word's last node holds the word under _END."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = word
    return trie


def _branches(node: dict) -> str:
    branches = []
    for ch, child in sorted((ch, child) for ch, child in node.items() if ch != _END):
        rest = _branches(child)
        branches.append(re.escape(ch) + (f"(?:{rest})" if len(child) > 1 else rest))  # several ways on: a group
    if _END in node:
        branches.append("")  # a word ends here: tried after every longer one
    return "|".join(branches)


def data_bytes() -> bytes:
    """Every rule file's bytes, for the extractor version."""
    return b"".join(resources.files(__package__).joinpath("data", n).read_bytes() for n in DATA_FILES)


@cache
def word_table(section: str, lang: str) -> dict[str, str]:
    """word -> label for a `[section.lang]` table of label = [words]."""
    table = load("lexicon.toml")[section][lang]
    return {w: label for label, words in table.items() for w in words}


@cache
def currency_words() -> dict[str, str]:
    return dict(load("currencies.toml")["words"])


@cache
def currency_symbols() -> dict[str, str]:
    return dict(load("currencies.toml")["symbols"])


@cache
def currency_english() -> dict[str, str]:
    return dict(load("currencies.toml")["english"])


@cache
def currency_english_subunits() -> dict[str, tuple[str, float]]:
    return {w: (code, float(factor)) for w, (code, factor) in load("currencies.toml")["english_subunits"].items()}


@dataclass(frozen=True, slots=True)
class Entity:
    key: str
    type: str
    aliases: tuple[str, ...]


@cache
def entities() -> tuple[Entity, ...]:
    return tuple(
        Entity(key, spec["type"], tuple(spec["aliases"])) for key, spec in load("entities.toml").items()
    )


@cache
def entity_pattern() -> tuple[re.Pattern[str], dict[str, Entity]]:
    """One regex over every alias (longest first) and alias -> entity."""
    by_alias = {alias: e for e in entities() for alias in e.aliases}
    # ASCII aliases must not match inside longer words (HK in HKMA, BEA in BEAT) or currency signs (HK$).
    return re.compile(_trie_pattern(list(by_alias))), by_alias


@cache
def entity_scan() -> scanning.WordScan:
    """entity_pattern's regex, split for a faster scan of English text (scanning.word_matches)."""
    pattern, by_alias = entity_pattern()
    return _split_scan(pattern, list(by_alias))


def trie_scan(words: list[str]) -> scanning.WordScan:
    """trie_pattern(words), with the words that open with a lower-case ASCII letter apart (scanning.WordScan)."""
    return _split_scan(re.compile(_trie_pattern(words)), words)


def _split_scan(pattern: re.Pattern[str], words: list[str]) -> scanning.WordScan:
    lower = [w for w in words if w[:1].isascii() and w[:1].islower()]
    rest = [w for w in words if not (w[:1].isascii() and w[:1].islower())]
    return scanning.word_scan(pattern, _trie_pattern(lower), _trie_pattern(rest),
                              _trie_pattern([w for w in rest if w.isascii()]))


_END = ""


def trie_pattern(words: list[str]) -> str:
    """A regex matching the longest of the words at each position, as a prefix tree (ASCII words whole)."""
    return _trie_pattern(words)


def _trie_pattern(aliases: list[str]) -> str:
    """The aliases as a prefix tree: the same match as a longest-first alternation (at each position
    the longest alias whose guards hold), but `re` steps through one branch instead of trying each alias."""
    trie = _trie(aliases)
    # The guard before an ASCII alias looks back past its first letter, so that every branch starts
    # with a literal and `re` can skip ahead to the next possible first character.
    return "|".join(
        re.escape(ch) + (r"(?<![A-Za-z0-9].)" if ch.isascii() and ch.isalnum() else "") + _subtree(child)
        for ch, child in sorted(trie.items())
    )


def _subtree(node: dict) -> str:
    branches = [re.escape(ch) + _subtree(child) for ch, child in sorted(node.items()) if ch != _END]
    if _END in node:
        alias = node[_END]
        branches.append(r"(?![A-Za-z0-9$])" if alias[-1].isascii() and alias[-1].isalnum() else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


@cache
def currency_subunits() -> dict[str, tuple[str, float]]:
    return {w: (code, float(factor)) for w, (code, factor) in load("currencies.toml")["subunits"].items()}
