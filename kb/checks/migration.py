"""How long a live migration takes, by the iterative pre-copy model of Hyper-V 2008 R2.

Units: memory in decimal MB (10**6 bytes), link in megabits/s, dirty rate in MB/s.

Model, simple enough to redo by hand:

- Effective bandwidth ``B = link_mbps / 8 * efficiency`` (MB/s).
- Pass 0 copies all memory ``M`` while the VM runs; it takes ``t0 = M / B``.
- Pass k re-copies what was dirtied during pass k-1: ``d_k = min(M, D * t_{k-1})`` and
  ``t_k = d_k / B``. (No more than all of memory can be dirty.)
- After each pass, if what is now dirty fits in ``PAUSE_TARGET_S`` of transfer
  (``d <= B * PAUSE_TARGET_S``) the copy has converged. Hyper-V 2008 R2 gives up
  iterating after ``MAX_PASSES`` (10) passes either way.
- Then the VM pauses for the stop-and-copy of what is left: ``pause = d / B``.
  ``total = sum(t_k) + pause``; ``data_sent = sum(d_k) + d``.

With ``r = D / B < 1`` the dirty set shrinks geometrically, ``d_k = M * r**k``. With
``D >= B`` it never shrinks: every pass re-sends all of memory and the pause is ``M / B``.
The result is ``ok`` only when the copy converges; otherwise it still gives the times
after 10 passes, and the explanation warns that the pause may drop connections.

Defaults, and why:

- ``efficiency`` 0.7: TCP/IP and Ethernet framing take about 5 %, and live migration in
  2008 R2 runs over one TCP connection with no compression, so it seldom fills the link
  (measured figures on 1 GbE are around 70-90 %, lower on 10 GbE). 0.7 errs on the
  slow side.
- dirty rate by load: light 10, medium 50, heavy 200 MB/s: an idle server, a busy
  application server, a database or cache rewriting memory fast. Heavy load outruns a
  1 Gbps link (87.5 MB/s effective) but not 10 Gbps.
- link 1000 Mbps (gigabit, the minimum the FAQ recommends) when none is given.
- ``PAUSE_TARGET_S`` 0.5 s: well inside the several-second TCP retransmission timeouts,
  so clients keep their connections.

Not modelled: the fixed set-up and hand-over costs (device state, storage ownership), a
few seconds at most. A VM may have at most 64 GB of memory in Hyper-V 2008 R2; a bigger
value gives a result that is not ok, with the reason.
"""

from __future__ import annotations

from kb.checks.result import CheckResult
from kb.checks.units import ABSURD, check_number, format_number, format_seconds
from kb.errors import InputError

CHECK = "migration-time"
ENTRY = "migration-duration"

DEFAULT_EFFICIENCY = 0.7
DEFAULT_LINK_MBPS = 1000.0
DEFAULT_LOAD = "medium"
LOAD_DIRTY_RATE: dict[str, float] = {"light": 10.0, "medium": 50.0, "heavy": 200.0}
MAX_PASSES = 10
PAUSE_TARGET_S = 0.5
MAX_VM_MEMORY_MB = 64 * 2**30 / 10**6  # 64 GiB, the Hyper-V 2008 R2 limit per VM
MAX_LINK_MBPS = 100_000.0
# Below these no figure means anything, and a link of 1e-320 Mbps makes every time infinite.
MIN_LINK_MBPS = 1.0
MIN_EFFICIENCY = 0.01

_LOAD_LABEL = {
    "light": ("軽い負荷", "light load"),
    "medium": ("中程度の負荷", "medium load"),
    "heavy": ("高負荷", "heavy load"),
}
_OUTPUTS = ("pause_seconds", "passes", "data_sent_mb", "final_copy_mb", "converges",
            "bandwidth_mb_s")


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
        return CheckResult(CHECK, ENTRY, inputs, False, None, "s", text,
                           dict.fromkeys(_OUTPUTS))

    bandwidth = link / 8 * eff
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
    total = elapsed + pause
    extra = {"pause_seconds": pause, "passes": passes, "data_sent_mb": sent + dirty_set,
             "final_copy_mb": dirty_set, "converges": converges, "bandwidth_mb_s": bandwidth}
    facts = (bandwidth, link, eff, memory, dirty, label)
    text = _explain(facts, passes, dirty_set, target, pause, total, converges)
    return CheckResult(CHECK, ENTRY, inputs, converges, total, "s", text, extra)


def _explain(facts: tuple[float, float, float, float, float, tuple[str, str]], passes: int,
             final: float, target: float, pause: float, total: float,
             converges: bool) -> dict[str, str]:
    bandwidth, link, eff, memory, dirty, (load_ja, load_en) = facts
    ja = (f"反復プリコピー モデルによる見積もりです。実効帯域 {format_number(bandwidth)} MB/s "
          f"({format_number(link)} Mbps × 効率 {eff:g} ÷ 8)、メモリ {format_number(memory)} MB、"
          f"ダーティ率 {format_number(dirty)} MB/s ({load_ja})。")
    en = (f"Iterative pre-copy estimate: effective bandwidth {format_number(bandwidth)} MB/s "
          f"({format_number(link)} Mbps × efficiency {eff:g} ÷ 8), memory {format_number(memory)} MB, "
          f"dirty rate {format_number(dirty)} MB/s ({load_en}). ")
    total_ja = format_seconds(total, "ja")
    # Japanese style: no space before です, but one after a closing half-width parenthesis.
    when_ja = (f"一時停止は約 {format_number(pause)} 秒、合計は約 {total_ja}"
               f"{' ' if total_ja.endswith(')') else ''}です。")
    when_en = (f"The VM pauses for about {format_number(pause)} s; the migration takes about "
               f"{format_seconds(total, 'en')} in all.")
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
