"""The problems a user can cause. Each carries a one-sentence message meant for people."""


class DigitpadError(Exception):
    """Anything a user can cause: bad files, impossible settings, a run that diverged."""


class DataError(DigitpadError):
    """The MNIST files are missing or malformed."""


class ModelFileError(DigitpadError):
    """A model file is missing, corrupt or does not describe a network."""


class SettingsError(DigitpadError):
    """A setting that cannot work: a batch of 0, a layer of -3 neurons, an unknown activation."""


class DivergedError(DigitpadError):
    """The cost became NaN or infinite; the weights were left as they were before the step."""

    @classmethod
    def at(cls, lr: float, why: str) -> "DivergedError":
        return cls(f"training diverged at learning rate {lr:g} ({why}): try a smaller "
                   "learning rate")
