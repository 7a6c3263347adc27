"""The app's first screen does not grow with the knowledge base: the Browse tab's tags and the
filter's questions come from the content store without decoding the entries, and say what the
entries say (a damaged store is not trusted)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.pilot import Pilot

from kb.content.load import load_kb
from kb.content.snapshot import load_kb_cached
from kb.content.stored import StoredEntries, linked_checks, questions, tags_by_entry
from tests.tui_support import run_async, wait_for_workers
from tui.app.app import FaqApp, make_app
from tui.app.widgets.tag_browser import TagBrowser
from tui.i18n import t


def _stored(data: Path, cache: Path) -> StoredEntries:
    load_kb_cached(data, cache)  # the first run writes the store
    entries = load_kb_cached(data, cache).entries
    assert isinstance(entries, StoredEntries)
    return entries


def test_tags_and_questions_come_from_the_store_as_the_entries_say(data_copy: Path, tmp_path: Path) -> None:
    parsed = load_kb(data_copy).entries
    stored = _stored(data_copy, tmp_path)
    tags, asked = tags_by_entry(stored), questions(stored)
    assert stored.decoded == 0
    assert list(tags) == list(asked) == list(parsed)  # content order
    assert tags == {i: e.tags for i, e in parsed.items()}
    assert asked == {i: {lang: loc.question for lang, loc in e.text.items()} for i, e in parsed.items()}
    # Entry.question's fallback is the first language written: the order of the languages is kept.
    assert all(list(asked[i]) == list(e.text) for i, e in parsed.items())
    # A plain dict of entries (no store) gives the same.
    assert tags_by_entry(parsed) == tags and questions(parsed) == asked


def test_the_checks_entries_link_come_from_the_store_as_the_entries_say(data_copy: Path, tmp_path: Path) -> None:
    """Whether the Cluster tab is offered is read on the first screen: no entry is decoded for it."""
    parsed = load_kb(data_copy).entries
    stored = _stored(data_copy, tmp_path)
    linked = linked_checks(stored)
    assert stored.decoded == 0
    assert linked == {check for e in parsed.values() for check in e.checks} and linked
    assert linked_checks(parsed) == linked


def test_a_damaged_row_is_not_trusted_for_tags_or_questions(data_copy: Path, tmp_path: Path) -> None:
    parsed = load_kb(data_copy).entries
    _stored(data_copy, tmp_path)
    [store] = tmp_path.glob("kb-*.sqlite3")
    victim = next(iter(parsed))
    with sqlite3.connect(store) as db:
        db.execute("UPDATE entries SET json = json_set(json, '$.tags', 5) WHERE id = ?", (victim,))
        db.execute("UPDATE entries SET json = json_remove(json, '$.text.ja.question') WHERE id = ?", (victim,))
    entries = load_kb_cached(data_copy, tmp_path).entries
    assert tags_by_entry(entries) == {i: e.tags for i, e in parsed.items()}
    entries = load_kb_cached(data_copy, tmp_path).entries
    assert questions(entries)[victim] == {lang: loc.question for lang, loc in parsed[victim].text.items()}


def _app(data: Path, tmp_path: Path, lang: str) -> FaqApp:
    return make_app(data, lang=lang, cache_dir=tmp_path / "cache", data_home=tmp_path / "home", cursor_blink=False)


async def _opened(app: FaqApp, pilot: Pilot) -> None:
    """Until the index is open (or has failed), its workers done."""
    while app.state.engine is None and app.state.engine_error is None:
        await pilot.pause(0.05)
    await wait_for_workers(app)


@run_async
async def test_the_app_lists_every_tag_without_decoding_the_entries(data_copy: Path, tmp_path: Path) -> None:
    parsed = load_kb(data_copy)
    app = _app(data_copy, tmp_path, "en")
    async with app.run_test(size=(100, 30)) as pilot:  # the first run writes the store and builds the index
        await _opened(app, pilot)
    app = _app(data_copy, tmp_path, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _opened(app, pilot)
        await pilot.pause()
        entries = app.state.content.entries if app.state.content is not None else None
        assert isinstance(entries, StoredEntries)
        assert entries.decoded <= 2 < len(entries)  # the index's warm-up reads the first entry
        tree = app.main.query_one(TagBrowser)
        shown = {n.data[1]: str(n.label) for n in tree.root.children if n.data and n.data[0] == "tag"}
        counts = {tag: sum(tag in e.tags for e in parsed.entries.values()) for tag in parsed.tags}
        assert shown == {tag: f"{parsed.tags[tag].label.get('en') or tag} ({n})" for tag, n in counts.items() if n}
        # Opening a tag lists its entries in content order.
        tag = next(iter(shown))
        node = next(n for n in tree.root.children if n.data == ("tag", tag))
        node.expand()
        await pilot.pause()
        assert [n.data[1] for n in node.children if n.data] == [i for i, e in parsed.entries.items() if tag in e.tags]


@run_async
async def test_the_palette_names_entries_without_decoding_them_all(data_copy: Path, tmp_path: Path) -> None:
    from tui.app.screens.commands import KnowledgeCommands

    for _ in range(2):  # the first run writes the store and builds the index; the second reads the store
        app = _app(data_copy, tmp_path, "ja")
        async with app.run_test(size=(100, 30)) as pilot:
            await _opened(app, pilot)
            entries = app.state.content.entries if app.state.content is not None else None
            before = entries.decoded if isinstance(entries, StoredEntries) else 0
            provider = KnowledgeCommands(app.screen)
            hits = [hit async for hit in provider.search("chimney")]  # the English name, the app in Japanese
    assert isinstance(entries, StoredEntries)
    # The best entry (a glossary term named "Chimney" may come before it: the palette sorts both by score).
    term = t("palette_term", "ja")
    assert [hit.text for hit in hits if not str(hit.help).startswith(term)][:1] == \
        [load_kb(data_copy).entries["tcp-chimney"].question("ja")]
    assert entries.decoded - before <= len(hits) < len(entries)


@run_async
async def test_keys_pressed_before_the_other_tabs_are_filled_act_once_they_are(data_copy: Path, tmp_path: Path) -> None:
    """The first frame holds only the Ask tab; the others are filled just after it. A tab key,
    Esc and the language key pressed in between do not fail, and what they did holds after."""
    import asyncio

    from tui.app.screens.main import MainScreen

    release = asyncio.Event()
    fill = MainScreen._mount_panes

    waiting: list[asyncio.Task[None]] = []

    async def held(self: MainScreen) -> None:
        # Not awaited here: the screen's messages (the keys) must go on being handled meanwhile.
        async def later() -> None:
            await release.wait()
            await fill(self)

        waiting.append(asyncio.get_running_loop().create_task(later()))

    MainScreen._mount_panes = held  # type: ignore[method-assign]
    try:
        app = _app(data_copy, tmp_path, "ja")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause(0.1)
            assert app.state.content is None  # the content is asked for once the tabs are filled
            assert not app.main.query(TagBrowser)
            await pilot.press("escape", "3", "f2")
            await pilot.pause()
            assert app.main.tabs.active == "browse" and app.lang == "en"
            release.set()
            await _opened(app, pilot)
            await pilot.pause()
            tree = app.main.query_one(TagBrowser)
            assert tree.root.children  # the tags are listed, in the language chosen meanwhile
            from textual.widgets import Input

            assert app.main.query_one("#browse-filter", Input).placeholder == t("browse_filter", "en")
            await pilot.press("3")
            assert app.focused is tree
    finally:
        MainScreen._mount_panes = fill  # type: ignore[method-assign]


@run_async
async def test_the_footer_shows_the_keys_of_the_last_of_several_changes_at_once(data_copy: Path, tmp_path: Path) -> None:
    """The footer rebuilds once for a round of binding changes (KeyFooter), from the bindings as
    they are when it rebuilds: the last change of the round is the one shown, in its language."""
    from textual.widgets._footer import FooterKey

    from tui.app.widgets.key_footer import KeyFooter

    app = _app(data_copy, tmp_path, "ja")
    async with app.run_test(size=(100, 30)) as pilot:
        await _opened(app, pilot)
        await pilot.pause()
        footer = app.main.query_one(KeyFooter)
        assert t("key_help", "ja") in [key.description for key in footer.query(FooterKey)]
        rebuilds = 0
        rebuild = footer.recompose

        async def counted() -> None:
            nonlocal rebuilds
            rebuilds += 1
            await rebuild()

        footer.recompose = counted  # type: ignore[method-assign]
        for _ in range(3):
            app.main.refresh_bindings()
        app.action_toggle_language()  # relabels the keys, and changes the bindings again
        app.main.refresh_bindings()
        await pilot.pause(0.1)
        await pilot.pause()
        shown = [key.description for key in footer.query(FooterKey)]
        assert t("key_help", "en") in shown and t("key_help", "ja") not in shown
        assert rebuilds == 1
        app.main.refresh_bindings()  # a change after that rebuild gets one of its own
        await pilot.pause(0.1)
        assert rebuilds == 2
