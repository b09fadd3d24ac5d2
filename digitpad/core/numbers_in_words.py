"""Numbers as people write them in a sentence: rounded, thousands separated, never 2.44e+03.

The diagnosis explains a run in words; "about 2,400 times smaller" reads, "2.44e+03 times
smaller" does not.
"""

from __future__ import annotations

import math

LARGE = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
BEYOND_WORDS = 1e15


def in_words(x: float, digits: int = 2) -> str:
    """`x` to `digits` significant digits: 2440 -> "2,400", 3.74 -> "3.7", 0.000123 ->
    "0.00012", 34_000_000 -> "34 million"; from 10¹⁵ (and infinity) on, "more than a thousand
    trillion"."""
    if x < 0:
        return f"-{in_words(-x, digits)}"
    if x >= BEYOND_WORDS:  # infinity too
        return "more than a thousand trillion"
    if x == 0:
        return "0"
    x = float(f"{x:.{digits}g}")  # rounded first: 999.7 is "1,000", not "1,000.0"
    for size, name in LARGE:
        if x >= size:
            return f"{in_words(x / size, digits)} {name}"
    decimals = max(0, digits - 1 - math.floor(math.log10(x)))
    text = f"{x:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text  # 1.0 is "1"


def share_in_words(x: float) -> str:
    """A share of a whole: 0.25 -> "25%", 0.0123 -> "1.2%", 0.00004 -> "one part in 25,000"."""
    if x <= 0:
        return "nothing"
    if x >= 0.01:
        return f"{in_words(100 * x)}%"
    return f"one part in {in_words(1 / x)}"
