"""The ``lev2040`` command line: one module per command family and its text tables.

The commands import the library inside their bodies, so ``lev2040 --help`` starts at once.
"""

from __future__ import annotations

from .app import cli, main

__all__ = ["cli", "main"]
