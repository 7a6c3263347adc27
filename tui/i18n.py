"""The app's own words in Japanese and English (content carries its own translations)."""

from __future__ import annotations

import string
from typing import Any

from kb.bilingual import Bilingual

_WORDS: dict[str, tuple[str, str]] = {
    # key: (ja, en)
    "confidence": ("確信度", "confidence"),
    "related": ("関連項目", "Related"),
    "tags": ("タグ", "Tags"),
    "applies_to": ("対象", "Applies to"),
    "checks": ("計算結果", "Computed checks"),
    "no_answer": ("確信をもって答えられる項目が見つかりませんでした。", "No confident answer found."),
    "closest": ("近い項目", "Closest entries"),
    "try_search": ("キーワード検索も試してください: faq search {q}", "Try a keyword search: faq search {q}"),
    # The example is the knowledge base's own (kb.toml [example]); without one, the shape of a
    # question, never another FAQ's topic.
    "empty_question": ("質問が空です。知りたいことを書いてください (例: faq ask \"…するにはどうすればよいですか\")",
                       "the question is empty: type what you want to know (e.g. faq ask \"How do I …?\")"),
    "empty_question_example": ("質問が空です。知りたいことを書いてください (例: faq ask \"{example}\")",
                               "the question is empty: type what you want to know (e.g. faq ask \"{example}\")"),
    "no_results": ("該当する項目はありません。", "No matching entries."),
    "unknown_entry": ("項目 {id!r} はありません", "no entry {id!r}"),
    "unknown_term": ("用語 {term!r} は用語集にありません", "no glossary term {term!r}"),
    "unknown_tag": ("タグ {tag!r} はありません (faq tags で一覧)", "unknown tag {tag!r} (see faq tags)"),
    "lint_ok": ("問題はありません: 項目 {entries} 件、用語 {terms} 件、タグ {tags} 件",
                "No problems: {entries} entries, {terms} glossary terms, {tags} tags"),
    "lint_bad": ("{n} 件の問題があります", "{n:#problem|problems} found"),
    "lint_warning": ("警告: ", "warning: "),
    "lint_warnings": ("{n} 件の警告があります (確認が必要な点。lint は失敗しません)",
                      "{n:#warning|warnings}: points to check; they do not fail lint"),
    "indexed": ("{n} 件の項目を索引しました ({secs:.2f} 秒): {path}", "Indexed {n} entries in {secs:.2f} s: {path}"),
    "index_ok": ("索引は最新です ({n} 件, {secs:.3f} 秒で開きました): {path}",
                 "Index is up to date ({n} entries, opened in {secs:.3f} s): {path}"),
    "in_memory": ("メモリ内", "in memory"),
    "show_hint": ("詳しくは: faq show {id}", "Read more: faq show {id}"),
    "eval_summary": ("質問 {n} 件: top-1 正解率 {acc:.3f}, MRR {mrr:.3f}, 対象外の却下率 {rej:.3f}",
                     "{n} questions: top-1 accuracy {acc:.3f}, MRR {mrr:.3f}, off-topic rejection {rej:.3f}"),
    "content_warning": ("faq: 警告: {first}{more}。faq lint で一覧を確認してください",
                        "faq: warning: {first}{more}; run `faq lint`"),
    "and_more": (" (ほか {n} 件)", " (and {n} more)"),
    "cli_index_warning": ("faq: 警告: {warning}", "faq: warning: {warning}"),
    "eval_miss": ("外れ", "miss"),
    "expected": ("期待", "expected"),
    "got": ("結果", "got"),
    "eval_none": ("(答えなし。近い項目: {closest})", "(none; closest {closest})"),
    # -- the question log and `faq gaps` (tui/cli/gaps.py, tui/question_log.py) --
    "log_write_failed": ("faq: 警告: 質問ログに書き込めません ({error}): {path}",
                         "faq: warning: cannot write the question log ({error}): {path}"),
    "log_problem": ("faq: 警告: {problem}", "faq: warning: {problem}"),
    "gaps_logging_off": ("質問の記録はオフです (FAQ_NO_LOG、または faq config set question_log off)。"
                         "これまでの記録だけを表示します。",
                         "Question logging is off (FAQ_NO_LOG, or faq config set question_log off); "
                         "showing what was logged before."),
    "gaps_none": ("よい答えのなかった質問はありません (ログ: {path})",
                  "No gaps: every logged question found a good answer (log: {path})"),
    "gaps_title": ("よい答えのなかった質問: {n} まとまり (多い順、新しい順)",
                   "Questions without a good answer: {n:#group|groups}, most asked and newest first"),
    "gaps_group": ("{i}. {count} 回、最終 {when} ({langs})", "{i}. asked {count:#time|times}, last {when} ({langs})"),
    "gaps_reason_no-answer": ("回答なし", "no answer"),
    "gaps_reason_low-confidence": ("確信度が低い", "low confidence"),
    "gaps_reason_other-opened": ("別の項目が開かれた", "another entry opened"),
    "gaps_hint": ("取り込む: faq gaps accept 質問 --to ID   隠す: faq gaps dismiss 質問   "
                  "新しい項目: faq gaps draft 質問",
                  "Accept: faq gaps accept QUESTION --to ID   Hide: faq gaps dismiss QUESTION   "
                  "New entry: faq gaps draft QUESTION"),
    "gaps_accepted": ("{file}:{line}: 「{q}」を {id} の {language} の言い換え (alternates) に追加し、索引を更新しました",
                      "{file}:{line}: added \"{q}\" to the {language} alternates of {id}; the index is updated"),
    "gaps_already": ("{file}:{line}: 「{q}」はすでに {id} にあります。ファイルは変更していません",
                     "{file}:{line}: \"{q}\" is already in {id}; the file is unchanged"),
    "gaps_dismissed": ("{n} 件の質問を一覧から隠しました", "Hid {n:#question|questions} from the gaps"),
    "gaps_drafted": ("下書きを作成しました: {file} (項目 {id})。回答を書いてから flags の行を削除してください",
                     "Draft written: {file} (entry {id}); write the answers, then remove the flags line"),
    "gaps_not_found": ("「{q}」は、よい答えのなかった質問の中にありません (faq gaps で一覧)",
                       "\"{q}\" is not among the gaps (faq gaps lists them)"),
    "gaps_lint": ("faq lint の指摘 ({n} 件):", "faq lint reports ({n}):"),
    "gaps_exported": ("{n} 件を書き出しました: {path}", "Wrote {n:#question|questions} to {path}"),
    "eval_no_accepted": ("取り込んだ言い回しはまだありません: {path}", "No accepted phrasings yet: {path}"),
    "eval_needs_file": ("評価ファイルか --accepted を指定してください", "give an evaluation file or --accepted"),
    # -- the app (tui/app.py, tui/screens, tui/widgets) --
    "app_title": ("FAQ", "FAQ"),  # when the knowledge base's kb.toml gives no name
    "tab_ask": ("質問", "Ask"),
    "tab_entry": ("項目", "Entry"),
    "tab_browse": ("一覧", "Browse"),
    "tab_glossary": ("用語集", "Glossary"),
    "tab_cluster": ("クラスター", "Cluster"),
    "question_placeholder": ("質問を入力", "Type a question"),
    "question_placeholder_example": ("質問を入力 (例: {example})", "Type a question (e.g. {example})"),
    "status_loading": ("内容を読み込んでいます…", "Loading the content…"),
    "status_indexing": ("索引を準備しています…", "Indexing…"),
    "status_searching": ("検索しています…", "Searching…"),
    "status_results": ("{n} 件 (確信度の高い順)", "{n:#answer|answers}, best first"),
    "welcome": ("質問を入力すると、答えになる項目を確信度の高い順に表示します。Enter で最も確かな答えを開きます。",
                "Type a question to see the entries that answer it, best first. Enter opens the best answer."),
    "welcome_keys": ("F1 キー一覧   Ctrl+P 項目や用語を名前で探す   Esc 質問欄からタブへ   F2 English",
                     "F1 keys   Ctrl+P find an entry or term by name   Esc from the box to the tab   F2 日本語"),
    "open_glossary": ("用語集を開く", "Open the glossary"),
    "no_entry_open": ("項目はまだ開かれていません。質問するか、一覧から選んでください。",
                      "No entry is open yet. Ask a question, or pick one under Browse."),
    "glossary_terms": ("この項目の用語", "Terms in this entry"),
    "bookmarks": ("ブックマーク", "Bookmarks"),
    "bookmark_added": ("ブックマークに追加しました: {title}", "Bookmarked: {title}"),
    "bookmark_removed": ("ブックマークから外しました: {title}", "Bookmark removed: {title}"),
    "bookmark_problem": ("ブックマークを読み込めませんでした: {problem}", "Could not read the bookmarks: {problem}"),
    "bookmark_save_failed": ("ブックマークを保存できませんでした: {error}", "Could not save the bookmarks: {error}"),
    "bookmark_set_aside": ("読めないブックマーク ファイルを {path} に移しました", "Moved the unreadable bookmark file to {path}"),
    "no_bookmarks": ("ブックマークはまだありません (項目を開いて b)", "No bookmarks yet (open an entry, press b)"),
    "history_start": ("これ以上戻れません", "Nothing further back"),
    "history_end": ("これ以上進めません", "Nothing further forward"),
    # A calculator's title, labels and figures come from the check itself (kb/checks).
    "invalid_value": ("無効な値: {reason}", "Invalid: {reason}"),
    "result_none": ("計算できません", "Not computed"),
    "result_waiting": ("印の付いた値を直すと再計算します", "Fix the marked value to recompute"),
    "params_from_question": ("質問の数値を入力済みです", "Filled in from your question"),
    # {against}: what the registered validators check against, in their own words
    # (checked_against); the front end names no domain of its own.
    "cluster_hint": ("o キーでクラスター構成ファイル (TOML) を開くと、{against}に照らして検証します。",
                     "Press o to open a cluster description (TOML) and check it against {against}."),
    "cluster_purpose": ("クラスターの構成 (TOML) を{against}に照らして検査します。",
                        "Check a cluster description (TOML) against {against}."),
    "cluster_rules": ("検証の規則", "the validator's rules"),
    "cluster_title": ("クラスター {name} ({path})", "Cluster {name} ({path})"),
    "cluster_summary": ("エラー {errors} 件、警告 {warnings} 件、情報 {info} 件", "{errors:#error|errors}, {warnings:#warning|warnings}, {info} info"),
    "cluster_invalid": ("このファイルは使えません: {path}", "This file cannot be used: {path}"),
    "cluster_loading": ("検証しています…", "Checking…"),
    "severity_error": ("エラー", "Errors"),
    "severity_warning": ("警告", "Warnings"),
    "severity_info": ("情報", "Info"),
    "nodes_label": ("ノード", "nodes"),
    "vms_label": ("仮想マシン", "VMs"),
    "no_findings": ("問題は見つかりませんでした。", "No findings."),
    "open_cluster_title": ("クラスター ファイルを開く", "Open a cluster file"),
    "open_cluster_prompt": ("パスを入力して Enter、または下の .toml ファイルを選択 (Esc で取り消し)",
                            "Type a path and press Enter, or pick a .toml file below (Esc cancels)"),
    "problems_title": ("内容に {n} 件の問題があります", "{n:#problem|problems} in the content"),
    "problems_fatal": ("項目を 1 件も読み込めませんでした: {path}", "No entries could be loaded from {path}"),
    "problems_hint": ("faq lint でも同じ一覧を表示できます。e で該当ファイルを編集、Esc で閉じる、q で終了",
                      "faq lint shows the same list. e edits the file at the problem, Esc closes, q quits"),
    "problems_notice": ("内容に {n} 件の問題があります (F8 で表示)", "{n:#problem|problems} in the content (F8 shows them)"),
    "index_warning": ("索引: {warning}", "Index: {warning}"),
    "index_failed": ("索引を開けませんでした: {error}", "Could not open the index: {error}"),
    "help_title": ("キー操作", "Keys"),
    "help_mouse": ("マウスでもタブ、結果、リンク、用語をクリックできます。", "The mouse works too: click tabs, results, links and terms."),
    "help_close": ("Esc で閉じる", "Esc closes"),
    "term_synonyms": ("別の表記", "Also written"),
    "term_close": ("Esc で閉じる", "Esc closes"),
    "training_unavailable": ("練習機能はまだ利用できません", "Training is not available yet"),
    "link_not_opened": ("リンク先: {href}", "Link: {href}"),
    "key_quit": ("終了", "Quit"),
    "key_help": ("ヘルプ", "Help"),
    "key_lang": ("English", "日本語"),
    "key_focus": ("質問", "Ask"),
    "key_back": ("戻る", "Back"),
    "key_forward": ("進む", "Forward"),
    "key_history": ("戻る/進む", "Back/Fwd"),
    "key_bookmark": ("ブックマーク", "Bookmark"),
    "key_cluster": ("構成検証", "Cluster"),
    "key_problems": ("問題", "Problems"),
    "key_training": ("練習", "Training"),
    "key_close": ("閉じる", "Close"),
    "key_tabs": ("タブを切り替え", "Switch tab"),
    "key_palette": ("検索", "Find"),
    "key_palette_help": ("項目や用語を名前で探す (コマンド パレット)", "Find an entry or term by name (command palette)"),
    "key_results": ("結果へ移動", "Go to the results"),
    "key_open_best": ("最も確かな答えを開く", "Open the best answer"),
    "palette_entry": ("項目 {id}", "Entry {id}"),
    "palette_term": ("用語集", "Glossary"),
    "key_focus_help": ("質問欄へ移動", "Go to the question box"),
    "key_back_help": ("前に見た項目に戻る", "Back to the previous entry"),
    "key_forward_help": ("戻る前の項目に進む", "Forward again"),
    "key_bookmark_help": ("開いている項目のブックマークを付ける / 外す (一覧タブに表示)",
                          "Bookmark the open entry, or remove it (listed under Browse)"),
    "key_cluster_help": ("クラスター構成ファイルを開いて検証", "Open a cluster file and check it"),
    "key_problems_help": ("内容の問題 (faq lint) を表示", "Show the problems in the content (faq lint)"),
    "key_training_help": ("練習を始める", "Start training"),
    "key_tabs_help": ("タブを切り替える (質問、項目、一覧、用語集、クラスター)",
                      "Switch tab (Ask, Entry, Browse, Glossary, Cluster)"),
    "key_tabs_four": ("タブを切り替え", "Switch tab"),
    "key_tabs_four_help": ("タブを切り替える (質問、項目、一覧、用語集)", "Switch tab (Ask, Entry, Browse, Glossary)"),
    "key_escape_help": ("戻るだけ: 画面を閉じる / 入力欄から一覧へ出る",
                        "Only backs out: closes a screen, or leaves a field for the list"),
    "key_copy": ("コピー", "Copy"),
    "key_copy_help": ("開いている項目の答え (Markdown) をクリップボードへ", "Copy the open entry's answer (Markdown)"),
    "key_copy_command": ("コマンド", "Command"),
    "key_copy_command_help": ("答えの最初のコマンド (コード) をコピー", "Copy the first command (code) in the answer"),
    "key_copy_figure": ("計算値", "Figure"),
    "key_copy_figure_help": ("項目の計算結果をコピー", "Copy the entry's computed figure"),
    "key_edit": ("編集", "Edit"),
    "key_edit_help": ("項目のファイルを $VISUAL / $EDITOR で開き、閉じたら読み直す",
                      "Open the entry's file in $VISUAL / $EDITOR, reload it after"),
    "key_copy_selection": ("選択をコピー", "Copy selection"),
    "key_copy_selection_help": ("選択した文字をコピー (選択がなければ終了)、Ctrl+Q で終了",
                                "Copy the selected text (nothing selected: quit); Ctrl+Q quits"),
    "key_lists_help": ("一覧で j/k 上下、g/G 先頭/末尾", "In lists: j/k down/up, g/G first/last"),
    "copied": ("{what}をクリップボードにコピーしました (OSC 52。対応していない端末もあります)",
               "Copied {what} to the clipboard (OSC 52; some terminals do not support it)"),
    "copied_answer": ("答え (Markdown) ", "the answer (Markdown)"),
    "copied_command": ("コマンド ", "the command"),
    "copied_figure": ("計算値 ", "the figure"),
    "copied_selection": ("選択した文字", "the selection"),
    "nothing_to_copy": ("コピーするものがありません", "Nothing to copy here"),
    "no_command": ("この答えにはコマンドがありません", "This answer has no command"),
    "no_figure": ("この項目には計算値がありません", "This entry has no computed figure"),
    "no_editor": ("$VISUAL も $EDITOR も設定されていません", "Neither $VISUAL nor $EDITOR is set"),
    "editor_failed": ("エディターを起動できません: {error}", "Cannot start the editor: {error}"),
    "reloaded": ("読み直しました: {path}", "Reloaded {path}"),
    "settings_not_saved": ("設定を保存できません: {error}", "Cannot save the setting: {error}"),
    "glossary_filter": ("入力で絞り込み", "Type to filter"),
    "browse_filter": ("入力で質問を絞り込み", "Type to filter the questions"),
    "browse_more": ("… ほか {n} 件 (Enter で次の {batch} 件)", "… {n} more (Enter shows the next {batch})"),
    "filter_none": ("一致する質問はありません", "No question matches"),
    "filter_more": ("ほか {n} 件 (さらに入力して絞り込み)", "{n} more (type more to narrow)"),
    "sys_theme": ("テーマ", "Theme"),
    "sys_theme_help": ("テーマを変える (設定ファイルに保存)", "Change the theme (saved in the settings file)"),
    "sys_quit": ("終了", "Quit"),
    "sys_quit_help": ("アプリを終了する", "Quit the app"),
    "sys_help": ("キー操作", "Keys"),
    "sys_help_help": ("キー操作の一覧を表示", "Show every key"),
    "sys_lang": ("English", "日本語"),
    "sys_lang_help": ("表示言語を切り替える (設定ファイルに保存)", "Switch the language (saved in the settings file)"),
    "sys_screenshot": ("スクリーンショット", "Screenshot"),
    "sys_screenshot_help": ("画面を SVG で保存", "Save an SVG screenshot of the screen"),
    "key_lang_help": ("表示言語を切り替える (日本語 / English)", "Switch the language (日本語 / English)"),
    # -- the Gaps screen (tui/app/screens/gaps.py) --
    "key_gaps": ("未回答", "Gaps"),
    "key_gaps_help": ("よい答えのなかった質問を見る (作成者向け)", "Questions without a good answer (for authors)"),
    "key_gaps_accept": ("取り込む", "Accept"),
    "key_gaps_dismiss": ("隠す", "Dismiss"),
    "key_gaps_draft": ("下書き", "Draft"),
    "key_gaps_back": ("戻る", "Back"),
    "palette_gaps": ("未回答の質問 (作成者向け)", "Gaps: questions without a good answer"),
    "palette_gaps_help": ("まとめて表示し、項目に取り込む (G キー)", "grouped, to accept into entries (key G)"),
    "gaps_screen_title": ("よい答えのなかった質問: {n} まとまり", "Questions without a good answer: {n:#group|groups}"),
    "gaps_screen_hint": ("a / Enter 近い項目を選んで取り込む   d まとまりを隠す   n 新しい項目の下書き   Esc 戻る",
                         "a / Enter accept into one of the closest entries   d dismiss the group   "
                         "n start a draft entry   Esc back"),
    "gaps_loading": ("質問ログを読んでいます…", "Reading the question log…"),
    "gaps_empty": ("まだありません。よい答えの見つからなかった質問が、ここに集まります。",
                   "None yet: questions that find no good answer gather here."),
    "gaps_pick_title": ("「{q}」をどの項目に取り込みますか (Enter で決定、Esc で取り消し)",
                        "Add \"{q}\" to which entry? (Enter picks, Esc cancels)"),
    "gaps_no_closest": ("近い項目がありません。n で新しい項目の下書きを作れます",
                        "No closest entries: n starts a draft entry instead"),
    "gaps_working": ("更新しています…", "Updating…"),
    # -- the Training screen (tui/screens/training.py) --
    "tr_title": ("練習", "Training"),
    "tr_profile": ("プロファイル", "Profile"),
    "tr_count": ("問題数", "Items"),
    "tr_count_error": ("1 以上の数を入力してください", "Type a number, 1 or more"),
    "tr_tag": ("タグ", "Tag"),
    "tr_all_tags": ("すべてのタグ", "All tags"),
    "tr_placement": ("実力診断 (各項目から 1 問ずつ。問題数は使いません)",
                     "Placement quiz (one item from every entry; the count is not used)"),
    "tr_start": ("開始 (Enter)", "Start (Enter)"),
    "tr_retry": ("もう一度開く (Enter)", "Try again (Enter)"),
    "tr_loading": ("進捗を読み込んでいます…", "Reading your progress…"),
    "tr_counts": ("復習の時期が来た問題 {due} 問、未学習の問題 {new} 問", "Due now: {due:#item|items}; new: {new}"),
    "tr_store_error": ("進捗ファイルを使えません: {error}", "Cannot use the progress file: {error}"),
    "tr_cannot_start": ("開始できません: {error}", "Cannot start: {error}"),
    "tr_nothing": ("今は出題する問題がありません。", "Nothing is due now."),
    "tr_nothing_next": ("今は出題する問題がありません。次の復習: {when}", "Nothing is due now. Next review: {when}"),
    "tr_true": ("○ 正しい (t)", "True (t)"),
    "tr_false": ("× 誤り (f)", "False (f)"),
    "tr_answer_placeholder": ("答え", "Answer"),
    "tr_choice_hint": ("1-9 または ↑↓ で選んで Enter", "Pick with 1-9 or ↑↓, then press Enter"),
    "tr_tf_hint": ("t = ○ 正しい、f = × 誤り", "t = true, f = false"),
    "tr_num_hint": ("数値を入力して Enter", "Type a number and press Enter"),
    "tr_num_hint_s": ("秒数を入力して Enter (「2 分」などでも可)", "Type a number of seconds and press Enter (\"2 min\" works too)"),
    "tr_unreadable": ("答えとして読み取れません (記録していません): {why}", "Not read as an answer (nothing recorded): {why}"),
    "tr_save_failed": ("保存できませんでした: {error}", "Could not save: {error}"),
    "tr_correct": ("✓ 正解", "✓ Correct"),
    "tr_incorrect": ("✗ 不正解", "✗ Incorrect"),
    "tr_expected": ("正解:", "The answer:"),
    "tr_your_answer": ("あなたの答え:", "Your answer:"),
    "tr_rating": ("評価: {rating} (次回 {when})", "Rating: {rating} (next review {when})"),
    "tr_rating_Again": ("もう一度", "Again"),
    "tr_rating_Hard": ("難しい", "Hard"),
    "tr_rating_Good": ("普通", "Good"),
    "tr_rating_Easy": ("簡単", "Easy"),
    "tr_overridden": ("(変更済み)", "(changed)"),
    "tr_rating_keys": ("評価を変える: 1/a もう一度  2/h 難しい  3/g 普通  4/e 簡単",
                       "Change the rating: 1/a Again  2/h Hard  3/g Good  4/e Easy"),
    "tr_open_entry": ("項目を読む (o): {title}", "Read the entry (o): {title}"),
    "tr_next": ("次へ (n)", "Next (n)"),
    "tr_finish": ("結果を見る (n)", "See the results (n)"),
    "tr_summary_title": ("{profile} さんの結果", "Results for {profile}"),
    "tr_summary": ("{answered} 問に回答、正解 {correct} 問", "Answered {answered}, correct {correct}"),
    "tr_ratings": ("評価: {ratings}", "Ratings: {ratings}"),
    "tr_left": ("未回答 {n} 問 (次回に残ります)", "{n:#item|items} left for next time"),
    "tr_next_due": ("次の復習: {when}", "Next review: {when}"),
    "tr_missed": ("読み直す項目 (Enter で開く):", "Entries to read again (Enter opens):"),
    "tr_no_missed": ("間違えた問題はありません。", "No items missed."),
    "tr_again": ("もう一度練習 (r)", "Train again (r)"),
    "key_tr_start": ("開始", "Start"),
    "key_tr_next": ("次へ", "Next"),
    "key_tr_open": ("項目を読む", "Read entry"),
    "key_tr_true": ("正しい", "True"),
    "key_tr_false": ("誤り", "False"),
    "key_tr_again": ("もう一度練習", "Train again"),
    "key_tr_leave": ("戻る", "Back"),
    "key_tr_stop": ("終わる", "Stop"),
    "tr_true_shown": ("正しい (○)", "true"),
    "tr_false_shown": ("誤り (×)", "false"),
}

