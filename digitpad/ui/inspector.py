"""What an inspector view is: one tab under the cost plot, fed frames at its own rate.

To add one, write a widget with the attributes and the show_frame() of `Inspector` in a file of
its own, and list its class in ui/inspectors.py. The window makes the tab, its tooltip, the View
menu entry with its Ctrl+N shortcut, and the LiveSession hands it frames at `refresh_hz`, hidden
or not. For the usual case subclass InspectorView:

    class InkView(InspectorView):
        title, tooltip, refresh_hz = "Ink", "How much ink the network sees", 10.0

        def show_frame(self, frame: Frame) -> None:   # cheap: keep what you need
            self._seen = frame.seen
            self.input_changed()

        def refresh(self) -> None:                      # the work, only while visible
            self.label.setText(...)

`frame.changed` says what differs from the frame this view was handed before; act on it in
show_frame, as refresh() sees only the newest of the frames that came while the view was
hidden. To keep numbers out of the ui, compute them in digitpad/core (see example_wishes.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    import numpy as np

    from digitpad.core.network import Network
    from digitpad.ui.frame import Frame


class Inspector(Protocol):
    title: str  # the tab's text and the View menu entry
    tooltip: str  # the tab's tooltip and the menu entry's status tip
    refresh_hz: float  # frames a second it is handed while training runs (all of them when not)
    # Optional: fewer while the pen is down, so the drawing keeps its pace (None: the same).
    refresh_hz_while_drawing: float | None

    def show_frame(self, frame: Frame) -> None:
        """Take what this view shows from `frame` (cheap; the work waits until it is seen)."""


class LazyRefresh:
    """Mixin for a QWidget that works out what to draw only when it can be seen.

    A subclass keeps its new input and calls input_changed(); it implements refresh(), which
    computes what to draw from that input (and calls update()). refresh() runs at once while the
    widget is visible, else when it is next shown or an accessor calls ensure_current(): once, for
    the newest input, however many came meanwhile. Painting never computes.
    """

    _stale = False

    def input_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.ensure_current()

    def ensure_current(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError

    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().showEvent(event)
        self.ensure_current()


class InspectorView(LazyRefresh, QWidget):
    """A painted inspector view; subclasses set the attributes and write show_frame/refresh."""

    title = ""
    tooltip = ""
    refresh_hz = 10.0
    refresh_hz_while_drawing: float | None = None

    def show_frame(self, frame: Frame) -> None:
        raise NotImplementedError


def cannot_show(network: Network | None, image: np.ndarray | None, no_drawing: str,
                no_network: str, outputs: int | None = None) -> str | None:
    """Why a view of `network` reading the drawing `image` has nothing to show: no drawing, no
    network (said in the view's words), or a network that cannot read it (or has not the
    `outputs` the view needs). None when there is something to show."""
    if image is None:
        return no_drawing
    if network is None:
        return no_network
    if network.sizes[0] != image.size or outputs not in (None, network.sizes[-1]):
        needs = f"{image.size} inputs" + ("" if outputs is None else f" and {outputs} outputs")
        return f"This view needs a network with {needs}, not {network.describe()}"
    return None
