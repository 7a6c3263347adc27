"""How long a live migration takes, by the iterative pre-copy model of Hyper-V 2008 R2.

Units: memory in decimal MB (10**6 bytes), link in megabits/s, dirty rate in MB/s.

Model, simple enough to redo by hand:

- Effective bandwidth ``B = min(link_mbps / 8 * efficiency, STREAM_CAP_MB_S)`` (MB/s).
- Pass 0 copies all memory ``M`` while the VM runs; it takes ``t0 = M / B``.
- Pass k re-copies what was dirtied during pass k-1: ``d_k = min(M, D * t_{k-1})`` and
  ``t_k = d_k / B``. (No more than all of memory can be dirty.)
- After each pass, if what is now dirty fits in ``PAUSE_TARGET_S`` of transfer
  (``d <= B * PAUSE_TARGET_S``) the copy has converged. Hyper-V 2008 R2 gives up
  iterating after ``MAX_PASSES`` (10) passes either way.
- Then the VM pauses for the stop-and-copy of what is left: ``pause = d / B``.
  ``total = FIXED_COST_S + sum(t_k) + pause``; ``data_sent = sum(d_k) + d``.

With ``r = D / B < 1`` the dirty set shrinks geometrically, ``d_k = M * r**k``. With
``D >= B`` it never shrinks: every pass re-sends all of memory and the pause is ``M / B``.
The result is ``ok`` only when the copy converges; otherwise it still gives the times
after 10 passes, and the explanation warns that the pause may drop connections.

Parameters, calibrated against published measurements (BENCHMARKS.md, "migration-time
against published measurements"; tests/test_calibration.py holds the table):

- ``efficiency`` 0.95: one migration keeps a 1 GbE link about 95 % busy (measured on the
  TCP/IP transport, which on 1 GbE works as in 2008 R2: one stream, no compression).
- ``STREAM_CAP_MB_S`` 600 MB/s (4.8 Gbit/s): one 2008 R2 live migration is one TCP stream
  and moves no more than this on a fast link, so 10 GbE is about 5 times faster than 1 GbE
  for a large VM, not 10 (the 2011 IBM/NetApp/Intel study: "up to 82 % shorter").
- ``FIXED_COST_S`` 3 s per migration whatever its size: negotiation, the destination VM,
  device state, storage hand-over and switch-over. It is why a small VM takes a few seconds
  on any link.
- dirty rate by load: idle 1, light 10, medium 50, heavy 200 MB/s. A loaded production VM
  measured on 1 GbE behaves like about 10 MB/s, so ``light`` is the default. No published
  figure measures ``medium`` or ``heavy``: heavy outruns 1 GbE and is the warning case, a VM
  rewriting memory faster than the link carries it, not what a typical busy server does.
- link 1000 Mbps (gigabit, the minimum the FAQ recommends) when none is given.
- ``PAUSE_TARGET_S`` 0.5 s: well inside the several-second TCP retransmission timeouts,
  so clients keep their connections.

A VM of "8 GB" in Hyper-V Manager has 8 GiB (8,590 MB); ``8GB`` here is 8,000 MB, about
5 s less at 1 Gbps; write ``8GiB`` for the exact figure. A VM may have at most 64 GiB of
memory in Hyper-V 2008 R2; a bigger value gives a result that is not ok, with the reason.
"""

from __future__ import annotations

import random
import re

from kb.checks.result import CheckResult
from kb.checks.spec import (
    QUESTION_NUMBER,
    Bilingual,
    Calculator,
    Choice,
    Drill,
    DrillItem,
    Param,
    Quantity,
)
from kb.checks.units import (
    ABSURD,
    LINK,
    NUMBER,
    RATE,
    SIZE,
    WORD,
    check_number,
    format_number,
    format_seconds,
    show_link,
)
from kb.errors import InputError

ID = "migration-time"
ENTRY = "migration-duration"

