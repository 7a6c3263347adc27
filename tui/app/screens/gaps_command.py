"""The command palette's way to the Gaps screen (the screen itself loads only when opened)."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.app.screens import screen_factory
from tui.app.state import state_of
from tui.i18n import t


class GapsCommands(Provider):
    """"Gaps: questions without a good answer", found by its name in either language."""

    def _open(self) -> None:
        state = state_of(self.app)
        factory = screen_factory("gaps")
        if factory is not None and state.content is not None:
            self.app.push_screen(factory(state))

    async def discover(self) -> Hits:
        lang = state_of(self.app).lang
        yield DiscoveryHit(t("palette_gaps", lang), self._open, help=t("palette_gaps_help", lang))

    async def search(self, query: str) -> Hits:
        lang = state_of(self.app).lang
        matcher = self.matcher(query)
        shown = t("palette_gaps", lang)
        score = max(matcher.match(t("palette_gaps", code)) for code in ("ja", "en"))
        if score > 0:
            yield Hit(score, matcher.highlight(shown), self._open, text=shown, help=t("palette_gaps_help", lang))
