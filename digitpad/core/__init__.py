"""The NumPy core: everything needed to train and inspect a network, with no Qt."""

from digitpad.core.errors import (
    DataError,
    DigitpadError,
    DivergedError,
    ModelFileError,
    SettingsError,
)
from digitpad.core.mnist import Mnist, as_inputs, load_mnist
from digitpad.core.network import Gradients, Network, StepStats

__all__ = [
    "DataError",
    "DigitpadError",
    "DivergedError",
    "Gradients",
    "Mnist",
    "ModelFileError",
    "Network",
    "SettingsError",
    "StepStats",
    "as_inputs",
    "load_mnist",
]