DEFAULT_EFFICIENCY = 0.95
STREAM_CAP_MB_S = 600.0
FIXED_COST_S = 3.0
DEFAULT_LINK_MBPS = 1000.0
DEFAULT_LOAD = "light"
LOAD_DIRTY_RATE: dict[str, float] = {"idle": 1.0, "light": 10.0, "medium": 50.0, "heavy": 200.0}
MAX_PASSES = 10
PAUSE_TARGET_S = 0.5
MAX_VM_MEMORY_MB = 64 * 2**30 / 10**6  # 64 GiB, the Hyper-V 2008 R2 limit per VM
MAX_LINK_MBPS = 100_000.0
# Below these no figure means anything, and a link of 1e-320 Mbps makes every time infinite.
MIN_LINK_MBPS = 1.0
MIN_EFFICIENCY = 0.01

_LOAD_LABEL = {
    "idle": ("アイドル", "idle"),
    "light": ("軽い負荷", "light load"),
    "medium": ("中程度の負荷", "medium load"),
    "heavy": ("高負荷", "heavy load"),
}
_FORM_LABEL = {"idle": "アイドル", "light": "軽い", "medium": "中程度", "heavy": "高負荷"}
# How questions name a load, most specific first: "no load" is idle, not light.
LOAD_WORDS: list[tuple[str, str]] = [
    ("heavy", r"(?i:\bheavy\b|\bbusy\b)|高負荷|重負荷|負荷が(?:高|重|大き)|重い"),
    ("medium", r"(?i:\bmedium\b|\bmoderate\b)|中程度|中負荷|普通の負荷|通常の負荷"),
    ("idle", r"(?i:\bidle\b|\bno load\b|\bunloaded\b)|アイドル|無負荷|負荷(?:が|の)?(?:ない|無い|なし)"),
    ("light", r"(?i:\blight\b|\blightly\b)|軽い|軽負荷|低負荷|負荷が(?:低|軽|小さ)"),
]
_LOAD = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in LOAD_WORDS))
_OUTPUTS = ("pause_seconds", "passes", "data_sent_mb", "final_copy_mb", "converges",
            "bandwidth_mb_s")


def find_load(text: str) -> str | None:
    """The load a question names ("高負荷", "idle"), if any."""
    word = _LOAD.search(text)
    return word.lastgroup if word else None


def migration_time(memory_mb: float, link_mbps: float, dirty_rate_mbps: float | None = None,
                   load: str = DEFAULT_LOAD, efficiency: float = DEFAULT_EFFICIENCY) -> CheckResult:
    """Total time, pause, passes and data sent to live-migrate one VM (see the module doc)."""
    memory = check_number(memory_mb, "memory_mb", low=0, low_open=True, high=ABSURD)
    link = check_number(link_mbps, "link_mbps", low=0, low_open=True, high=MAX_LINK_MBPS,
                        why="at most 100 Gbps", why_ja="100 Gbps 以下の値を指定してください",
                        least=MIN_LINK_MBPS)
    eff = check_number(efficiency, "efficiency", low=0, low_open=True, high=1, least=MIN_EFFICIENCY)
    if dirty_rate_mbps is None:
        if load not in LOAD_DIRTY_RATE:
            raise InputError(f"must be one of {', '.join(LOAD_DIRTY_RATE)}, not {load!r}",
                             field="load",
                             ja=f"{', '.join(LOAD_DIRTY_RATE)} のいずれかを指定してください "
                                f"(指定値: {load!r})")
        dirty = LOAD_DIRTY_RATE[load]
        label = _LOAD_LABEL[load]
    else:
        dirty = check_number(dirty_rate_mbps, "dirty_rate_mbps", low=0, high=ABSURD)
        label = ("指定値", "as given")
    inputs = {"memory_mb": memory, "link_mbps": link, "dirty_rate_mbps": dirty,
              "load": load if dirty_rate_mbps is None else None, "efficiency": eff}
    if round(memory, 6) > MAX_VM_MEMORY_MB:  # 64 GiB from GB x 1000 lands a hair above
        text = {
            "ja": f"Hyper-V (Windows Server 2008 R2) で仮想マシンに割り当てられるメモリは最大 "
                  f"64 GB です。{format_number(memory)} MB の仮想マシンは構成できないため、"
                  f"移行時間は見積もりません。",
            "en": f"Hyper-V in Windows Server 2008 R2 gives a virtual machine at most 64 GB of "
                  f"memory; a {format_number(memory)} MB VM cannot exist, so no time is estimated.",
        }
        return CheckResult(ID, ENTRY, inputs, False, None, "s", text, dict.fromkeys(_OUTPUTS))

    bandwidth = min(link / 8 * eff, STREAM_CAP_MB_S)
    target = bandwidth * PAUSE_TARGET_S
    elapsed = sent = 0.0
    dirty_set = memory
    passes = 0
    converges = False
    while passes < MAX_PASSES:
        seconds = dirty_set / bandwidth
        elapsed += seconds
        sent += dirty_set
        passes += 1
        dirty_set = min(memory, dirty * seconds)
        if dirty_set <= target:
            converges = True
            break
    pause = dirty_set / bandwidth
    total = FIXED_COST_S + elapsed + pause
    extra = {"pause_seconds": pause, "passes": passes, "data_sent_mb": sent + dirty_set,
             "final_copy_mb": dirty_set, "converges": converges, "bandwidth_mb_s": bandwidth}
    facts = (bandwidth, link, eff, memory, dirty, label)
    text = _explain(facts, passes, dirty_set, target, pause, total, converges)
    return CheckResult(ID, ENTRY, inputs, converges, total, "s", text, extra)


