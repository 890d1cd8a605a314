"""`pedpulse make-migration`: the developer's command for a schema change."""

import click

from core import db, readiness
from core.cli_runtime import settings_of


@click.command("make-migration")
@click.argument("message")
@click.option("--rev-id", required=True, help="Sequential id, e.g. 0002.")
@click.pass_context
def make_migration(ctx: click.Context, message: str, rev_id: str) -> None:
    """Developer tool: autogenerate a migration from the models (database must be at head)."""
    url = settings_of(ctx).database_url
    readiness.upgrade(url)
    db.make_revision(url, message, rev_id)
