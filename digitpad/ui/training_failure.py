"""Why training stopped by itself, in words for the person at the window.

The trainer reports what went wrong (training.trainer.Failure); saying it is the ui's job.
"""

from digitpad.training.trainer import DIVERGED, NO_DATA, OUT_OF_MEMORY, Failure
from digitpad.ui.wording import sentence


def describe_failure(failure: Failure) -> str:
    if failure.kind == DIVERGED:  # the detail is DivergedError's own sentence
        return f"Training paused: {failure.detail}. The last good weights are kept."
    if failure.kind == NO_DATA:  # the detail is DataError's sentence, about my digits
        return f"Training paused: {sentence(failure.detail)}"
    if failure.kind == OUT_OF_MEMORY:
        return ("Training stopped: there is not enough memory for this network and batch size. "
                "Try smaller ones.")
    return f"Training stopped: an unexpected error ({failure.detail})."
