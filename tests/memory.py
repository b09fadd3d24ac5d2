"""How much memory an action allocates at its peak: the tests that a hostile file is refused
before it costs what its header claims."""

import tracemalloc


def peak_memory_of(action):
    """Run action(); return (its result, the peak of memory Python and NumPy allocated)."""
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
