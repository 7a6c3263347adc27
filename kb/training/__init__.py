"""Training: quiz items, answer checking, FSRS scheduling, the progress store and sessions.

The modules are pure: the caller passes ``now``, paths, random generators and settings in.
The names re-exported here are the API the CLI and the TUI Training screen use.
"""

from __future__ import annotations

from kb.training.answer import parse_bool, parse_choice, parse_numeric
from kb.training.generate import generate_items, generated_links, validate_generated_links
from kb.training.items import TrainingItem, collect_items, from_quiz, validate_links, validate_quiz
from kb.training.progress import (
    Mastery,
    Missed,
    ProgressReport,
    build_report,
    compute_streak,
    overview_row,
    report_to_dict,
)
from kb.training.scheduler import FAST_SECONDS, Rating, choose_rating, retrievability, review
from kb.training.session import Feedback, Session, SessionSummary, build_queue, start_session
from kb.training.store import (
    SCHEMA_VERSION,
    ProgressStore,
    ReviewRecord,
    open_store,
    profile_from_user,
    validate_profile,
)

__all__ = [
    "FAST_SECONDS",
    "SCHEMA_VERSION",
    "Feedback",
    "Mastery",
    "Missed",
    "ProgressReport",
    "ProgressStore",
    "Rating",
    "ReviewRecord",
    "Session",
    "SessionSummary",
    "TrainingItem",
    "build_queue",
    "build_report",
    "choose_rating",
    "collect_items",
    "compute_streak",
    "from_quiz",
    "generate_items",
    "generated_links",
    "open_store",
    "overview_row",
    "parse_bool",
    "parse_choice",
    "parse_numeric",
    "profile_from_user",
    "report_to_dict",
    "retrievability",
    "review",
    "start_session",
    "validate_generated_links",
    "validate_links",
    "validate_profile",
    "validate_quiz",
]
