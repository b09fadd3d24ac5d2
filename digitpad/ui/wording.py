"""Small helpers for the words the window shows."""


def sentence(text: str) -> str:
    """Capitalized and ending with a full stop, as a message box wants it."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
