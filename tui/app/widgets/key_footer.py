"""The footer of keys, rebuilt once per round of binding changes instead of once per change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeyFooter(Footer):
    """Textual's Footer, which rebuilds all its keys after every change of the screen's bindings.

    A screen opening changes them several times in one go (mounted, focused, a tab hidden): the
    Footer queued one rebuild for each (four before the main screen's first full frame), and
    each one reads the same bindings. A rebuild already queued reads them when it runs, so a
    change arriving meanwhile needs no other.
    """

    _rebuild_queued = False

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._rebuild_queued and screen is self.screen:
            return
        super().bindings_changed(screen)
        # What Footer.bindings_changed needs before it queues a rebuild (textual 8).
        self._rebuild_queued = bool(screen.app.app_focus and self.is_attached and screen is self.screen)

    async def recompose(self) -> None:
        self._rebuild_queued = False
        await super().recompose()