# The one catalog: every screen's and message's words, as Bilingual(ja, en). Commands with
# many words of their own keep them in a table beside them and add it with add_messages.
MESSAGES: dict[str, Bilingual] = {key: Bilingual(*pair) for key, pair in _WORDS.items()}


def add_messages(table: dict[str, tuple[str, str]]) -> None:
    """Add a command's own (ja, en) words to the catalog; a key may be added only once."""
    clash = MESSAGES.keys() & table.keys()
    if clash:
        raise ValueError(f"catalog keys added twice: {sorted(clash)}")
    MESSAGES.update({key: Bilingual(*pair) for key, pair in table.items()})


class _MessageFormatter(string.Formatter):
    """str.format plus English plurals: ``{n:#answer|answers}`` gives "1 answer", "3 answers"."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("#"):
            one, _, many = format_spec[1:].partition("|")
            return f"{value} {one if value == 1 else many or one + 's'}"
        return super().format_field(value, format_spec)


_FORMATTER = _MessageFormatter()


def format_message(text: str, /, **values: object) -> str:
    """``text.format(**values)`` with the plural form ``{n:#item|items}``."""
    return _FORMATTER.format(text, **values)


def with_example(key: str, lang: str, example: str) -> str:
    """Message ``key``, or its ``_example`` form naming the knowledge base's example question."""
    return t(f"{key}_example", lang, example=example) if example else t(key, lang)


def checked_against(lang: str) -> str:
    """What the registered validators check a description against ("A と B"), from each
    validator's own ``against``; a generic phrase when none says."""
    from kb.checks.registry import validators

    phrases = [v.against.text(lang) for v in validators() if v.against is not None]
    if not phrases:
        return t("cluster_rules", lang)
    return ("、" if lang == "ja" else ", ").join(phrases)


def t(key: str, lang: str, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (ja or en), formatted with ``values``."""
    text = MESSAGES[key].text(lang)
    return format_message(text, **values) if values else text
