"""The raw folder -> entries, and an entry -> Article or Rejected, reading nothing outside the folder."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..records import Article, ArticleMeta, Rejected
from ..vocabulary import Stage
from .decoding import DecodeError, decode_bytes
from .html import strip_html
from .language import detect_language
from .sidecar import MAX_SIDECAR_BYTES, MetaError, parse_meta

MAX_ARTICLE_BYTES = 20 * 1024 * 1024



def display_name(name: str) -> str:
    r"""A file name as text a table, a terminal and a Markdown cell can show: itself, unless it is not valid
    UTF-8 (each byte that is not shows as `\xNN`: a GBK name `新闻.txt` shows as `\xd0\xc2\xce\xc5.txt`) or
    holds characters that do not print (controls, line and paragraph separators, bidi overrides: escaped,
    `\n`, `\x1b`, `\u202e`). Spaces of every kind stay."""
    if name.isprintable():  # nearly every name: no surrogate (a byte that is not UTF-8) nor control in it
        return name
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Zs"
                   else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _display_names(names: list[str]) -> dict[str, str]:
    """Display name -> real name of a folder's entries, one to one: a name that `display_name` leaves alone
    shows as itself; another as `display_name` shows it, with `~2`, `~3`… added if that is taken."""
    shown: dict[str, str] = {}
    odd: list[tuple[bytes, str, str]] = []
    for name in names:
        display = display_name(name)
        if display == name:
            shown[name] = name
        else:
            odd.append((os.fsencode(name), display, name))
    for _, display, name in sorted(odd):
        candidate, n = display, 1
        while candidate in shown:
            n += 1
            candidate = f"{display}~{n}"
        shown[candidate] = name
    return shown


@lru_cache(maxsize=4)
def _folder_display_names(folder: str, inode: int, mtime_ns: int) -> dict[str, str]:
    """`_display_names` of a folder, listed once while it is unchanged (its inode and mtime are the key): a
    batch of many names that are not UTF-8 in one big folder lists it once, not once per file."""
    return _display_names(os.listdir(folder))


def real_path(raw_root: Path, source_path: str) -> Path:
    """The file a `source_path` (as `listing` shows it) names: itself, unless a part of it is the display
    name of a name `display_name` escapes (every such display holds a backslash)."""
    path = raw_root / source_path
    if "\\" not in source_path or os.path.lexists(path):
        return path
    real = raw_root
    for part in source_path.split("/"):
        candidate = real / part
        if not os.path.lexists(candidate):
            try:
                st = os.stat(real)
                name = _folder_display_names(str(real), st.st_ino, st.st_mtime_ns).get(part)
            except OSError:
                return path
            if name is None:
                return path
            candidate = real / name
        real = candidate
    return real


def _plain_relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _relative(path: Path, root: Path) -> str:
    """The path relative to the root as text a table can hold (each name as `display_name` shows it)."""
    return "/".join(map(display_name, _plain_relative(path, root).split("/")))


def _rejected(source_path: str, stage: Stage, check: str, reason: str, values: dict | None = None) -> Rejected:
    encoded = json.dumps(values, ensure_ascii=False) if values else None
    return Rejected(source_path, stage.value, check, reason, encoded)  # a plain str: Polars reads an enum as pl.Enum


def _os_reason(exc: OSError) -> str:
    return f"{exc.strerror or exc} (errno {exc.errno})" if exc.errno is not None else str(exc)


def sidecar_path(path: Path) -> Path:
    """`a.zh-Hans.txt` -> `a.zh-Hans.meta.json`: the file's name without its last suffix."""
    return path.with_name(f"{path.stem}.meta.json")


