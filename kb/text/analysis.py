"""Text analysis for Japanese and English: NFKC normalization, morphemes, stems, bigrams."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from whoosh.lang.porter2 import stem as porter_stem

# Bump when any function here changes what it emits: the cached index is keyed by it.
ANALYSIS_VERSION = "18"

_CJK = "\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u30fc\u3005"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_HIRAGANA_ONLY = re.compile(r"^[\u3041-\u309f\u30fc]+$")
# A space between two Japanese characters is a writing style ("ライブ マイグレーション"),
# not a word boundary the reader means; dropping it makes both spellings analyse alike.
_JA_SPACE = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"^[0-9a-z][0-9a-z._+-]*$")

# Parts of speech that carry no topic: particles, auxiliaries, symbols, blanks.
_SKIP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号", "接頭辞", "接尾辞", "代名詞", "感動詞", "接続詞"}
# Light lemmas that appear in every question ("する", "できる", "何", "こと").
_JA_STOP = {
    "為る", "有る", "居る", "成る", "出来る", "事", "物", "為", "様", "何", "幾", "幾つ", "此の", "其の",
    "言う", "思う", "良い", "宜しい", "下さる", "呉れる", "貰う", "行く", "来る", "見る", "所", "時",
    "的", "等", "又", "もう", "どう", "如何", "どの", "ない", "無い", "位", "くらい", "ぐらい", "です",
    "ます", "か", "ね", "よ", "ん", "の", "方", "とき", "について", "教える", "知る", "分かる", "わかる",
    "用", "其々",
    # Colloquial framing: "〜みたいな", "そもそも", "やっぱり", "とりあえず", "ちゃんと".
    "みたい", "抑", "矢張り", "取り敢えず", "ちゃんと", "一体", "結局", "感じ", "色々", "然う", "こう",
    "どういう", "こういう", "そういう", "如何いう", "何で", "何故", "今", "全部", "全て",
}

# Articles, pronouns, auxiliaries and the words every English question has ("how do I ...").
# Prepositions, "if", "not", "is" stay: in technical questions they carry meaning ("IS NULL",
# "IF EXISTS", "not found", "for loop", "WITH query", "in a transaction").
EN_STOP = frozenset(
    "a an and as at by from of on or to when will yet into over up out about via "
    "the are be can may tbd that this it us we you your i me my mine our do does did done doing "
    "how what whats which who whom why where there here should would could must shall might am was "
    "were been being has had having have any some their them they he she his her its just so than "
    "then too very s t get got want wanted please tell know explain explained anyone someone way ways "
    "thing things also still even much many".split()
)

# Words that frame a question ("overview", "is it OK", "目安", "おすすめ") rather than name its
# topic. They are neither evidence for an entry nor against the domain, so they weigh little.
FRAMING = frozenset(
    "概要 目安 すすめ 勧め 大丈夫 平気 駄目 不味い 関係 意味 説明 詳細 仕組み ポイント 注意 点 一覧 可能 本当 "
    "問題 ばらばら 違い 遣る 方 仕方 具体 例 場合 足りる 方法 遣り方 "
    "overview recommend okay ok fine safe best practic possibl summari work explain detail exampl "
    "problem issu guid help enough suffici".split()
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def normalize(text: str) -> str:
    """NFKC, lower case, one space between words, no space inside Japanese runs.

    Lone surrogates (what Python makes of bytes that are not UTF-8) become U+FFFD, an
    unknown character, instead of reaching the tokenizer, which cannot encode them.
    """
    text = unicodedata.normalize("NFKC", _SURROGATE.sub("\ufffd", text)).lower()
    text = _SPACES.sub(" ", text).strip()
    return _JA_SPACE.sub("", text)


@functools.cache
def _tokenizer() -> Any:
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(SplitMode.A)


_WORD = re.compile(r"\w+(?:\.?\w+)*")
_stem = functools.lru_cache(maxsize=100_000)(porter_stem)


# Clipped words admins type, as the content spells them.
EN_ABBREVIATIONS = {
    "max": "maximum", "min": "minimum", "config": "configuration", "configs": "configurations",
    "info": "information", "approx": "approximately", "docs": "documentation", "perf": "performance",
    "db": "database", "dbs": "databases", "regex": "regular expression", "regexp": "regular expression",
    "dir": "directory", "dirs": "directories", "auth": "authentication",
}


# "n't" is "not" ("doesn't" was an unknown word "doesn" no entry has; "won't" the verb "won"),
# and "'ve", "'re", "'ll", "'d", "'m" are auxiliaries: stop words once written out.
_IRREGULAR_NOT = re.compile(r"\b(ca|wo|sha)n['\u2019]t\b")
_NOT = re.compile(r"(?<=\w)n['\u2019]t\b")
_CLITIC = re.compile(r"(?<=\w)['\u2019](?:ve|re|ll|d|m)\b")
_IRREGULAR_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}
# The same typed without the apostrophe ("cant connect", "doesnt work").
_BARE_NOT = re.compile(r"\b(?:(do|does|did|is|are|was|were|could|should|would|has|have|had|must)nt|(ca|wo)nt)\b")


def expand_clitics(text: str) -> str:
    """Lower-case English contractions written out: "doesn't" -> "does not", "i've" -> "i"."""
    if "nt" in text:
        text = _BARE_NOT.sub(lambda m: (m.group(1) or _IRREGULAR_STEMS[m.group(2)]) + " not", text)
    if "'" not in text and "\u2019" not in text:
        return text
    text = _IRREGULAR_NOT.sub(lambda m: _IRREGULAR_STEMS[m.group(1)] + " not", text)
    return _CLITIC.sub("", _NOT.sub(" not", text))


def english_terms(text: str) -> list[str]:
    """Lower-cased, stop-worded, stemmed English words; numbers are words too ("0.1")."""
    out: list[str] = []
    known = _WORD_TERMS
    for w in _WORD.findall(expand_clitics(text.lower())):
        terms = known.get(w)
        if terms is None:
            terms = _word_terms(w)
            if len(known) < _WORD_TERMS_MAX:
                known[w] = terms
        out.extend(terms)
    return out


# Each word's terms, worked out the first time it is met (a knowledge base has a few
# thousand distinct English words, a build meets them hundreds of thousands of times).
_WORD_TERMS: dict[str, tuple[str, ...]] = {}
_WORD_TERMS_MAX = 200_000


def _word_terms(w: str) -> tuple[str, ...]:
    if not (len(w) >= 2 or w.isdigit()) or w in EN_STOP:
        return ()
    return tuple(_stem_word(part) for part in EN_ABBREVIATIONS.get(w, w).split())


def stem_word(word: str) -> str:
    """One lower-case English word's stem, as english_terms makes it (no stop words dropped)."""
    return _stem_word(EN_ABBREVIATIONS.get(word, word))


