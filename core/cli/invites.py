"""`pedpulse invite`: a school's teacher link, or a one-time role link for a municipality.

Everything is checked first (the options, the bot's name, the school or municipality); the
invite is written last, so a refused command leaves no usable link behind.
"""

import http.client
import json
import urllib.error
import urllib.request
from datetime import timedelta

import click
from sqlalchemy.ext.asyncio import AsyncSession

from core.cli.runtime import on_database, settings_of
from core.config import Settings
from core.errors import NotFound
from core.models import Role
from core.people.invites import (
    ROLE_INVITES,
    RoleInviteRequest,
    deep_link,
    find_municipality,
    find_school,
    parse_duration,
    role_link,
    school_link,
)
from core.timeutil import utcnow

TELEGRAM_API = "https://api.telegram.org"
MAX_USES = 10_000  # people one role link may let in; the column is a 32-bit integer


@click.command()
@click.option("--school", help="School name: print the teachers' link of this school.")
@click.option(
    "--role", type=click.Choice([r.value for r in ROLE_INVITES]), help="Make a one-time role link."
)
@click.option("--municipality", help="Municipality of the role link (or of the school).")
@click.option("--expires", default=None, help="Role link lifetime, e.g. 7d, 12h, 2w (≤ 366d).")
@click.option("--uses", type=click.IntRange(1, MAX_USES), default=None, help="Role link uses [1].")
@click.pass_context
def invite(
    ctx: click.Context,
    school: str | None,
    role: str | None,
    municipality: str | None,
    expires: str | None,
    uses: int | None,
) -> None:
    """Print an invite link: a school's teacher link, or a role link for a municipality."""
    _check_options(school, role, municipality, expires, uses)
    lifetime = _lifetime(expires)
    username = bot_username(settings_of(ctx))

    async def _make(session: AsyncSession) -> str:
        now = utcnow()
        town = await find_municipality(session, municipality) if municipality else None
        if school is not None:
            found = await find_school(session, school, municipality)
            return (await school_link(session, found.id, now)).code
        assert town is not None and role is not None
        request = RoleInviteRequest(Role(role), town.id, lifetime, uses or 1)
        return (await role_link(session, request, now)).code

    try:
        code = on_database(ctx, _make)
    except NotFound as exc:
        raise click.ClickException(_not_found_message(exc, municipality)) from exc
    click.echo(deep_link(username, code))


def _check_options(
    school: str | None,
    role: str | None,
    municipality: str | None,
    expires: str | None,
    uses: int | None,
) -> None:
    if (school is None) == (role is None):
        raise click.UsageError("give either --school NAME or --role ROLE --municipality NAME")
    if role is not None and municipality is None:
        raise click.UsageError("--role needs --municipality NAME")
    if school is not None and (expires is not None or uses is not None):
        raise click.UsageError(
            "--expires and --uses are for role links; a school's link is permanent"
        )


def _lifetime(expires: str | None) -> timedelta | None:
    try:
        return parse_duration(expires) if expires else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--expires") from exc


def _not_found_message(exc: NotFound, municipality: str | None) -> str:
    name = exc.details.get("name")
    where = f" in {municipality!r}" if municipality else ""
    fix = "check the spelling, or import the roster first"
    return {
        "school_unknown": f"no school called {name!r}{where}: {fix}",
        "school_ambiguous": f"several schools are called {name!r}: add --municipality",
        "municipality_unknown": f"no municipality called {name!r}: {fix}",
    }.get(exc.code, exc.code)


def bot_username(settings: Settings) -> str:
    """BOT_USERNAME, or the name Telegram gives for BOT_TOKEN; ClickException if neither."""
    if settings.bot_username:
        return settings.bot_username
    if settings.bot_token is None:
        raise click.ClickException("set BOT_USERNAME or BOT_TOKEN in .env to build the link")
    base = (settings.telegram_api_url or TELEGRAM_API).rstrip("/")
    url = f"{base}/bot{settings.bot_token.get_secret_value()}/getMe"
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 (fixed scheme)
            username = json.load(response)["result"]["username"]
    except urllib.error.HTTPError as exc:
        status = f"{exc.code} {http.client.responses.get(exc.code, '')}".strip()  # not its text
        message = f"Telegram refused BOT_TOKEN ({status}): fix it or set BOT_USERNAME"
        raise click.ClickException(message) from exc
    except (OSError, ValueError, LookupError, TypeError, http.client.HTTPException) as exc:
        # never the exception's text: the URL it may quote holds the token
        raise click.ClickException(
            f"could not ask Telegram for the bot's name ({type(exc).__name__}): check "
            "TELEGRAM_API_URL, the network and BOT_TOKEN, or set BOT_USERNAME in .env"
        ) from exc
    return str(username)