def identify(text: str) -> tuple[str, str]:
    """(article_id, content_sha256) of a decoded text: the same article in any encoding is one id."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest[:16], digest


class Refused(Exception):  # noqa: N818 - a verdict, not a failure of the code
    """A raw file (or sidecar) that is not read: `check` and `reason` go to the quarantine table."""

    def __init__(self, check: str, reason: str, values: dict | None = None) -> None:
        super().__init__(reason)
        self.check = check
        self.reason = reason
        self.values = values


_O_PATH = getattr(os, "O_PATH", 0)
_O_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_PROC_FD = Path("/proc/self/fd")
_HAVE_PROC_FD = _PROC_FD.is_dir()
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _opened_path(fd: int, path: Path) -> str | None:
    """Where an open fd really is: /proc's link, or (without /proc) the real path if it is the same file."""
    if _HAVE_PROC_FD:
        try:
            return os.readlink(_PROC_FD / str(fd))
        except OSError:
            return None
    real = os.path.realpath(path)
    try:
        st, opened = os.stat(real), os.fstat(fd)
    except OSError:
        return None
    return real if (st.st_dev, st.st_ino) == (opened.st_dev, opened.st_ino) else None


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def read_inside(path: Path, real_root: str, limit: int) -> bytes:
    """The bytes of a regular file inside the raw folder, at most `limit`; else raise `Refused`.

    Checked on the opened file, not on its name, so a link re-pointed after the listing cannot lead out:
    the path is opened with O_PATH (nothing is read, a FIFO or device is not opened for reading), the open
    file's real path (/proc/self/fd) must be under `real_root` (the raw folder's real path) and fstat must
    say a regular file of at most `limit` bytes; then that same file is opened for reading through
    /proc/self/fd, non-blocking, and read up to `limit` bytes, whatever its size says. Where there is no
    O_PATH, the file is opened non-blocking and compared by device and inode with its real path."""
    try:
        fd = os.open(path, (_O_PATH | getattr(os, "O_CLOEXEC", 0)) if _O_PATH and _HAVE_PROC_FD else _O_READ)
    except FileNotFoundError:
        if os.path.islink(path):
            raise Refused("symlink_target", "a symbolic link whose target does not exist (a dangling link); "
                          "point it at a file inside the raw folder or remove it") from None
        raise Refused("exists", "file no longer exists (removed after it was discovered)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("symlink_target", "a symbolic link that leads back to itself (a symlink loop); "
                          "point it at a file inside the raw folder or remove it") from None
        raise Refused("readable", f"cannot read file: {_os_reason(exc)}", {"errno": exc.errno}) from None
    try:
        real = _opened_path(fd, path)
        st = os.fstat(fd)
        if real is None or st.st_nlink == 0:
            raise Refused("exists", "file no longer exists (removed or replaced while it was opened)")
        if not _inside(real, real_root):
            raise Refused("inside_raw", "leads outside the raw folder (a symbolic link, or a link on its path); "
                          "only files inside the raw folder are read: copy the file in instead")
        if not stat.S_ISREG(st.st_mode):
            raise Refused("regular_file", f"not a regular file: {_kind(st.st_mode)}; only regular files are read",
                          {"mode": stat.S_IFMT(st.st_mode)})
        if st.st_size > limit:
            raise Refused("max_size", "", {"bytes": st.st_size, "limit": limit})
        if _O_PATH and _HAVE_PROC_FD:
            reading = os.open(_PROC_FD / str(fd), _O_READ)
            again = os.fstat(reading)
            if (again.st_dev, again.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(again.st_mode):
                os.close(reading)
                raise Refused("exists", "file no longer exists (removed or replaced while it was opened)")
            os.close(fd)
            fd = reading
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew after the fstat
            raise Refused("max_size", "", {"bytes": max(size, os.fstat(fd).st_size), "limit": limit})
        return b"".join(chunks)
    except OSError as exc:
        raise Refused("readable", f"cannot read file: {_os_reason(exc)}", {"errno": exc.errno}) from None
    finally:
        os.close(fd)


def read_article(path: Path, raw_root: Path) -> Article | Rejected:
    """Load one raw file and its optional sidecar as an `Article`, or say why it cannot be loaded.

    `path` is under `raw_root`, by its real name or as `listing` shows it (`source_path`). Nothing outside
    the raw folder is read, nor anything but a regular file (see `read_inside`)."""
    given = _plain_relative(path, raw_root)
    rel = "/".join(map(display_name, given.split("/")))
    real = path if rel != given else real_path(raw_root, rel)  # a real name display_name escapes, or as listed
    root = os.path.realpath(raw_root)
    try:
        data = read_inside(real, root, MAX_ARTICLE_BYTES)
    except Refused as exc:
        if exc.check == "max_size":
            return _too_big(rel, exc.values["bytes"] if exc.values else 0)
        return _rejected(rel, Stage.READ, exc.check, exc.reason, exc.values)

    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        return _rejected(rel, Stage.DECODE, exc.check, exc.reason, exc.values)
    if (plain := strip_html(text)) is not None:
        text, encoding = plain, f"{encoding}+html"
    if not text.strip():
        what = "HTML markup and whitespace" if encoding.endswith("+html") else "whitespace"
        reason = f"no text: the file holds only {what}"
        return _rejected(rel, Stage.DECODE, "not_empty", reason, {"bytes": len(data)})

    meta = ArticleMeta()
    sidecar = sidecar_path(real)
    sidecar_rel = _relative(sidecar, raw_root)
    try:
        meta_bytes: bytes | None = read_inside(sidecar, root, MAX_SIDECAR_BYTES)
    except Refused as exc:
        meta_bytes = None
        if exc.check == "max_size":
            size = exc.values["bytes"] if exc.values else 0
            return _rejected(rel, Stage.META, "max_size", f"{sidecar_rel}: sidecar is {size:,} bytes; the limit is "
                             f"{MAX_SIDECAR_BYTES:,} (MAX_SIDECAR_BYTES)", exc.values)
        if exc.check != "exists" and not (exc.check == "readable" and exc.values
                                          and exc.values.get("errno") == errno.ENAMETOOLONG):
            # No sidecar (none, or a name too long to have one) is fine; one that cannot be read is not.
            return _rejected(rel, Stage.META, exc.check, f"{sidecar_rel}: sidecar: {exc.reason}", exc.values)
    if meta_bytes is not None:
        try:
            meta = parse_meta(meta_bytes, sidecar_rel)
        except MetaError as exc:
            return _rejected(rel, Stage.META, "valid_meta", f"{sidecar_rel}: {exc.reason}")

    article_id, digest = identify(text)
    return Article(
        article_id=article_id,
        source_path=rel,
        text=text,
        title=meta.title,
        source=meta.source,
        url=meta.url,
        language=meta.language or detect_language(text),
        published=meta.published,
        encoding=encoding,
        char_count=len(text),
        content_sha256=digest,
        region=meta.region,
        report_period=meta.report_period,
    )


def _too_big(rel: str, size: int) -> Rejected:
    return _rejected(
        rel, Stage.READ, "max_size",
        f"file is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,} (MAX_ARTICLE_BYTES)",
        {"bytes": size, "limit": MAX_ARTICLE_BYTES},
    )


@dataclass(frozen=True, slots=True)
class Listed:
    """An entry found under the raw folder that is to be an article, with what its folder's listing says."""

    entry: os.DirEntry[str]
    source_path: str  # relative to the raw folder, '/'-separated, each name as `display_name` shows it
    has_sidecar: bool  # the folder lists `<stem>.meta.json` (it may still be unreadable)


def listing(raw_root: Path) -> Iterator[Listed]:
    """Every entry under raw_root that is not a real folder, unsorted: regular files, and also symbolic links
    (wherever they lead, dangling or looping), FIFOs, sockets and devices, so that each is accounted for
    (`read_article` refuses all but a regular file inside the raw folder). Not listed: sidecars, hidden
    entries, a top-level README.md; folders are walked, symlinked folders are not (they are listed as
    entries). Names that are not UTF-8 are listed by `display_name`. One directory listing per folder and no
    system call per file (links are not resolved here), so 100,000 files are listed in a fraction of a second."""
    if not raw_root.is_dir():
        raise FileNotFoundError(f"raw folder not found or not a directory: {raw_root}")
    folders = [(str(raw_root), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue  # a folder that vanished or cannot be listed, as os.walk skips it
        names = {e.name for e in entries}
        shown = {real: display for display, real in _display_names(list(names)).items()}
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if _is_real_dir(entry):
                folders.append((entry.path, f"{prefix}{shown[name]}/"))
                continue
            if name.endswith(".meta.json") or (not prefix and name == "README.md"):
                continue
            yield Listed(entry, prefix + shown[name], sidecar_path(Path(name)).name in names)


def _is_real_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
