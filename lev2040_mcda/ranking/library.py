"""pymcdm, imported without the parts that ranking does not use until they are used.

``import pymcdm`` imports every part of it: its plots (``pymcdm.visuals``, which imports
matplotlib) and its objective weights (``pymcdm.weights``, which imports scipy) take about a
second here, several times what ranking 5,000 measures takes. So when the engine imports pymcdm
first, those two are put in place as stand-ins that import the real module when it is first used
(any attribute, or a module inside it): entropy and CRITIC weights then load scipy, and a program
that plots with pymcdm in the same process gets the real ``pymcdm.visuals``, only later. Every
import of pymcdm in this stage goes through :func:`pymcdm`.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types

__all__ = ["DEFERRED", "pymcdm"]

DEFERRED = ("pymcdm.visuals", "pymcdm.weights")
"""The parts of pymcdm imported on first use."""

_LOCK = threading.Lock()


def pymcdm() -> types.ModuleType:
    """The pymcdm package, its :data:`DEFERRED` parts as stand-ins when this imports it first."""
    if "pymcdm" not in sys.modules:
        with _LOCK:
            if "pymcdm" not in sys.modules:
                for name in DEFERRED:
                    sys.modules.setdefault(name, _stand_in(name))
    import pymcdm

    return pymcdm


def _stand_in(name: str) -> types.ModuleType:
    """A module that imports the real ``name`` at the first attribute asked of it."""
    module = types.ModuleType(name, f"{name}, imported when first used (lev2040_mcda.ranking.library)")

    def __getattr__(attr: str) -> object:
        return getattr(_real(name, module), attr)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    return module


def _real(name: str, stand_in: types.ModuleType) -> types.ModuleType:
    with _LOCK:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
    return importlib.import_module(name)  # sets it on pymcdm too, in place of the stand-in
