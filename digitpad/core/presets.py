"""Ready-made settings under a name: the network of the video, and an accurate one.

A preset gives every setting; `digitpad train`'s options and the app's panel change single ones
from there (dataclasses.replace).
"""

from digitpad.core.settings import Settings

# Each preset on three lines: the network, each step, the whole run.
PRESETS: dict[str, Settings] = {
    # The network of the video: sigmoid neurons and outputs, the sum of squared differences as
    # the cost, mini-batches of 100. Momentum 0.5 and large steps make up for that cost's slow
    # learning when a sigmoid output saturates.
    # Measured: 94.8% test accuracy after 10 epochs, in about 2 s.
    "video": Settings(
        hidden=(16, 16), activation="sigmoid", output="sigmoid", cost="quadratic",
        lr=3.0, batch=100, momentum=0.5,
        epochs=10, schedule="cosine",
    ),
    # Two wide ReLU layers, softmax with cross-entropy, momentum and a cosine schedule, trained
    # on digits shifted, turned, scaled, slanted, bent and thickened or thinned a little every
    # time they are seen, and three in ten re-inked along their skeleton with a finer or a
    # thicker pen (core.reink): drawn digits vary in exactly those ways. A fifth of every epoch
    # is digits drawn from strokes in many hands (core.hands), so that a European 1 with a long
    # flag is not a 7. Measured (seed 0, benchmarks/drawn_digits.py --hard): MNIST only, 99.12%
    # on MNIST's test set and 57% of long-flagged 1s drawn on the canvas; with 0.2 synthesized,
    # 99.07% and 97%, but skeletons of MNIST's 8s 91%; re-inking 3 in 10 as well, 99.19%, every
    # drawn digit and style at least 96% (re-inking 5 in 10: 99.02%, and fewer skeletons read
    # on a held-out set of other drawings).
    "accurate": Settings(
        hidden=(512, 512), activation="relu", output="softmax", cost="cross_entropy",
        lr=0.2, batch=200, l2=0.05, momentum=0.9, augment=True, synthetic=0.2,
        epochs=15, schedule="cosine",
    ),
}


SUMMARIES: dict[str, str] = {
    "video": "the video's 784-16-16-10 sigmoid network, quadratic cost",
    "accurate": "784-512-512-10 ReLU, softmax, augmented digits in many hands: about 99%",
}
"""One line per preset, for --help and the app's menus."""
