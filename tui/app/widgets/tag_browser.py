"""Every entry by tag, with the bookmarks on top; leaves are added when a tag is opened."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from kb.content.load import KnowledgeBase
from tui.app.keys import LIST_BINDINGS
from tui.app.widgets.messages import EntrySelected
from tui.i18n import t
from tui.safe import clean_line

# Node data: ("entry", id), ("tag", id) or ("bookmarks", "").
NodeData = tuple[str, str]


class TagBrowser(Tree[NodeData]):
    """Bookmarks, then one branch per tag; selecting a leaf posts EntrySelected.

    The cursor is always on a line, so the first key (Space, Enter) acts on the first branch.
    """

    BINDINGS = LIST_BINDINGS

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.show_root = False
        self._kb: KnowledgeBase | None = None
        self._lang = "ja"
        self._bookmarks: list[str] = []

    def populate(self, kb: KnowledgeBase, lang: str, bookmarks: list[str]) -> None:
        """Rebuild the branches (closed) for ``kb`` in ``lang``."""
        self._kb, self._lang, self._bookmarks = kb, lang, list(bookmarks)
        self.clear()
        marks = self.root.add(Text(f"★ {t('bookmarks', lang)} ({len(bookmarks)})"), data=("bookmarks", ""))
        self._add_entries(marks, [b for b in bookmarks if b in kb.entries])
        if not bookmarks:
            marks.add_leaf(Text(t("no_bookmarks", lang), style="dim"), data=("none", ""))
        counts: dict[str, int] = {}
        for entry in kb.entries.values():
            for tag in entry.tags:
                counts[tag] = counts.get(tag, 0) + 1
        for tag_id, tag_def in kb.tags.items():
            if counts.get(tag_id):
                label = clean_line(tag_def.label.get(lang) or tag_id)
                self.root.add(Text(f"{label} ({counts[tag_id]})"), data=("tag", tag_id),
                              allow_expand=True)
        self.cursor_line = 0

    def on_focus(self, event: events.Focus) -> None:
        if self.cursor_line < 0:
            self.cursor_line = 0

    def action_first(self) -> None:
        self.cursor_line = 0

    def action_last(self) -> None:
        self.cursor_line = self.last_line

    def _add_entries(self, node: TreeNode[NodeData], ids: list[str]) -> None:
        assert self._kb is not None
        for entry_id in ids:
            question = self._kb.entries[entry_id].question(self._lang)
            node.add_leaf(Text(clean_line(question)), data=("entry", entry_id))

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        node = event.node
        if self._kb is None or node.data is None or node.data[0] != "tag" or node.children:
            return
        tag = node.data[1]
        self._add_entries(node, [e.id for e in self._kb.entries.values() if tag in e.tags])

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()
        if event.node.data and event.node.data[0] == "entry":
            self.post_message(EntrySelected(event.node.data[1]))
