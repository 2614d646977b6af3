"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import luckychit_app.models  # noqa: F401  (registers the tables)
from luckychit_app.cli import _alembic_config


def test_migrated_schema_matches_the_models(engine):
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": conn.dialect.name == "sqlite"}
        )
        assert context.get_current_revision() == head
        diffs = compare_metadata(context, SQLModel.metadata)
    assert diffs == [], "models and migrations disagree; add a migration:\n" + "\n".join(map(str, diffs))
