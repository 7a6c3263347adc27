"""The Textual app: screens, widgets, app state, bookmarks and history."""