@functools.lru_cache(maxsize=100_000)
def _stem_word(word: str) -> str:
    """Porter's stem, with an adverb's "-ly" off as well: "slowly" and "slow" meet."""
    stem = _stem(word)
    # Porter leaves "slowli" / "quickli"; "appli" / "repli" / "suppli" are not adverbs.
    if len(stem) >= 6 and stem.endswith("li") and stem[-3] != "p" and stem.isalpha():
        return stem[:-2]
    return stem


@functools.lru_cache(maxsize=20_000)
def synonym_groups(word: str) -> tuple[int, ...]:
    """The morphological dictionary's synonym groups of ``word`` when it is one word of it
    ("スマホ" and "スマートフォン" share one, "失念" and "忘れる" another); none otherwise."""
    tokens = _tokenizer().tokenize(word)
    if len(tokens) != 1 or tokens[0].is_oov():
        return ()
    return tuple(tokens[0].synonym_group_ids())


@functools.lru_cache(maxsize=20_000)
def is_dictionary_word(word: str) -> bool:
    """Whether the morphological dictionary has ``word`` as one word ("payload": yes, "sshcommand": no)."""
    tokens = _tokenizer().tokenize(word)
    return len(tokens) == 1 and not tokens[0].is_oov()


def morph_terms(text: str) -> list[str]:
    """Content morphemes of already-normalized text: dictionary forms, stems for ASCII words."""
    # Building analyses each question and alternate twice (its terms, then its features).
    return list(_morph_terms(text))


