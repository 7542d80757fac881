"""The sha256 of input files as they are now, read as every input is read (bounded, regular files
only): whether a saved run's inputs still hold."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from pathlib import Path

from .limits import LimitExceeded, Limits
from .readers import _read_bounded

__all__ = ["current_hashes"]


def current_hashes(base: Path, names: Collection[str]) -> dict[str, str | None]:
    """The sha256 of each file ``names`` names (relative to ``base``, as :class:`Reader` records
    them) as it is now, None for one that is gone or cannot be read: whether a saved run's inputs
    still hold (``lev2040 runs list`` marks a run stale)."""
    limits = Limits.from_env()
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = hashlib.sha256(_read_bounded(Path(base) / name, limits)).hexdigest()
        except (OSError, ValueError, LimitExceeded):
            out[name] = None
    return out
