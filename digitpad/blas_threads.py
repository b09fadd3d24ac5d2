"""How many BLAS threads make `digitpad train` faster: one, unless the network is wide and
other programs leave cores free.

OpenBLAS's threads spin while they wait for each other after every matrix product. A small
network's products are too short to share, so more threads only spin. A wide one's are long: on
an idle 2-core machine a second thread made an epoch of the accurate preset's 784-512-512-10
about 1.4× faster. But when other programs keep the cores busy, a thread keeps waiting for a
partner that is not running: measured niced at a load average of 10 on 2 cores, an epoch took
9–12 s with one thread and 61–81 s with two. So threads are added only for a wide network and
only on cores that are free, decided again before every epoch.
"""

from __future__ import annotations

import os

WIDE = 20_000_000
"""Multiply-adds in one mini-batch's forward pass from which a network counts as wide (the
accurate preset's: 134 million; the video's: 1.3 million)."""


def blas_threads(sizes: tuple[int, ...], batch: int, running: int = 0) -> int:
    """Threads for training a network of these layer sizes on mini-batches of `batch`, with
    `running` threads of this process busy now (they count in the load average)."""
    work = batch * sum(a * b for a, b in zip(sizes, sizes[1:]))
    if work < WIDE or not hasattr(os, "getloadavg"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    others = max(0.0, os.getloadavg()[0] - running)  # runnable threads of other programs
    return max(1, min(cores or 1, round(cores - others)))
