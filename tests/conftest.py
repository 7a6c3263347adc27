"""Shared fixtures: the real content, a small hand-written KB, and isolated user folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# `make test` (and CI) draws the same examples every run, so a green run stays green and a
# red one can be repeated; `HYPOTHESIS_PROFILE=explore make test` draws new ones to hunt for
# bugs (that is how "one-node" in an explanation that must name the count was found).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = ROOT / "faq_data"
FIXTURE_KB = Path(__file__).resolve().parent / "data" / "kb"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real cache or data folders; the index cache is shared per session."""
    monkeypatch.setenv("FAQ_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "shared-cache"))
    monkeypatch.setenv("FAQ_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))
    monkeypatch.delenv("FAQ_DATA", raising=False)
    monkeypatch.setenv("FAQ_LANG", "ja")
    monkeypatch.setenv("FAQ_CONFIG", str(tmp_path_factory.mktemp("config") / "config.toml"))


@pytest.fixture(scope="session")
def real_kb():
    from kb.content.load import load_kb

    return load_kb(REAL_DATA)


@pytest.fixture(scope="session")
def engine(real_kb, tmp_path_factory):
    from kb.library import Library

    library = Library(real_kb, tmp_path_factory.mktemp("engine-cache"))
    yield library.engine
    library.close()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the real content, to break on purpose."""
    target = tmp_path / "faq_data"
    shutil.copytree(REAL_DATA, target)
    return target


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A writable copy of the hand-written fixture KB (two good entries, one malformed)."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target


def synth_engine_for(tmp_path_factory: pytest.TempPathFactory, size: int, seed: int):
    """An engine over a generated knowledge base of ``size`` entries (bench/synth.py), for module fixtures."""
    from bench.synth import generate_corpus
    from kb.content.load import load_kb
    from kb.retrieval.healing import open_engine

    data = tmp_path_factory.mktemp(f"synth-{size}")
    generate_corpus(data, size, seed=seed)
    engine, _info = open_engine(load_kb(data), tmp_path_factory.mktemp("synth-cache"))
    return engine
