"""The words behind Help → About and Help → How backprop works here."""

from __future__ import annotations

import digitpad

ABOUT_HTML = f"""
<h2>digitpad {digitpad.__version__}</h2>
<p>Draw a digit, train a small neural network on MNIST, and watch it learn.</p>
<p>The network is plain NumPy: a forward pass, backpropagation and mini-batch gradient descent,
written to be read next to the math. Training runs in the background; the window only shows
what it has done.</p>
<p>The MNIST database of handwritten digits is by Yann LeCun, Corinna Cortes and
Christopher J. C. Burges, under CC BY-SA 3.0 (see assets/mnist/NOTICE).
digitpad itself is MIT licensed.</p>
"""

BACKPROP_HTML = """
<h3>What happens when you press Start</h3>
<p><b>The network.</b> Your drawing becomes 784 numbers, one per pixel of the 28×28 grid
(0 = paper, 1 = ink). Each neuron of the next layer adds those up with its own weights, adds its
bias, and squashes the total (its <i>activation</i>). Layer by layer this ends in ten output
neurons, one per digit; the brightest one is the answer.</p>

<p><b>The cost.</b> For a training digit we know the right answer, say a 3: output 3 should be
1 and the others 0. The cost adds up how far the outputs are from that. A network that answers
well has a low cost on average over all training digits; training means finding weights that
make this average small.</p>

<p><b>One example's wishes.</b> Take one training digit. To lower its cost, the output for
the right digit should go up and the others down, each by an amount that depends on how wrong it
is. An output can change in three ways: through its bias, through its weights (most usefully
those from neurons that are very active), or through the activations of the layer before it.
Those last wishes cannot be granted directly, so they are passed back one layer and turned into
wishes for <i>that</i> layer's weights and biases, and so on to the first layer.
That backwards pass is <b>backpropagation</b>. What it computes for each weight is exactly how
much the cost would change if that weight changed a little: the gradient ∂C/∂w.</p>

<p><b>A mini-batch.</b> Every training digit wishes for something slightly different. Averaging
the wishes of all 60,000 would give the true downhill direction, but costs a full pass per step.
Instead digitpad shuffles the digits and averages the wishes of a small batch (about 100):
a cheap, slightly noisy estimate of the same direction. One pass over all training digits in
such batches is an <b>epoch</b>.</p>

<p><b>A step.</b> Every weight then moves against its averaged gradient, scaled by the
<b>learning rate</b>: w ← w − η ∂C/∂w. Then the next batch. Thousands of small, noisy steps
downhill are how the network learns.</p>

<h3>What the window shows</h3>
<ul>
<li><b>Cost plot</b>: the cost of each mini-batch (faint, noisy), its moving average, and after
every epoch the cost and accuracy on 10,000 test digits the network never trains on.</li>
<li><b>Gradient plot</b>: the size of each layer's gradient ‖∂C/∂W‖: how hard backpropagation
is nudging that layer. Layers far from the output often get smaller nudges and learn slower.</li>
<li><b>Prediction</b>: your drawing, scaled and centred like MNIST digits ("what the network
sees"), and the ten outputs for it, computed with the newest weights, so you can watch the
answer change as the network learns.</li>
</ul>
<p>Try: Step (S) once and see one nudge. Raise the learning rate far up and watch the cost
jump about. Switch the cost between quadratic and cross-entropy, or the activation to relu,
press Reset, and compare the gradient curves.</p>
"""
