"""Small helpers for the words the window shows."""


def sentence(text: str) -> str:
    """Capitalized and ending with a full stop, as a message box wants it."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def kept_words(digit: int, total: int, same: int) -> str:
    """The news that a drawing was kept as `digit`: my digits now hold `total` drawings, `same`
    of them of this digit."""
    article = "an" if digit == 8 else "a"
    if total == 1:
        kept = "1 drawing"
    elif same == 1:
        kept = f"{total:,} drawings, 1 of them {article} {digit}"
    else:
        kept = f"{total:,} drawings, {same:,} of them {digit}s"
    return f"Stored as {article} {digit} in my digits ({kept})."
