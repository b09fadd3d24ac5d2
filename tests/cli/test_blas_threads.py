"""`digitpad train` adds BLAS threads only for a wide network, on cores nobody else is using."""

import os

import pytest

from digitpad import blas_threads as module
from digitpad.blas_threads import blas_threads
from tests.cli.conftest import QUICK

ACCURATE, VIDEO = (784, 512, 512, 10), (784, 16, 16, 10)


@pytest.fixture
def two_cores(monkeypatch):
    """A 2-core machine whose load average the test sets."""
    load = [0.0]
    monkeypatch.setattr(module.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(module.os, "getloadavg", lambda: (load[0], load[0], load[0]),
                        raising=False)
    return load


def test_a_wide_network_gets_the_free_cores(two_cores):
    two_cores[0] = 0.1
    assert blas_threads(ACCURATE, 200) == 2


def test_a_small_network_gets_one_thread_even_on_an_idle_machine(two_cores):
    two_cores[0] = 0.0
    assert blas_threads(VIDEO, 100) == 1


@pytest.mark.parametrize("load", [0.8, 1.0, 3.0, 10.0])
def test_busy_cores_are_left_alone(two_cores, load):
    two_cores[0] = load
    assert blas_threads(ACCURATE, 200) == 1


def test_our_own_running_threads_do_not_count_as_others(two_cores):
    two_cores[0] = 2.1  # our two threads, and a little else
    assert blas_threads(ACCURATE, 200, running=2) == 2
    two_cores[0] = 3.0  # and another program
    assert blas_threads(ACCURATE, 200, running=2) == 1


def test_without_a_load_average_one_thread(monkeypatch):
    monkeypatch.delattr(os, "getloadavg")
    assert blas_threads(ACCURATE, 200) == 1


def test_train_sets_the_threads_before_every_epoch(mnist_dir, monkeypatch, capsys):
    from threadpoolctl import threadpool_info

    from digitpad.cli import main
    from digitpad.core.network import Network

    asked, seen = [], set()
    monkeypatch.setattr(module, "blas_threads",
                        lambda sizes, batch, running: asked.append((sizes, batch, running)) or 2)
    real_step = Network.train_step

    def step(self, *args, **kwargs):
        seen.update(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
        return real_step(self, *args, **kwargs)

    monkeypatch.setattr(Network, "train_step", step)
    before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    assert main(["train", *QUICK, "--data", str(mnist_dir), "--json"]) == 0
    assert asked == [((784, 32, 10), 50, 0), ((784, 32, 10), 50, 2), ((784, 32, 10), 50, 2)]
    assert seen == {2}  # every step ran with the threads asked for
    after = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    assert after == before  # as the command found them