@functools.lru_cache(maxsize=4096)
def _morph_terms(text: str) -> tuple[str, ...]:
    out: list[str] = []
    skip, predicate, kept = _POS_SKIP, _POS_PREDICATE, _kept_lemma
    # Sudachi refuses very long inputs; questions and entries are far shorter than this.
    for chunk in _chunks(expand_clitics(text), 8000):
        for m in _tokenizer().tokenize(chunk):
            # What each part of speech means here, looked up by its id once (a build meets
            # a few dozen ids and hundreds of thousands of morphemes).
            pos_id = m.part_of_speech_id()
            skipped = skip.get(pos_id)
            if skipped is None:
                pos = m.part_of_speech()[0]
                skipped = skip[pos_id] = pos in _SKIP_POS
                predicate[pos_id] = pos in _PREDICATE_POS
            if skipped:
                continue
            surface = m.surface()
            if surface.isascii():
                out.extend(_ascii_terms(surface))
                continue
            lemma = m.normalized_form()
            if not kept(surface, lemma):
                continue
            if predicate[pos_id] and len(PREDICATES) < _PREDICATES_MAX:
                PREDICATES.add(lemma)
            out.append(lemma)
    return tuple(out)


_POS_SKIP: dict[int, bool] = {}
_POS_PREDICATE: dict[int, bool] = {}


@functools.lru_cache(maxsize=100_000)
def _ascii_terms(surface: str) -> tuple[str, ...]:
    """The terms an ASCII morpheme stands for: its English terms when it is a word, else none."""
    return tuple(english_terms(surface)) if _ASCII_WORD.match(surface) else ()


@functools.lru_cache(maxsize=50_000)
def _kept_lemma(surface: str, lemma: str) -> bool:
    # A lone hiragana is a particle or a counter ("1 つ" -> 角): never a topic.
    return not (lemma in _JA_STOP or _HIRAGANA_ONLY.match(lemma) and len(lemma) < 3
                or len(surface) == 1 and _HIRAGANA_ONLY.match(surface))


@functools.lru_cache(maxsize=4096)
def adjacent_pairs(norm: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each two neighbouring Japanese morphemes of normalized text, joined, with the terms
    morph_terms makes of the two ("一時": ("1",) and nothing for "時").

    The analyser cuts a run by its context: "一時アカウント" alone is "一" "時" "アカウント",
    inside a sentence "一時" "アカウント"; the joined pair is the word the content may hold.
    """
    out = []
    for run in _CJK_RUN.findall(norm):
        tokens = [m for m in _tokenizer().tokenize(run) if m.part_of_speech()[0] not in _SKIP_POS]
        for a, b in zip(tokens, tokens[1:], strict=False):
            if a.end() == b.begin():
                out.append((a.surface() + b.surface(), (*morph_terms(a.surface()), *morph_terms(b.surface()))))
    return tuple(out)


# Verbs, adjectives and adverbs name what a question does more than what it is about; the
# analyser remembers the lemmas it saw as such ("聞く", "入れる"), so that one the content
# never uses can weigh less than an unknown noun, which names a topic ("学生証", "SPSS").
_PREDICATE_POS = {"動詞", "形容詞", "副詞", "形状詞", "連体詞"}
PREDICATES: set[str] = set()
_PREDICATES_MAX = 200_000


def is_predicate(lemma: str) -> bool:
    """Whether ``lemma`` was seen as a Japanese verb, adjective or adverb."""
    return lemma in PREDICATES


_UNWORDED_POS = {"補助記号", "空白", "記号"}


@functools.lru_cache(maxsize=20_000)
def wording(norm: str) -> frozenset[str]:
    """Every word of normalized text, function words included ("何", "どう", "what", "is").

    What a question asks about is its content words; how it is worded (a definition, a
    how-to, a why) is in the words search drops, which tell apart entries that explain a
    question equally well.
    """
    out: set[str] = set()
    for m in _tokenizer().tokenize(expand_clitics(norm[:2000])):
        if m.part_of_speech()[0] in _UNWORDED_POS:
            continue
        surface = m.surface()
        if surface.isascii():
            out.update(_stem_word(w) for w in _WORD.findall(surface))
        else:
            out.add(m.normalized_form())
    return frozenset(out)


def _chunks(text: str, size: int) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


def bigrams(text: str) -> list[str]:
    """Character bigrams of the Japanese runs in normalized text (single characters kept)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(_run_bigrams(run))
    return out


@functools.lru_cache(maxsize=8192)
def _run_bigrams(run: str) -> tuple[str, ...]:
    # Runs repeat (a question's words in its alternates and answer): each is cut once.
    if len(run) == 1:
        return (run,)
    grams = (run[i : i + 2] for i in range(len(run) - 1))
    return tuple(gram for gram in grams if not _HIRAGANA_ONLY.match(gram))
