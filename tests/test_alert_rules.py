"""ops/prometheus/alerts.yml is valid and its unit tests pass (`promtool check rules` / `test rules`).

promtool comes from Debian's prometheus package (the Makefile's browser-deps installs it). Missing
promtool skips here and fails on CI (CI=true), like every other missing component: an alert rule
that does not parse only shows itself the night it should have paged someone."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[1] / "ops" / "prometheus"


def _promtool() -> str:
    found = shutil.which("promtool")
    if found:
        return found
    reason = "promtool is not installed (apt-get install prometheus)"
    if os.environ.get("CI"):
        pytest.fail(reason + " and CI is set, so the alert rules must be checked", pytrace=False)
    pytest.skip(reason)


@pytest.mark.parametrize("command", [["check", "rules", "alerts.yml"], ["test", "rules", "alerts_test.yml"]])
def test_promtool(command: list[str]) -> None:
    done = subprocess.run(
        [_promtool(), *command], cwd=RULES, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
