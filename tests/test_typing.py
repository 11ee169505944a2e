"""The package type-checks with mypy and the pydantic plugin, as configured in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_type_checks() -> None:
    stdout, stderr, status = mypy_api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache"),
         str(ROOT / "newsgold")])
    assert status == 0, f"mypy found problems (run `.venv/bin/mypy`):\n{stdout}{stderr}"