def _explain(facts: tuple[float, float, float, float, float, tuple[str, str]], passes: int,
             final: float, target: float, pause: float, total: float,
             converges: bool) -> dict[str, str]:
    bandwidth, link, eff, memory, dirty, (load_ja, load_en) = facts
    line_rate = link / 8 * eff
    if line_rate > STREAM_CAP_MB_S:
        cap_ja = (f" = {format_number(line_rate)} MB/s。1 回のライブ マイグレーションで転送できる"
                  f"上限の {format_number(STREAM_CAP_MB_S)} MB/s で頭打ち")
        cap_en = (f" = {format_number(line_rate)} MB/s, capped at {format_number(STREAM_CAP_MB_S)} MB/s, "
                  f"the most one 2008 R2 live migration moves")
    else:
        cap_ja = cap_en = ""
    ja = (f"反復プリコピー モデルによる見積もりです。実効帯域 {format_number(bandwidth)} MB/s "
          f"({format_number(link)} Mbps × 効率 {eff:g} ÷ 8{cap_ja})、メモリ {format_number(memory)} MB、"
          f"ダーティ率 {format_number(dirty)} MB/s ({load_ja})。")
    en = (f"Iterative pre-copy estimate: effective bandwidth {format_number(bandwidth)} MB/s "
          f"({format_number(link)} Mbps × efficiency {eff:g} ÷ 8{cap_en}), memory {format_number(memory)} MB, "
          f"dirty rate {format_number(dirty)} MB/s ({load_en}). ")
    total_ja = format_seconds(total, "ja")
    fixed = format_number(FIXED_COST_S)
    # Japanese style: no space before です, but one after a closing half-width parenthesis.
    when_ja = (f"一時停止は約 {format_number(pause)} 秒で、準備と切り替えの固定時間 {fixed} 秒を含めた"
               f"合計は約 {total_ja}{' ' if total_ja.endswith(')') else ''}です。")
    when_en = (f"The VM pauses for about {format_number(pause)} s; with {fixed} s of fixed set-up and "
               f"switch-over, the migration takes about {format_seconds(total, 'en')} in all.")
    if converges:
        ja += (f"{passes} 回のコピー パスで未転送の変更ページが {format_number(target)} MB "
               f"(一時停止の目標 {PAUSE_TARGET_S:g} 秒で送れる量) 以下になり、最後の停止コピーで "
               f"{format_number(final)} MB を転送します。{when_ja}")
        en += (f"After {passes} copy pass{'es' if passes != 1 else ''} the pages still to send "
               f"fall to {format_number(target)} MB or less ({PAUSE_TARGET_S:g} s of transfer), and the "
               f"final stop-and-copy sends {format_number(final)} MB. {when_en}")
        return {"ja": ja, "en": en}
    if dirty >= bandwidth:
        ja += (f"ダーティ率が実効帯域以上のため、プリコピーは収束しません。{passes} パスのあと、"
               f"残りの {format_number(final)} MB を停止コピーで転送します。")
        en += (f"The dirty rate is at least the effective bandwidth, so the pre-copy never "
               f"converges: after {passes} passes the stop-and-copy sends {format_number(final)} MB. ")
    else:
        ja += (f"{passes} パスのあとも未転送の変更ページが {format_number(final)} MB 残り、"
               f"目標の {format_number(target)} MB まで減りません。")
        en += (f"After {passes} passes {format_number(final)} MB is still to send, above the "
               f"{format_number(target)} MB target. ")
    ja += (f"{when_ja}一時停止が長いと、クライアントの接続が切れたり移行が失敗したりする"
           f"おそれがあります。より高速なライブ マイグレーション専用ネットワークを使うか、"
           f"負荷の低い時間帯に移行してください。")
    en += (f"{when_en} A pause this long may drop client connections or fail the migration: "
           f"use a faster dedicated live-migration network, or migrate at a quieter time.")
    return {"ja": ja, "en": en}


