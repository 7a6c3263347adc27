"""Every entry by tag, with the bookmarks on top; leaves are added when a tag is opened.

Typing filters it as fzf does: the entries whose question holds the typed characters in
order, best first, the matched characters marked.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from kb.content.load import KnowledgeBase
from tui.app.fuzzy import fitted, fold, rank
from tui.app.keys import LIST_BINDINGS, send_to_filter, typed_into_filter
from tui.app.widgets.messages import EntrySelected
from tui.i18n import t
from tui.safe import clean_line

# Node data: ("entry", id), ("tag", id) or ("bookmarks", "").
NodeData = tuple[str, str]
# A filter lists at most this many entries: a screen holds a few dozen, and a one-letter
# filter on a big knowledge base would otherwise build thousands of lines per key.
MAX_FILTERED = 200
BATCH = 200  # entries shown when a tag is opened, and added each time its last line is chosen


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
        self._filter = ""
        self._by_tag: dict[str, list[str]] = {}  # each tag's entries in content order
        self._by_tag_of: KnowledgeBase | None = None  # the content _by_tag was made for
        # (id, question, folded) for the content and language they were made for, on the first filter.
        self._questions: list[tuple[str, str, str]] | None = None
        self._questions_of: tuple[KnowledgeBase, str] | None = None
        self._generation = 0

    @property
    def filter_text(self) -> str:
        return self._filter

    def _room(self, node: TreeNode[NodeData]) -> int:
        """Cells left for ``node``'s label beside its guides (the root is not shown)."""
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        return self.scrollable_content_region.width - 1 - depth * self.guide_depth

    def render_label(self, node: TreeNode[NodeData], base_style: Style, style: Style) -> Text:
        """The label, cut with "…" where the line would run past the edge (Textual scrolls
        sideways and cuts it without a sign)."""
        label = super().render_label(node, base_style, style)
        room = self._room(node)
        if room > 2 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label

    def get_label_width(self, node: TreeNode[NodeData]) -> int:
        room = self._room(node)
        width = super().get_label_width(node)
        return min(width, room) if room > 2 else width

    def populate(self, kb: KnowledgeBase, lang: str, bookmarks: list[str]) -> None:
        """Rebuild the branches (closed) for ``kb`` in ``lang``, or the filtered list if one is typed."""
        self._kb, self._lang, self._bookmarks = kb, lang, list(bookmarks)
        if self._filter.strip():
            self.set_filter(self._filter)
            return
        self.clear()
        marks = self.root.add(Text(f"★ {t('bookmarks', lang)} ({len(bookmarks)})"), data=("bookmarks", ""))
        self._add_entries(marks, [b for b in bookmarks if b in kb.entries])
        if not bookmarks:
            marks.add_leaf(Text(t("no_bookmarks", lang), style="dim"), data=("none", ""))
        self.cursor_line = 0
        self._generation += 1
        if self._by_tag_of is kb:
            self._add_tags(self._by_tag)
        else:  # read in a worker: a big knowledge base takes a moment, and the index opens meanwhile
            self._index_tags(kb, self._generation)

    @work(thread=True, exclusive=True, group="tags", exit_on_error=False)
    def _index_tags(self, kb: KnowledgeBase, generation: int) -> None:
        """Each tag's entries, from the tags alone (kb.content.stored decodes no entry for them)."""
        from kb.content.stored import tags_by_entry  # sqlite3: not needed before the first screen

        by_tag: dict[str, list[str]] = {}
        for entry_id, tags in tags_by_entry(kb.entries).items():
            for tag in tags:
                by_tag.setdefault(tag, []).append(entry_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._tags_indexed, kb, by_tag, generation)

    def _tags_indexed(self, kb: KnowledgeBase, by_tag: dict[str, list[str]], generation: int) -> None:
        self._by_tag, self._by_tag_of = by_tag, kb
        if generation == self._generation and kb is self._kb:  # not filtered or repopulated meanwhile
            self._add_tags(by_tag)

    def _add_tags(self, by_tag: dict[str, list[str]]) -> None:
        """A closed branch per tag with entries, in the order of tags.toml, under the bookmarks."""
        assert self._kb is not None
        for tag_id, tag_def in self._kb.tags.items():
            if by_tag.get(tag_id):
                label = clean_line(tag_def.label.get(self._lang) or tag_id)
                self.root.add(Text(f"{label} ({len(by_tag[tag_id])})"), data=("tag", tag_id),
                              allow_expand=True)

    def set_filter(self, typed: str) -> None:
        """Show only the entries matching ``typed`` (fuzzily, best first); empty: the branches again.

        The matching runs in a worker: on a big knowledge base a one-letter filter matches
        thousands of questions, and typing must not wait for them.
        """
        self._filter = typed
        self._generation += 1
        if self._kb is None:
            return
        if not typed.strip():
            self.populate(self._kb, self._lang, self._bookmarks)
        else:
            self._match(self._kb, self._lang, typed, self._generation)

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def _match(self, kb: KnowledgeBase, lang: str, typed: str, generation: int) -> None:
        questions = self._questions
        made_for = self._questions_of
        if questions is None or made_for is None or made_for[0] is not kb or made_for[1] != lang:
            from kb.content.stored import questions as stored_questions

            questions = [(entry_id, q, fold(q)) for entry_id, by_lang in stored_questions(kb.entries).items()
                         for q in [clean_line(by_lang[lang] if lang in by_lang else next(iter(by_lang.values())))]]
            self._questions, self._questions_of = questions, (kb, lang)
        if generation != self._generation:
            return  # typed on meanwhile
        found = rank(questions, typed, key=lambda r: (r[1],), folded=lambda r: (r[2],))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_filtered, generation, found[:MAX_FILTERED], len(found))

    def _show_filtered(self, generation: int, found: list, total: int) -> None:
        if generation != self._generation:
            return
        self.clear()
        width = self.scrollable_content_region.width - 1
        for (entry_id, _q, _f), text, match in found:
            self.root.add_leaf(fitted(text, match.positions, width), data=("entry", entry_id))
        if not found:
            self.root.add_leaf(Text(t("filter_none", self._lang), style="dim"), data=("none", ""))
        elif total > len(found):
            self.root.add_leaf(Text(t("filter_more", self._lang, n=total - len(found)), style="dim"),
                               data=("none", ""))
        self.cursor_line = 0

    @property
    def filtering(self) -> bool:
        """Whether a filter's matches are still being found (tests poll it)."""
        return any(w.group == "filter" and not w.is_finished for w in self.workers)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return typed_into_filter(key, character)

    def on_key(self, event: events.Key) -> None:
        send_to_filter(event, self.screen.query_one("#browse-filter", Input))

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
        self._add_batch(node, 0)

    def _add_batch(self, node: TreeNode[NodeData], start: int) -> None:
        """Leaves for the tag's entries from ``start`` on, a batch at a time: a tag of thousands
        of entries opens at once, and a last line adds the next batch when chosen."""
        assert self._kb is not None and node.data is not None
        ids = self._by_tag.get(node.data[1], [])
        self._add_entries(node, ids[start:start + BATCH])
        left = len(ids) - start - BATCH
        if left > 0:
            node.add_leaf(Text(t("browse_more", self._lang, n=left, batch=min(left, BATCH)), style="dim italic"),
                          data=("more", node.data[1]))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()
        node = event.node
        if node.data and node.data[0] == "entry":
            self.post_message(EntrySelected(node.data[1]))
        elif node.data and node.data[0] == "more" and node.parent is not None:
            parent, line = node.parent, node.line
            node.remove()
            self._add_batch(parent, sum(1 for c in parent.children if c.data and c.data[0] == "entry"))
            self.cursor_line = line  # on the first of the entries just added


class BrowsePane(Vertical):
    """The Browse tab: a filter box over the tree; typing on the tree goes to the box."""

    def __init__(self, lang: str) -> None:
        super().__init__(id="browse-pane")
        self._lang = lang

    def compose(self) -> ComposeResult:
        yield Input(placeholder=t("browse_filter", self._lang), id="browse-filter", compact=True,
                    select_on_focus=False)
        yield TagBrowser(id="browse-tree")

    def relabel(self, lang: str) -> None:
        self._lang = lang
        self.query_one("#browse-filter", Input).placeholder = t("browse_filter", lang)

    @on(Input.Changed, "#browse-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one(TagBrowser).set_filter(event.value)

    @on(Input.Submitted, "#browse-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(TagBrowser).focus()
