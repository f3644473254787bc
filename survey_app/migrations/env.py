"""Alembic environment: migrate the database of the current Flask app."""

from __future__ import annotations

from alembic import context
from flask import current_app

from survey_app.extensions import db

target_metadata = db.metadata


def run_migrations() -> None:
    """Run migrations on the app's engine, inside one transaction."""
    connectable = db.engine
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `survey-app init`")
assert current_app, "migrations run inside the app context"
run_migrations()
