"""Shared fixtures and the hypothesis profiles ("ci" when the CI environment variable is set)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"

settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.getenv("HYPOTHESIS_PROFILE", "ci" if os.getenv("CI") else "dev"))


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch):
    """Paths in messages are shown relative to the working directory; pin it."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A writable copy of cases/tiny, to corrupt in a test."""
    dest = tmp_path / "tiny"
    shutil.copytree(CASES / "tiny", dest)
    return dest


@pytest.fixture
def invoke():
    """Run the ``lev2040`` CLI in-process; stdout and stderr stay separate (click >= 8.2)."""
    from click.testing import CliRunner

    from lev2040_mcda.cli import cli

    def run(*args: str):
        return CliRunner().invoke(cli, [str(a) for a in args])

    return run


@pytest.fixture
def in_tiny(tiny, monkeypatch) -> Path:
    """The writable copy of cases/tiny as working directory: messages then name `measures.csv`."""
    monkeypatch.chdir(tiny)
    return tiny


def write_weights_case(
    root: Path,
    criteria: list[str],
    groups: dict[str, float] | None,
    submissions: dict[str, str] | None = None,
) -> Path:
    """A minimal valid case: the given criteria (all benefit), two measures, the given groups
    (id -> influence) and the given files under weights/."""
    root.mkdir(parents=True, exist_ok=True)
    lines = ["name: handmade", "criteria: criteria.yaml"]
    if groups:
        lines.append("groups:")
        lines += [f"  - {{id: {g}, influence: {v!r}}}" for g, v in groups.items()]
    (root / "case.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "criteria.yaml").write_text(
        "criteria:\n" + "".join(f"  - {{id: {c}, name: {c}, direction: benefit}}\n" for c in criteria),
        encoding="utf-8",
    )
    (root / "measures.csv").write_text(
        "id,name,"
        + ",".join(criteria)
        + "\n"
        + "m1,M1,"
        + ",".join(str(k + 1) for k in range(len(criteria)))
        + "\n"
        + "m2,M2,"
        + ",".join(str(len(criteria) - k) for k in range(len(criteria)))
        + "\n",
        encoding="utf-8",
    )
    (root / "weights").mkdir(exist_ok=True)
    for name, text in (submissions or {}).items():
        (root / "weights" / name).write_text(text, encoding="utf-8")
    return root


def save_runs(root: Path, what_ifs: dict[str, list[str]]) -> dict:
    """Each what-if (``name: [command, options...]``) run on the case at ``root`` with
    ``--save name``, and the saved runs read back from its store, by name."""
    from click.testing import CliRunner

    from lev2040_mcda.cli import cli
    from lev2040_mcda.runs import open_store

    runner = CliRunner()
    for name, args in what_ifs.items():
        done = runner.invoke(cli, [args[0], str(root), *args[1:], "--save", name])
        assert done.exit_code == 0, done.output
    with open_store(root) as store:
        return {name: store.get(root.name, name) for name in what_ifs}
