"""What on a page is not FAQ content: boilerplate, footers, and spam lines.

General signals, in Japanese and English, never a list of one page's lines:
- blog boilerplate: dates, bylines, comment boxes, share and navigation lines, copyright;
- a footer section ("popular posts", "関連記事", "コメント") ends the content;
- spam: a short stand-alone line whose vocabulary the rest of the document does not use
  (compared term by term), reading like a title or a question rather than a sentence,
  often with a price, download or file-name pattern (SEO lines pasted between answers).
"""

from __future__ import annotations

import re
from collections import Counter

from kb.importing.model import Block, Dropped
from kb.importing.terms import terms
from kb.importing.text import ends_sentence, is_question, plain

_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A menu's item: a capitalised or non-Latin name, no question mark, code or figure.
_MENU_ITEM = r"(?-i:[A-Z]|[^\x00-\x7f|｜\d?？])[^|｜\d?？`:：=$<>]{0,19}"
# (reason, pattern): a line that is one of these, whole, is boilerplate.
_BOILERPLATE = [(reason, re.compile(pattern, re.I)) for reason, pattern in (
    ("byline", r"^(?:posted|written|published)\s+by\s+\S.{0,60}$"),
    ("byline", r"^by\s+(?-i:[A-Z])[\w'-]+(?:\s+(?-i:[A-Z])[\w'-]+){0,3}$"),
    ("byline", r"^(?:投稿者|著者|作成者|執筆者|筆者|文)\s*[:：].{0,40}$"),
    ("byline", r"^.{1,30}\s*(?:さん)?(?:が|により)?\s*\d{1,2}:\d{2}\s*(?:に)?投稿$"),
    ("date", r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:[(（]?[日月火水木金土](?:曜日?)?[)）]?)?$"),
    ("date", r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}.*)?$"),
    ("date", rf"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}$"),
    ("date", rf"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}$"),
    ("date", r"^(?:posted|published|updated|last updated|last modified|投稿日|更新日|公開日|最終更新日?)"
             r"\s*(?:on|at)?\s*[:：]?\s*[\d\w].{0,40}$"),
    ("comments", r"^\d+\s*(?:件の)?\s*コメント\s*[:：]?$"),
    ("comments", r"^コメントを(?:投稿|書く|残す|送信|する)"),
    ("comments", r"^(?:\d+\s+|no\s+)?(?:comments?|responses?|replies)\s*[:：]?$"),
    ("comments", r"^(?:leave|post|add|write)\s+a\s+(?:reply|comment)"),
    ("comments", r"your email address will not be published|メールアドレスが公開されることはありません"),
    ("share", r"^(?:share(?:\s+this)?(?:\s+(?:post|page|article))?|tweet|シェア(?:する)?|ツイート|いいね[!！]?|"
              r"はてなブックマーク.*|このエントリーを.*に追加|pin\s+it|email\s+this|blogthis!?)\s*[:：]?$"),
    ("share", r"^(?:share\s+(?:on|to)\s+\w+)(?:\s*[|/・]\s*\w+)*$"),
    ("navigation", r"^(?:home|ホーム|トップ|top|menu|メニュー|search|検索|sitemap|サイトマップ)\s*[:：]?(?:\s*-.*)?$"),
    ("navigation", r"^(?:(?:newer|older)\s+posts?|(?:previous|next|prev)\s+(?:post|article|page|entry)|"
                   r"(?:次|前)の(?:投稿|記事|ページ)|(?:新しい|古い)投稿)"),
    ("navigation", r"^(?:subscribe\s+to|登録)\s*[:：]"),
    ("navigation", r"^(?:labels?|ラベル|tags?|タグ|categories|category|カテゴリー?)\s*[:：]"),
    ("navigation", r"^(?:skip\s+to\s+(?:main\s+)?content|jump\s+to\s*[:：]?.*|本文へ(?:スキップ|移動)|"
                   r"back\s+to\s+top|(?:この)?(?:ページの)?(?:トップ|先頭)へ(?:戻る)?|print\s+this\s+page|印刷)$"),
    # Breadcrumbs: "ホーム > 技術情報 > 仮想化", "Home » Docs » FAQ".
    ("navigation", r"^[^>»›＞/|]{1,30}(?:\s*[>»›＞]\s*[^>»›＞]{1,40}){2,}$"),
    # ... or one step from the home page: "ホーム ＞ よくある質問", "Home > FAQ".
    ("navigation", r"^(?:home|top|ホーム|トップ(?:ページ)?)\s*[>»›＞]\s*[^>»›＞]{1,40}$"),
    # A menu: three or more short items between bars, no figures (a table row has some) ("Login | Sign up | Contact"),
    # each a capitalised or non-Latin name: not a question or a command ("ps aux | grep ssh | less", "`a | b`?").
    ("navigation", rf"^{_MENU_ITEM}(?:\s*[|｜]\s*{_MENU_ITEM}){{2,}}$"),
    ("navigation", r"^(?:was\s+this\s+(?:article|page|answer)\s+helpful\??|この(?:記事|ページ|回答)は(?:お?役に立ち"
                   r"ましたか|参考になりましたか)[?？]?)(?:\s*(?:yes|no|はい|いいえ))*$"),
    ("page-number", r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d+\s*/\s*\d+|-\s*\d+\s*-|\d+\s*ページ(?:目)?|"
                    r"ページ\s*\d+(?:\s*/\s*\d+)?)$"),
    ("copyright", r"(?:©|\(c\)\s*\d{4}|copyright\s+(?:©|\d{4})|all\s+rights\s+reserved|無断転載|powered\s+by\s+\w+)"),
    ("copyright", r"^(?:this\s+page\s+was\s+last\s+(?:edited|modified)|retrieved\s+from\s|このページの最終更新)"),
    ("teaser", r"(?:\.\.\.|…)?\s*(?:read\s+more|continue\s+reading|続きを読む|もっと読む|もっと見る)\s*(?:»|›|→)?$"),
)]
# A line that opens the part of a blog page after the article.
_FOOTER = re.compile(
    r"^(?:these\s+are\s+our\s+)?(?:most\s+)?(?:popular|related|recent|similar|recommended)\s+"
    r"(?:posts?|articles?|entries|stories|questions)\s*[:：]?$"
    r"|^you\s+(?:may|might)\s+also\s+like\s*[:：]?$"
    r"|^(?:人気|関連|最近|おすすめ|注目)の?(?:投稿|記事|エントリー?)(?:一覧)?\s*[:：]?$"
    r"|^この記事を読んだ人は", re.I)
