"""`faq import`'s own words in Japanese and English, added to the one catalog (tui.i18n)."""

from __future__ import annotations

from tui.i18n import add_messages

IMPORT_MESSAGES: dict[str, tuple[str, str]] = {
    # key: (ja, en)
    "imp_head": ("{source} → {out}", "{source} → {out}"),
    "imp_head_dry": ("{source} → {out} (試行: 何も書き込みません)", "{source} → {out} (dry run: nothing written)"),
    "imp_summary": ("  エントリ {n} 件 (新規 {new}、更新 {updated}、変更なし {unchanged}、そのまま {kept})、"
                    "フラグ付き {flagged} 件、日英対応 {bilingual} 件、除外 {dropped} 件",
                    "  {n} entries ({new} new, {updated} updated, {unchanged} unchanged, {kept} kept), "
                    "{flagged} flagged, {bilingual} bilingual, {dropped} dropped"),
    "imp_entries": ("  エントリ:", "  Entries:"),
    "imp_entry": ("    {status:<10} {id}  ({language}, {line} 行目)  {question}",
                  "    {status:<10} {id}  ({language}, line {line})  {question}"),
    "imp_flag": ("               フラグ {flag}: {note}", "               flag {flag}: {note}"),
    "imp_dropped": ("  除外した部分 (回答に含めなかったもの):", "  Dropped (not part of any answer):"),
    "imp_dropped_line": ("    {line} 行目  [{why}]  {text}", "    line {line}  [{why}]  {text}"),
    "imp_gone": ("  前回取り込んだが今回の文書にないエントリ (削除せずに残しました): {ids}",
                 "  Imported before but no longer in the source (kept, not deleted): {ids}"),
    "imp_nothing": ("  質問と回答の組は見つかりませんでした", "  No question and answer pairs found"),
    "imp_note": ("  注意: {note}", "  Note: {note}"),
    "imp_glossary": ("用語集: 文書中で略語と正式名が対応していた {n} 語を glossary.toml に書きました ({terms})",
                     "Glossary: {n:#acronym|acronyms} whose expansion the source spells out written to glossary.toml ({terms})"),
    "imp_drafts": ("候補: glossary.draft.toml と tags.draft.toml (lint はこれらを読みません。採用するものを本ファイルへ)",
                   "Suggestions: glossary.draft.toml and tags.draft.toml (lint ignores them; copy what you accept)"),
    "imp_written": ("{n} 個のファイルを書き込みました: {out}", "Wrote {n:#file|files} to {out}"),
    "imp_unchanged": ("変更はありません。何も書き込みませんでした: {out}", "Nothing changed; nothing written to {out}"),
    "imp_would": ("試行のため、{n} 個のファイルは書き込んでいません", "Dry run: {n:#file|files} not written"),
    "imp_refused": ("書き込み中に同名のファイルができたため書きませんでした: {path}",
                    "Not written, a file of that name appeared meanwhile: {path}"),
    "imp_next": ("次に: faq --data {out} lint / faq --data {out} ask \"…\"",
                 "Next: faq --data {out} lint / faq --data {out} ask \"...\""),
    "imp_none_found": ("取り込める質問と回答が見つかりませんでした", "No question and answer pairs were found"),
    "imp_not_folder": ("出力先がフォルダーではありません", "the output is not a folder"),
    "imp_cannot_write": ("書き込めません: {error}", "cannot write: {error}"),
    "imp_st_new": ("新規", "new"),
    "imp_st_updated": ("更新", "updated"),
    "imp_st_unchanged": ("変更なし", "unchanged"),
    "imp_st_kept-edited": ("編集済みのため保持", "kept (edited since)"),
    "imp_st_kept-removed": ("削除済みのため保持", "kept (removed since)"),
}
add_messages(IMPORT_MESSAGES)
