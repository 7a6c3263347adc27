"""Opening a source: its size, its format and its encoding, before any reader sees it."""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from kb.errors import SourceError
from kb.importing.model import Document

# A FAQ page is kilobytes; anything this big is refused before a byte of it is read.
MAX_SOURCE_BYTES = 20 * 1024 * 1024
LANGS = ("ja", "en")
_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".rst": "rst", ".rest": "rst", ".csv": "csv",
    ".tsv": "tsv", ".tab": "tsv", ".docx": "docx", ".json": "json", ".jsonld": "json",
}
# Formats with no reader, and what to do instead: extension -> (ja, en).
_UNSUPPORTED = {
    ".pdf": ("PDF は読み込めません。元の文書からテキストまたは HTML で書き出して取り込んでください",
             "PDF is not supported: export the document as text or HTML and import that"),
    ".doc": ("古い Word 形式 (.doc) は読み込めません。DOCX で保存し直してください",
             "old Word files (.doc) are not supported: save the document as DOCX"),
    ".xlsx": ("スプレッドシートは読み込めません。CSV で書き出してください",
              "spreadsheets are not supported: export the sheet as CSV"),
    ".xls": ("スプレッドシートは読み込めません。CSV で書き出してください",
             "spreadsheets are not supported: export the sheet as CSV"),
    ".ods": ("スプレッドシートは読み込めません。CSV で書き出してください",
             "spreadsheets are not supported: export the sheet as CSV"),
}
_HTML_SNIFF = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]|<(p|div|h[1-6]|dl|details)[\s>]", re.I)
_MD_SNIFF = re.compile(r"^#{1,6} \S|^\*\*Q", re.M)
_READABLE = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
_CHARSET = re.compile(rb"""charset=["']?([A-Za-z0-9_-]+)""")


@dataclass(frozen=True)
class Source:
    """One SOURCE argument: the file, and its content language when given (``faq.html@ja``)."""

    path: Path
    lang: str = ""

    @property
    def name(self) -> str:
        return self.path.name


def parse_source(spec: str, default_lang: str = "") -> Source:
    """``FILE`` or ``FILE@ja`` / ``FILE@en``; a file whose real name has ``@ja`` wins."""
    path = Path(spec)
    head, sep, tail = spec.rpartition("@")
    if sep and tail in LANGS and not path.exists():
        return Source(Path(head), tail)
    return Source(path, default_lang)


def format_of(path: Path, head: bytes) -> str:
    """The reader for a file, by its first bytes, then its extension, then its text."""
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        suffix = ".pdf"
    if suffix in _UNSUPPORTED:
        ja, en = _UNSUPPORTED[suffix]
        raise SourceError(en, path=str(path), ja=ja)
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    sample = head[:4096].decode("utf-8", "replace")
    if _HTML_SNIFF.search(sample):
        return "html"
    first = sample.split("\n", 1)[0].lower()
    if "\t" in first and ("question" in first or "質問" in first):
        return "tsv"
    return "markdown" if _MD_SNIFF.search(sample) else "text"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, after refusing what is missing, not a file, empty-safe or too big."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceError("no such file", path=str(path), ja="ファイルがありません") from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path=str(path),
                          ja=f"読み取れません: {exc.strerror}") from None
    if not path.is_file():
        raise SourceError("not a file", path=str(path), ja="ファイルではありません")
    if size > MAX_SOURCE_BYTES:
        limit = MAX_SOURCE_BYTES // (1024 * 1024)
        raise SourceError(f"too big to be a FAQ ({size / 1024 / 1024:.0f} MB; the limit is {limit} MB)",
                          path=str(path),
                          ja=f"FAQ としては大きすぎます ({size / 1024 / 1024:.0f} MB。上限は {limit} MB)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path=str(path),
                          ja=f"読み取れません: {exc.strerror}") from None


def decode(data: bytes, path: Path) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 (with BOM, or without when it reads as text), else Shift_JIS; never binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _lines(data.decode("utf-16"))
        except UnicodeDecodeError:
            pass
    unmarked = _utf16_without_bom(data)
    if unmarked:
        try:
            return _lines(data.decode(unmarked))
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise SourceError("a binary file, not text", path=str(path), ja="テキストではなくバイナリ ファイルです")
    try:
        return _lines(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    declared = _CHARSET.search(data[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["cp932"]:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _looks_binary(text):
            return _lines(text)
    line = data[:first_bad].count(b"\n") + 1
    raise SourceError("not text (neither UTF-8 nor Shift_JIS): a binary file?", path=str(path), line=line,
                      ja="テキストではありません (UTF-8 でも Shift_JIS でもありません)。バイナリ ファイルですか")


def _utf16_without_bom(data: bytes) -> str:
    """"utf-16-le" or "-be" when zero bytes are there and the text they make reads as text
    (lines of Latin, kana, kanji and punctuation), as in a file saved as UTF-16 with no BOM."""
    sample = data[:8192]
    if b"\x00" not in sample:
        return ""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample[:len(sample) // 2 * 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        readable = sum(1 for ch in text if _READABLE.match(ch))
        if "\n" in text and readable >= len(text) * 0.97:
            return encoding
    return ""


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > len(text[:8192]) / 50


def _lines(text: str) -> str:
    if _looks_binary(text):
        raise SourceError("a binary file, not text", ja="テキストではなくバイナリ ファイルです")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(source: Source) -> Document:
    """The source read by the reader for its format; SourceError when it cannot be read."""
    data = read_bytes(source.path)
    if not data.strip():
        return Document(notes=[("ファイルが空です", "the file is empty")])
    kind = format_of(source.path, data[:4096])
    if kind == "docx":
        from kb.importing.read_docx import read_docx

        try:
            return read_docx(data, str(source.path))
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, KeyError):
            raise SourceError("not a DOCX file (a damaged zip archive)", path=str(source.path),
                              ja="DOCX ファイルではありません (zip アーカイブが壊れています)") from None
    try:
        text = decode(data, source.path)
    except SourceError as exc:
        exc.path = exc.path or str(source.path)
        raise
    if kind == "html":
        from kb.importing.read_html import read_html

        return read_html(text)
    if kind == "json":
        from kb.importing.read_html import read_json_ld

        return read_json_ld(text, str(source.path))
    if kind in ("csv", "tsv"):
        from kb.importing.read_table import read_table

        return read_table(text, str(source.path), "\t" if kind == "tsv" else None)
    if kind == "rst":
        from kb.importing.read_rst import read_rst

        return read_rst(text)
    if kind == "markdown":
        from kb.importing.read_markdown import read_markdown

        return read_markdown(text)
    from kb.importing.read_text import read_text

    return read_text(text)
