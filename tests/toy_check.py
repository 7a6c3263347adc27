"""A toy check, written the way a new check is: one module declaring everything about itself.

``toy-double`` doubles a number of widgets. Nothing else in the project names it: the tests
register ``CHECK`` at run time (``kb.checks.registry.registered``) and find it in `faq calc`,
the app's compute form, `faq ask` and lint.
"""

from __future__ import annotations

import random
import re

from kb.checks.result import CheckResult
from kb.checks.spec import (
    QUESTION_NUMBER,
    Bilingual,
    Calculator,
    Drill,
    DrillItem,
    Param,
    Quantity,
    QuestionScan,
)
from kb.checks.units import COUNT, check_number

ID = "toy-double"
ENTRY = "toy-widgets"
MAX_WIDGETS = 1000
_WIDGETS = re.compile(r"(?i)(?<![\d.])(\d{1,9})\s*widgets?\b")


def double(widgets: int) -> CheckResult:
    """Twice ``widgets``: not ok above MAX_WIDGETS, the most the toy covers."""
    n = int(check_number(widgets, "widgets", low=0, high=10**9))
    inputs = {"widgets": n}
    if n > MAX_WIDGETS:
        text = {"ja": f"{MAX_WIDGETS} 個を超えるウィジェットは扱いません ({n} 個)。",
                "en": f"The toy covers at most {MAX_WIDGETS} widgets, not {n}."}
        return CheckResult(ID, ENTRY, inputs, False, None, None, text)
    text = {"ja": f"{n} 個の 2 倍は {2 * n} 個です。", "en": f"Twice {n} widgets is {2 * n} widgets."}
    return CheckResult(ID, ENTRY, inputs, True, 2 * n, None, text)


def _widgets_in(scan: QuestionScan) -> int | None:
    match = _WIDGETS.search(scan.text)
    return int(match.group(1)) if match else None


def _headline(result: CheckResult, lang: str) -> str:
    return f"2 倍: {result.value} 個" if lang == "ja" else f"Doubled: {result.value} widgets"


def _drill(rng: random.Random) -> DrillItem:
    n = rng.randint(2, 50)
    result = double(n)
    return DrillItem(kind="numeric", answer=int(result.value), params={"widgets": n},
                     prompt=Bilingual(f"{n} 個のウィジェットの 2 倍は何個ですか。", f"What is twice {n} widgets?"),
                     explanation=Bilingual(result.explanation["ja"], result.explanation["en"]))


CHECK = Calculator(
    id=ID,
    entry=ENTRY,
    title=Bilingual("計算: ウィジェットの 2 倍", "Compute: double the widgets"),
    help=Bilingual("ウィジェットの数を 2 倍にする", "twice a number of widgets"),
    params=(
        Param("widgets", COUNT, "--widgets", Bilingual("ウィジェット数", "Widgets"),
              Bilingual("ウィジェットの数", "how many widgets"), required=True, low=0, high=MAX_WIDGETS,
              example="3", find=_widgets_in),
    ),
    compute=double,
    headline=_headline,
    quantities=(Quantity("qty-widgets", QUESTION_NUMBER + r"widgets?\b", ("widget",)),),
    drills=(Drill("toy-double", _drill),),
)
