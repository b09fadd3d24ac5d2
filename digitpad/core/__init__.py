"""The NumPy core: everything needed to train and inspect a network, with no Qt.

    from digitpad.core import Network, Settings, SGD, load_mnist

The names below are imported on first use, so that reading settings (`digitpad --help` builds
its options from digitpad.core.settings) does not load NumPy.
"""

import importlib

_HOMES = {
    "DataError": "errors",
    "DigitpadError": "errors",
    "DivergedError": "errors",
    "ModelFileError": "errors",
    "SettingsError": "errors",
    "Mnist": "mnist",
    "as_inputs": "mnist",
    "load_mnist": "mnist",
    "Gradients": "network",
    "Network": "network",
    "StepStats": "network",
    "Settings": "settings",
    "PRESETS": "presets",
    "SGD": "sgd",
    "Step": "sgd",
    "Epoch": "sgd",
    "Evaluation": "evaluation",
    "evaluate": "evaluation",
    "train_epochs": "training_run",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):  # noqa: ANN202 - any of the names above
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)


def __dir__() -> list[str]:
    return __all__
