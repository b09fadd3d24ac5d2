"""How long a test waits for something that should happen.

Every wait in the tests is for a condition (on the trainer, the data, a widget's state) and
ends as soon as it holds, so the deadline only decides how long a broken test takes to say so.
It must be generous: a busy 2-core machine (a CI runner, or two test suites at once) can take
seconds for what takes milliseconds on an idle one.
"""

import time
from collections.abc import Callable

DEADLINE_S = 60.0
DEADLINE_MS = int(DEADLINE_S * 1000)


def wait_until(condition: Callable[[], bool], timeout: float = DEADLINE_S) -> None:
    """Poll `condition()` off the GUI (no event loop) until it holds; fail if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still not true after {timeout:.0f} s"
        time.sleep(0.001)
