"""The public downloads: /api/draws/{id}/proof.json and /api/verify.py."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from luckychit_app.api.routes import api
from luckychit_app.services.draws import conducting
from tests.services.helpers import active_group, current_draw, foreman, pay_dues


@pytest.fixture
def client(tx, monkeypatch):
    monkeypatch.setattr("luckychit_app.db.get_engine", lambda: tx.args[0])
    return TestClient(api)


def test_the_proof_of_a_completed_draw_downloads_as_stored(tx, client, tmp_path):
    boss = foreman(tx)
    group_id, tickets = active_group(tx, boss, tickets=3)
    open_id = current_draw(tx, group_id).id
    assert client.get(f"/api/draws/{open_id}/proof.json").status_code == 404  # not drawn yet
    pay_dues(tx, boss, tickets, 1)
    with tx() as s:
        draw = conducting.conduct_draw(s, actor=boss, draw_id=open_id)
    response = client.get(f"/api/draws/{draw.id}/proof.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content.decode() == draw.proof_json
    assert json.loads(response.content)["draw_id"] == draw.id
    for bad in ("999999", "abc", "-1", "1.5"):
        assert client.get(f"/api/draws/{bad}/proof.json").status_code == 404
    # The downloaded verifier checks the downloaded proof, run as a lone file outside the project.
    verifier = client.get("/api/verify.py")
    assert verifier.status_code == 200 and 'filename="verify.py"' in verifier.headers["content-disposition"]
    source = Path(__file__).resolve().parents[3] / "luckychit_app" / "verify.py"
    assert hashlib.sha256(verifier.content).digest() == hashlib.sha256(source.read_bytes()).digest()
    (tmp_path / "verify.py").write_bytes(verifier.content)
    (tmp_path / "proof.json").write_bytes(response.content)
    done = subprocess.run(
        [sys.executable, "-I", "verify.py", "proof.json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("VALID"), done.stdout + done.stderr
    assert draw.proof_sha256 in done.stdout
    tampered = json.loads(response.content)
    tampered["month"] += 1
    (tmp_path / "proof.json").write_text(json.dumps(tampered))
    done = subprocess.run(
        [sys.executable, "-I", "verify.py", "proof.json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 1 and "INVALID: selection" in done.stdout