def _headline(result: CheckResult, lang: str) -> str:
    total = format_seconds(result.value, lang)
    pause, passes = format_number(result.extra["pause_seconds"]), result.extra["passes"]
    if lang == "ja":
        return f"移行時間: 約 {total}、一時停止: 約 {pause} 秒、コピー パス: {passes} 回"
    return f"Migration time: about {total}; pause: about {pause} s; copy passes: {passes}"


def _figures(result: CheckResult, lang: str) -> list[str]:
    extra = result.extra
    pause, sent = format_number(extra["pause_seconds"]), format_number(extra["data_sent_mb"])
    passes = extra["passes"]
    if lang == "ja":
        return [f"移行時間: 約 {format_seconds(result.value, 'ja')}", f"一時停止: 約 {pause} 秒",
                f"コピー パス: {passes} 回、送信データ: {sent} MB、"
                f"収束: {'する' if extra['converges'] else 'しない'}"]
    return [f"Migration time: about {format_seconds(result.value, 'en')}", f"Pause: about {pause} s",
            f"Copy passes: {passes}, data sent: {sent} MB, "
            f"converges: {'yes' if extra['converges'] else 'no'}"]


# -- training --------------------------------------------------------------------------------

# A migration-time answer within ±25 % of the calculator's estimate counts as right:
# the point is the order of magnitude (seconds, not minutes), not the model's decimals.
MIGRATION_TIME_TOLERANCE = 0.25
MEMORY_GB = (2, 4, 6, 8, 12, 16, 24, 32)
LINK_GBPS = (1, 10)


def _drill(rng: random.Random) -> DrillItem:
    memory_gb, link_gbps = rng.choice(MEMORY_GB), rng.choice(LINK_GBPS)
    # The calculators count decimal units: 1 GB = 1000 MB, 1 Gbps = 1000 Mbps.
    result = migration_time(memory_mb=memory_gb * 1000.0, link_mbps=link_gbps * 1000.0, load="light")
    pct = round(MIGRATION_TIME_TOLERANCE * 100)
    return DrillItem(
        kind="numeric", answer=float(result.value), rel_tolerance=MIGRATION_TIME_TOLERANCE, unit="s",
        params={"memory_gb": memory_gb, "link_gbps": link_gbps, "load": "light"},
        prompt=Bilingual(
            f"メモリ {memory_gb} GB の仮想マシンを、負荷の軽いノード間で {link_gbps} Gbps の"
            f"ネットワーク経由でライブ マイグレーションします。完了までおよそ何秒かかりますか。",
            f"A VM with {memory_gb} GB of memory is live-migrated over a {link_gbps} Gbps network "
            f"between lightly loaded nodes. About how many seconds does it take?"),
        explanation=Bilingual(f"{result.explanation['ja']} (±{pct}% 以内を正解とします)",
                              f"{result.explanation['en']} (within ±{pct}% counts as right)"),
    )


DRILL = Drill("migration-time", _drill)

# -- the plug-in -----------------------------------------------------------------------------

_LOADS_HELP = ", ".join(f"{k} {v:g}" for k, v in LOAD_DIRTY_RATE.items())
_N = QUESTION_NUMBER

