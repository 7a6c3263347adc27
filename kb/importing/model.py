"""What importing passes between its stages: blocks of a document, Q/A pairs, dropped pieces."""

from __future__ import annotations

from dataclasses import dataclass, field

# Why a piece of a source is not part of any answer: code -> (ja, en). The report lists
# every dropped piece with its line and one of these.
REASONS: dict[str, tuple[str, str]] = {
    "title": ("ページの題名 (知識ベースの名前に使用)", "page title (used as the knowledge base's name)"),
    "toc": ("冒頭の質問一覧 (後の回答の前で繰り返される)", "list of the questions at the top, repeated before the answers"),
    "date": ("日付", "date"),
    "byline": ("投稿者・著者の行", "byline"),
    "comments": ("コメント欄", "comment box"),
    "navigation": ("ナビゲーション", "navigation"),
    "share": ("共有ボタン・リンク", "share buttons"),
    "copyright": ("著作権表示・フッター", "copyright or site footer"),
    "footer": ("フッター (人気の投稿・関連記事など)", "footer (popular or related posts)"),
    "teaser": ("他の記事の抜粋 (続きを読む)", "teaser of another post (read more)"),
    "sidebar": ("サイドバー", "sidebar"),
    "page-number": ("ページ番号", "page number"),
    "metadata": ("文書のメタデータ", "document metadata"),
    "spam": ("文書の話題と無関係な行 (スパム)", "off-topic line (spam)"),
    "section": ("質問ではない見出し", "section heading, not a question"),
    "no-question": ("どの質問にも属さない文章", "text that belongs to no question"),
    "duplicate": ("前の質問と回答の完全な繰り返し", "exact repeat of an earlier question and answer"),
    "structured": ("構造化データ (JSON-LD) と同じ質問", "same question as the structured data (JSON-LD)"),
    "no-question-cell": ("質問が空の行", "row without a question"),
    "code": ("スクリプトまたはスタイル", "script or style"),
}


@dataclass
class Block:
    """One piece of a document in reading order: a paragraph, list item, heading, code..."""

    kind: str  # "para" | "item" | "heading" | "code" | "quote" | "table" | "rule"
    text: str  # Markdown inline text (code: the code itself)
    line: int  # 1-based line in the source (DOCX: paragraph number)
    level: int = 0  # heading level 1-6; list nesting depth for items
    ordered: bool = False  # a numbered list item
    role: str = ""  # "question" / "answer" when the markup says so (dt/dd, summary, Q:/A:)
    group: int = 0  # markup unit the block belongs to (one <details>, one dt/dd run); 0: none
    lang: str = ""  # code block language, e.g. "powershell"
    gap: int = 0  # blank lines before it in a plain-text source


@dataclass
class Pair:
    """A question with its answer (Markdown), as found in one source."""

    question: str
    answer: str
    lang: str
    line: int
    flags: list[str] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    key: str = ""  # stable within the source: an id column, else the question
    section: str = ""  # the heading it sits under, if any
    related_keys: list[str] = field(default_factory=list)  # keys of follow-up pairs (QnA prompts)
    source: str = ""  # the source file's name
    url: str = ""  # where the source says the answer comes from (a CSV source column)
    duplicate_of: object = None  # the earlier Pair, or an existing entry's id, this one repeats


@dataclass(frozen=True)
class Dropped:
    """A piece of a source left out of every answer, and why (a code of REASONS)."""

    line: int
    text: str
    reason: str


@dataclass
class Document:
    """What a format reader gives: blocks to pair, or pairs the markup already made."""

    blocks: list[Block] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)  # JSON-LD, CSV rows: paired by the source
    dropped: list[Dropped] = field(default_factory=list)  # what the reader left out (nav, footer)
    title: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)  # (ja, en) remarks for the report


@dataclass
class Extraction:
    """Everything one source gave: its pairs, what was dropped, its title and language."""

    source: str
    pairs: list[Pair] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    title: str = ""
    lang: str = ""  # "ja" or "en" when given (SOURCE@ja) or when every pair has it
    notes: list[tuple[str, str]] = field(default_factory=list)  # (ja, en) remarks for the report