_PRICE = re.compile(r"[$€£¥￥]\s*\d|\d\s*(?:円|ドル|dollars?(?![a-z])|usd(?![a-z]))|(?<![a-z])(?:price|prices|"
                    r"cost|costs|cheap|discount|sale|buy)(?![a-z])|値段|価格|料金|コスト|激安|格安|セール", re.I)
_DOWNLOAD = re.compile(r"\.(?:exe|dll|apk|msi|zip|rar|pdf|torrent)(?![a-z0-9])|(?<![a-z])(?:download|crack|keygen|"
                       r"torrent|serial|pdf|casino|viagra|loan)(?![a-z])|ダウンロード|無料|攻略", re.I)
_URL = re.compile(r"https?://|www\.")
SHORT = 120


def boilerplate_reason(text: str) -> str:
    """The reason code when a line is blog boilerplate, else ""."""
    line = plain(text).strip()
    if len(line) > 160:
        return ""
    for reason, pattern in _BOILERPLATE:
        if pattern.search(line):
            return reason
    return ""


def is_footer_start(text: str) -> bool:
    return bool(_FOOTER.match(plain(text).strip()))


def spam_pattern(text: str) -> bool:
    """A price, download, file-name or link-farm pattern."""
    return bool(_PRICE.search(text) or _DOWNLOAD.search(text) or len(_URL.findall(text)) >= 2)


def drop_junk(blocks: list[Block]) -> tuple[list[Block], list[Dropped]]:
    """The blocks that may be FAQ content, and the dropped ones with their reasons."""
    kept: list[Block] = []
    dropped: list[Dropped] = []
    in_footer = False
    for block in blocks:
        if in_footer:
            dropped.append(Dropped(block.line, _shown(block), boilerplate_reason(block.text) or "footer"))
            continue
        if block.kind in ("para", "heading", "quote") and is_footer_start(block.text):
            in_footer = True
            dropped.append(Dropped(block.line, _shown(block), "footer"))
            continue
        reason = boilerplate_reason(block.text) if block.kind in ("para", "heading", "item") else ""
        if reason:
            dropped.append(Dropped(block.line, _shown(block), reason))
            continue
        kept.append(block)
    vocabulary = Counter(t for block in kept if block.kind != "code" for t in terms(block.text))
    content: list[Block] = []
    for i, block in enumerate(kept):
        introduces = block.text.rstrip().endswith((":", "：")) and i + 1 < len(kept) \
            and kept[i + 1].kind in ("item", "code", "table")
        if not introduces and is_spam(block, vocabulary, answered=_answers(kept[i + 1:i + 2])):
            dropped.append(Dropped(block.line, _shown(block), "spam"))
        else:
            content.append(block)
    return content, dropped


def _answers(following: list[Block]) -> bool:
    """Is the block after a question an answer to it: a finished sentence, a list or code?"""
    if not following or following[0].kind not in ("para", "item", "code", "table"):
        return False
    block = following[0]
    text = block.text.rstrip()
    return not is_question(text) and (block.kind != "para" or ends_sentence(text) or text.endswith((":", "：")))


def is_spam(block: Block, vocabulary: Counter[str], answered: bool = False) -> bool:
    """A short stand-alone line off the document's topic, reading like a pasted title.

    Its terms are compared with the rest of the document's (``vocabulary`` counts them in
    every block, this one included): at most a third of them may occur elsewhere. A question
    with an answer after it and no spam pattern is the FAQ's own, however new its words
    ("Can I pay by card?" before "Yes, Visa and Mastercard are accepted.").
    """
    if block.kind != "para" or block.role or "\n" in block.text:
        return False
    text = plain(block.text).strip()
    if len(text) > SHORT:
        return False
    own = Counter(terms(text))
    if not own:
        return False
    known = sum(1 for t in own if vocabulary[t] > own[t])
    n = len(own)
    if known * 3 > n:
        return False
    asks = is_question(text)
    pattern = spam_pattern(text)
    title_like = asks or not ends_sentence(text)
    if pattern:
        return title_like and (n >= 2 or asks or known == 0)
    return known == 0 and asks and n >= 2 and not answered  # a question in words the document never uses


def _shown(block: Block) -> str:
    text = block.text.replace("\n", " ").strip()
    return text if len(text) <= 160 else text[:157] + "..."
