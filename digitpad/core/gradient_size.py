"""Gradient sizes that compare fairly between layers.

‖∂C/∂Wˡ‖ adds up the squares of every weight's gradient, so a 784×512 layer shows a larger norm
than a 16×10 one just because it holds 2,500 times as many weights. Divided by the square root of
that count it becomes the root mean square of ∂C/∂w over the layer's weights: how hard the cost
pulls on a typical weight of the layer, whatever the layer's size.
"""

import numpy as np


def weight_counts(sizes) -> np.ndarray:
    """How many weights each layer holds: sizes[l] × sizes[l+1]."""
    sizes = np.asarray(sizes, dtype=np.float64)
    return sizes[:-1] * sizes[1:]


def per_weight(grad_norms, sizes) -> np.ndarray:
    """RMS of ∂C/∂Wˡ = ‖∂C/∂Wˡ‖ / √(weights in layer l), for norms of shape (..., layers)."""
    return np.asarray(grad_norms, dtype=np.float64) / np.sqrt(weight_counts(sizes))