CHECK = Calculator(
    id=ID,
    entry=ENTRY,
    title=Bilingual("計算: 移行時間", "Compute: migration time"),
    help=Bilingual("ライブ マイグレーション 1 回の所要時間と一時停止", "time and pause of one live migration"),
    epilog=Bilingual(
        "メモリ サイズは 10 進 (1 GB = 1000 MB、GiB は正確に換算) です。単位のない数値は "
        "--memory では MB、--link では Mbps、--dirty-rate では MB/s です。コピーが収束しない"
        "ときの終了コードは 1 です。",
        "Memory sizes are decimal (1 GB = 1000 MB; GiB converts exactly). A bare number "
        "is MB for --memory, Mbps for --link, MB/s for --dirty-rate. Exit status 1 "
        "when the copy does not converge."),
    params=(
        Param("memory_mb", SIZE, "--memory", Bilingual("メモリ", "Memory"),
              Bilingual("仮想マシンのメモリ: 8GB、8GiB、512MB", "VM memory: 8GB, 8GiB, 512MB"),
              required=True, high=MAX_VM_MEMORY_MB, example="4GB",
              find=lambda scan: scan.values.get("memory_mb")),
        Param("link_mbps", LINK, "--link", Bilingual("リンク速度", "Link speed"),
              Bilingual("リンク速度: 1Gbps、10GbE", "link speed: 1Gbps, 10GbE"),
              required=True, default=DEFAULT_LINK_MBPS, low=MIN_LINK_MBPS, high=MAX_LINK_MBPS,
              example=show_link(DEFAULT_LINK_MBPS),
              assumed=Bilingual("質問にリンク速度がないため 1 Gbps と仮定しました。",
                                "The question gives no link speed, so 1 Gbps is assumed. "),
              find=lambda scan: scan.values.get("link_mbps")),
        Param("dirty_rate_mbps", RATE, "--dirty-rate", Bilingual("ダーティ率", "Dirty rate"),
              Bilingual("1 秒あたりに書き換わるメモリ: 50MB/s", "memory dirtied per second: 50MB/s"),
              group="dirty", placeholder=Bilingual("空欄なら負荷から", "blank: by load"),
              # A load word goes in as a load, so the explanation says "heavy load", not "as given".
              find=lambda scan: None if scan.load else scan.values.get("dirty_rate_mbps")),
        Param("load", WORD, "--load", Bilingual("負荷", "Load"),
              Bilingual(f"--dirty-rate の代わりに負荷で指定 (MB/s): {_LOADS_HELP}",
                        f"instead of --dirty-rate, in MB/s: {_LOADS_HELP}"),
              default=DEFAULT_LOAD, group="dirty",
              choices=tuple(Choice(name, Bilingual(f"{_FORM_LABEL[name]} ({rate:g} MB/s)",
                                                   f"{name} ({rate:g} MB/s)"))
                            for name, rate in LOAD_DIRTY_RATE.items()),
              find=lambda scan: scan.load),
        Param("efficiency", NUMBER, "--efficiency", Bilingual("効率", "Efficiency"),
              Bilingual("移行が使えるリンク帯域の割合", "share of the link migration uses"),
              default=DEFAULT_EFFICIENCY, low=MIN_EFFICIENCY, high=1.0, in_form=False),
    ),
    compute=migration_time,
    headline=_headline,
    figures=_figures,
    # Quantities people put in questions: an entry linking this check is about a memory
    # size, a link speed and a duration, whatever the numbers ("gb" and "gbps" as plain
    # words would only count against every entry; the table stems them as the analyser does).
    quantities=(
        Quantity("qty-memory", _N + r"(?:gib|gb|mib|mb|tib|tb|ギガバイト|メガバイト|テラバイト)(?![a-z/])",
                 ("gb", "gib", "mb", "mib", "tb", "tib")),
        Quantity("qty-speed", _N + r"(?:gbps|mbps|gbe|gb/s|gbit/s|mbit/s|gigabit|ギガビット|メガビット)",
                 ("gbps", "mbps", "gbe", "gbit", "mbit", "gigabit")),
        Quantity("qty-time", r"何秒|何分|何時間|" + _N + r"(?:秒|分間?|時間|seconds?|secs?|minutes?|mins?|hours?)"
                 r"(?![a-z])|how many (?:seconds|minutes|hours)",
                 ("秒", "分", "second", "sec", "minute", "min", "hour")),
    ),
    drills=(DRILL,),
)

