"""Numbers in the diagnosis's sentences, as people write them."""

import pytest

from digitpad.core.numbers_in_words import in_words, share_in_words


@pytest.mark.parametrize("x, digits, words", [
    (2440, 2, "2,400"), (2440, 3, "2,440"), (3.74, 2, "3.7"), (50.3, 2, "50"), (1.0, 2, "1"),
    (0.1, 3, "0.1"), (0.000123, 2, "0.00012"), (1e-5, 2, "0.00001"), (999.7, 2, "1,000"),
    (123_456, 3, "123,000"), (34e6, 2, "34 million"), (2.5e9, 2, "2.5 billion"),
    (2.5e14, 2, "250 trillion"), (1e300, 2, "more than a thousand trillion"),
    (float("inf"), 2, "more than a thousand trillion"), (0.0, 2, "0"), (-3.2, 2, "-3.2"),
])
def test_rounded_and_separated_never_an_exponent(x, digits, words):
    assert in_words(x, digits) == words


@pytest.mark.parametrize("x, words", [
    (1.0, "100%"), (0.25, "25%"), (0.0123, "1.2%"), (0.004, "one part in 250"),
    (4e-5, "one part in 25,000"), (0.0, "nothing"),
])
def test_a_share_is_a_percentage_or_one_part_in_many(x, words):
    assert share_in_words(x) == words
