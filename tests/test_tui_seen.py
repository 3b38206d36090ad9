"""The wizard as a person sees it: Tab through every focusable widget of every section (each
integration opened, each table's row editor too), at 80x24 and at 120x40, and check that what has
focus is on the screen and looks focused.

Pilot alone can type into a widget nobody can see; these tests look at where the focused widget is
drawn. "Looks focused" is checked on the characters drawn, not their colours: a monochrome terminal
(or a screen capture read as text) must still tell the focused widget from its unfocused self.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import editor, opened, wizard, workers_settled
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable

from intwizard.core.schema import load_schema
from intwizard.core.store import open_draft
from intwizard.tui.fields import field_id

COMPLETE = Path(__file__).parent / "fixtures" / "complete.yaml"
SIZES = [(80, 24), (120, 40)]


def drawn(widget: Widget) -> str:
    """The characters a widget and everything in it draw (its border and outline included)."""
    parts = []
    for each in (widget, *widget.query("*")):
        width, height = each.size
        if width and height and each.display:
            parts.append("\n".join(strip.text for strip in each.render_lines(Region(0, 0, width, height))))
    return "\n\f".join(parts)


def scroll_parent(widget: Widget) -> Widget | None:
    for ancestor in widget.ancestors:
        if isinstance(ancestor, ScrollableContainer):
            return ancestor
    return None


def describe(widget: Widget) -> str:
    return f"{type(widget).__name__}#{widget.id}" if widget.id else f"{type(widget).__name__}({widget.parent!r})"


async def settle(pilot) -> None:
    await pilot.wait_for_scheduled_animations()


async def tab_through(pilot, where: str, problems: list[str], *, limit: int = 300) -> int:
    """Tab until focus comes back round; record every widget that was hidden or looked unfocused."""
    app = pilot.app
    screen_region = app.screen.region
    visited: list[Widget] = []
    previous: Widget | None = None
    previous_text = ""
    for _ in range(limit):
        await pilot.press("tab")
        await settle(pilot)
        focused = app.focused
        if previous is not None and previous is not focused and previous.is_attached \
                and drawn(previous) == previous_text:
            problems.append(f"{where}: {describe(previous)} looks the same focused and unfocused")
        if focused is None:
            problems.append(f"{where}: Tab left nothing focused")
            return len(visited)
        if focused in visited:
            return len(visited)
        visited.append(focused)
        region = focused.region
        if not screen_region.contains_region(region):
            problems.append(f"{where}: {describe(focused)} at {region} is not inside the screen {screen_region}")
        container = scroll_parent(focused)
        if container is not None and not container.scrollable_content_region.contains_region(region):
            problems.append(f"{where}: {describe(focused)} at {region} is outside the visible part "
                            f"{container.scrollable_content_region} of {describe(container)}")
        previous, previous_text = focused, drawn(focused)
    problems.append(f"{where}: focus never came back round after {limit} Tabs")
    return len(visited)


def places(path: Path) -> list[tuple[str, int | None, str]]:
    schema = load_schema()
    data = open_draft(path, schema, comments=False).draft.data
    found: list[tuple[str, int | None, str]] = []
    for node in schema.sections:
        if node.kind == "group":
            for index in range(len(data.get(node.key) or [])):
                found.append((node.key, index, f"{node.label} #{index + 1}"))
        else:
            found.append((node.key, None, node.label))
    return found


def quick(app):
    """Scrolling jumps instead of gliding (where it ends is what is checked; the glide only costs time)."""
    app.animation_level = "none"
    return app


@pytest.fixture
def draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "complete.yaml"
    path.write_bytes(COMPLETE.read_bytes())
    return path


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_every_focused_widget_is_on_screen_and_looks_focused(draft: Path, size: tuple[int, int]) -> None:
    app = quick(wizard(opened(draft)))
    problems: list[str] = []
    counted = 0
    async with app.run_test(size=size) as pilot:
        await workers_settled(pilot)
        for section, entry, label in places(draft):
            editor(app).goto(section, entry)
            await workers_settled(pilot)
            await settle(pilot)
            counted += await tab_through(pilot, f"{size} {label}", problems)
    assert not problems, "\n".join(problems)
    assert counted > 200  # every section was walked, not just the first screen


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_every_row_editor_is_seen(draft: Path, size: tuple[int, int]) -> None:
    """Each table's row editor (a modal) opened on its first row: every field reachable and seen."""
    schema = load_schema()
    app = quick(wizard(opened(draft)))
    problems: list[str] = []
    tables = 0
    async with app.run_test(size=size) as pilot:
        await workers_settled(pilot)
        for section, entry, label in places(draft):
            editor(app).goto(section, entry)
            await workers_settled(pilot)
            await settle(pilot)
            for table in list(app.screen.query(DataTable)):
                if not (table.id or "").startswith("f-"):
                    continue
                tables += 1
                table.focus()
                await settle(pilot)
                await pilot.press("enter")
                await workers_settled(pilot)
                await settle(pilot)
                assert app.screen.has_class("row-editor"), f"{label}: no row editor for {table.id}"
                await tab_through(pilot, f"{size} {label} row editor of {table.id}", problems)
                await pilot.press("escape")
                await settle(pilot)
    assert not problems, "\n".join(problems)
    assert tables >= len([n for n in schema.walk() if n.kind == "table"])


async def test_page_down_shows_the_bottom_and_moves_the_cursor_there(draft: Path) -> None:
    """PageDown scrolls the form and puts the cursor in a field the author can see."""
    app = wizard(opened(draft), section="meta")
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_settled(pilot)
        scroll = app.screen.query_one("#form-scroll")
        assert scroll.max_scroll_y > 0, "Document Information is taller than 80x24: it must scroll"
        await pilot.press("pagedown", "pagedown", "pagedown")
        await settle(pilot)
        assert scroll.scroll_y == scroll.max_scroll_y
        focused = app.focused
        assert focused is not None and scroll in focused.ancestors
        assert scroll.scrollable_content_region.contains_region(focused.region)
        review = app.screen.query_one(f"#{field_id('meta.review_status')}")
        assert scroll.scrollable_content_region.contains_region(review.region)


@pytest.mark.parametrize("keys", [(), ("pagedown",), ("tab",)], ids=["start", "pagedown", "tab"])
async def test_a_key_typed_into_a_field_never_replaces_its_text(draft: Path, keys: tuple[str, ...]) -> None:
    """Wherever the cursor arrives (the first screen, after PageDown, after Tab), a key typed goes
    into the field shown, added to its text: it does not replace what the author wrote."""
    from textual.widgets import Input

    app = quick(wizard(opened(draft), section="meta"))
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_settled(pilot)
        first = app.focused
        await pilot.press(*keys)
        await settle(pilot)
        focused = app.focused
        assert isinstance(focused, Input) and focused.value
        assert (focused is first) == (not keys)
        before = focused.value
        await pilot.press("z")
        await settle(pilot)
        assert focused.value == before + "z"
