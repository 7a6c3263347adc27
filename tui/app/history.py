"""Back and forward navigation over visited places, as in a web browser."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_LIMIT = 200


class History(Generic[T]):
    """Places visited in order and a cursor into them.

    Visiting a place after going back drops the places that were ahead, the way a
    browser forgets its forward pages once you follow a new link.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        self.limit = limit
        self._places: list[T] = []
        self._cursor = -1

    @property
    def current(self) -> T | None:
        """Where we are now, or None before the first visit."""
        return self._places[self._cursor] if self._places else None

    @property
    def can_back(self) -> bool:
        return self._cursor > 0

    @property
    def can_forward(self) -> bool:
        return self._cursor < len(self._places) - 1

    def visit(self, place: T) -> None:
        """Go to ``place``; visiting where we already are is not a new step."""
        if self._places and self._places[self._cursor] == place:
            return
        del self._places[self._cursor + 1 :]
        self._places.append(place)
        if len(self._places) > self.limit:
            del self._places[0]  # the oldest place goes; the cursor stays on the newest
        self._cursor = len(self._places) - 1

    def back(self) -> T | None:
        """Step back and return the place there, or None (and stay) at the start."""
        if not self.can_back:
            return None
        self._cursor -= 1
        return self._places[self._cursor]

    def forward(self) -> T | None:
        """Step forward and return the place there, or None (and stay) at the end."""
        if not self.can_forward:
            return None
        self._cursor += 1
        return self._places[self._cursor]

    def places(self) -> tuple[T, ...]:
        """Every remembered place, oldest first."""
        return tuple(self._places)

    def __len__(self) -> int:
        return len(self._places)
