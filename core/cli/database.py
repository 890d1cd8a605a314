"""`pedpulse make-migration`: the developer's command for a schema change."""

import re

import click
from alembic.script import ScriptDirectory

from core import db, readiness
from core.cli.runtime import settings_of

SEQUENTIAL = re.compile(r"\d{4}")


@click.command("make-migration")
@click.argument("message")
@click.option("--rev-id", default=None, help="Sequential id; default: the next free one.")
@click.pass_context
def make_migration(ctx: click.Context, message: str, rev_id: str | None) -> None:
    """Developer tool: autogenerate a migration from the models.

    The database of DATABASE_URL is upgraded first, since the models are compared with it.
    An id that already exists is refused before anything is touched: two revisions with one
    id make every later `pedpulse init` fail.
    """
    scripts = ScriptDirectory.from_config(db.alembic_config("sqlite://"))
    taken = {script.revision for script in scripts.walk_revisions()}
    free = f"{max((int(r) for r in taken if SEQUENTIAL.fullmatch(r)), default=0) + 1:04d}"
    if rev_id is not None and not SEQUENTIAL.fullmatch(rev_id):
        raise click.BadParameter(
            f"{rev_id!r} is not four digits like {free}", param_hint="--rev-id"
        )
    if rev_id in taken:
        problem = f"{rev_id} exists already; the next free id is {free}"
        raise click.BadParameter(problem, param_hint="--rev-id")
    if not message.strip():
        raise click.BadParameter("say in a few words what changed", param_hint="MESSAGE")
    new_id = rev_id or free
    url = settings_of(ctx).database_url
    readiness.upgrade(url)
    db.make_revision(url, message, new_id)
    written = ScriptDirectory.from_config(db.alembic_config(url)).get_revision(new_id)
    click.echo(f"Wrote {written.path if written else new_id}: read it, tidy it, commit it.")
