"""The app's own words in Japanese and English (content carries its own translations)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (ja, en)
    "confidence": ("確信度", "confidence"),
    "related": ("関連項目", "Related"),
    "tags": ("タグ", "Tags"),
    "applies_to": ("対象", "Applies to"),
    "checks": ("計算結果", "Computed checks"),
    "no_answer": ("確信をもって答えられる項目が見つかりませんでした。", "No confident answer found."),
    "closest": ("近い項目", "Closest entries"),
    "try_search": ("キーワード検索も試してください: faq search {q}", "Try a keyword search: faq search {q}"),
    "no_results": ("該当する項目はありません。", "No matching entries."),
    "unknown_entry": ("項目 {id!r} はありません", "no entry {id!r}"),
    "unknown_term": ("用語 {term!r} は用語集にありません", "no glossary term {term!r}"),
    "unknown_tag": ("タグ {tag!r} はありません (faq tags で一覧)", "unknown tag {tag!r} (see faq tags)"),
    "lint_ok": ("問題はありません: 項目 {entries} 件、用語 {terms} 件、タグ {tags} 件",
                "No problems: {entries} entries, {terms} glossary terms, {tags} tags"),
    "lint_bad": ("{n} 件の問題があります", "{n} problem(s) found"),
    "indexed": ("{n} 件の項目を索引しました ({secs:.2f} 秒): {path}", "Indexed {n} entries in {secs:.2f} s: {path}"),
    "index_ok": ("索引は最新です ({n} 件, {secs:.3f} 秒で開きました): {path}",
                 "Index is up to date ({n} entries, opened in {secs:.3f} s): {path}"),
    "in_memory": ("メモリ内", "in memory"),
    "show_hint": ("詳しくは: faq show {id}", "Read more: faq show {id}"),
    "eval_summary": ("質問 {n} 件: top-1 正解率 {acc:.3f}, MRR {mrr:.3f}, 対象外の却下率 {rej:.3f}",
                     "{n} questions: top-1 accuracy {acc:.3f}, MRR {mrr:.3f}, off-topic rejection {rej:.3f}"),
    "eval_miss": ("外れ", "miss"),
    "expected": ("期待", "expected"),
    "got": ("結果", "got"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (ja or en), formatted with ``values``."""
    ja, en = MESSAGES[key]
    text = en if lang == "en" else ja
    return text.format(**values) if values else text
