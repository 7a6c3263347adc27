"""Expected figures worked out apart from the calculators, for tests that would otherwise
compare a calculator with itself.

- Concurrency, by hand: a live migration takes two nodes (source and destination) and a
  node takes part in one at a time, so N nodes run as many migrations as they make
  disjoint pairs. Written out, not computed.
- Migration time: the pre-copy model as kb/checks/migration.py documents it, redone in
  closed form (the module iterates pass by pass) with the parameters read from its
  constants, so a recalibration of the constants is followed and a change to the
  arithmetic is caught.
"""

from __future__ import annotations

from kb.checks import migration as model

# nodes -> live migrations at once (a 1-node cluster has nowhere to migrate to).
PAIRS = {1: 0, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3, 7: 3, 8: 4, 9: 4, 10: 5, 11: 5, 12: 6, 13: 6,
         14: 7, 15: 7, 16: 8}


def pre_copy_seconds(memory_mb: float, link_mbps: float, dirty_mb_s: float) -> float:
    """Total time of a migration whose dirty rate is below the effective bandwidth.

    B = link / 8 x efficiency. With r = D / B < 1 the pages still to send after pass k are
    M r^k; the copy has converged after the first pass k with M r^k <= B x pause target (at
    most MAX_PASSES passes), and the pause then sends M r^k. Every pass and the pause run
    at B, so the total is M (1 + r + ... + r^k) / B = M (1 - r^(k+1)) / (1 - r) / B.
    """
    bandwidth = link_mbps / 8 * model.DEFAULT_EFFICIENCY
    r = dirty_mb_s / bandwidth
    assert 0 <= r < 1, "the closed form is for a copy that shrinks"
    target = bandwidth * model.PAUSE_TARGET_S
    passes = next((k for k in range(1, model.MAX_PASSES + 1) if memory_mb * r**k <= target),
                  model.MAX_PASSES)
    return memory_mb * (1 - r ** (passes + 1)) / (1 - r) / bandwidth
