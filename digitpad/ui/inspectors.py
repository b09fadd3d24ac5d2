"""The inspector views under the cost plot, in tab order (Ctrl+1 … Ctrl+N). See ui/inspector.py."""

from digitpad.ui.backprop_view import BackpropView
from digitpad.ui.evaluation_view import EvaluationView
from digitpad.ui.gradient_plot import GradientPlot
from digitpad.ui.my_digits_view import MyDigitsView
from digitpad.ui.network_view import NetworkView
from digitpad.ui.weights_view import WeightsView

INSPECTORS = [
    GradientPlot,  # the live picture first
    BackpropView,
    WeightsView,
    EvaluationView,
    MyDigitsView,
    NetworkView,
]
