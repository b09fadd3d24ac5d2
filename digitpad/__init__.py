"""digitpad: draw digits, train a small network on MNIST, watch backpropagation at work."""

__version__ = "0.1.0"
