"""Shared helpers: where the datasets are, and a clear skip when they are absent."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Skip(Exception):
    """A benchmark cannot run here (its data is missing); the message says why."""


def datasets_dir() -> Path:
    return Path(os.environ.get("WENZHEN_DATASETS", ROOT.parent / "shared" / "datasets"))


def dataset(name: str) -> Path:
    path = datasets_dir() / name
    if not path.exists():
        raise Skip(f"dataset {name!r} not found at {path} (set WENZHEN_DATASETS)")
    return path
