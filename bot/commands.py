"""The command table: who may use each command, and the per-role menus sent with setMyCommands."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Message

from core.models import Role
from core.texts import Texts


class Access(StrEnum):
    ANYONE = "anyone"
    CONSENTED = "consented"  # has given consent, registration may be unfinished
    REGISTERED = "registered"
    ROLES = "roles"  # registered with one of `roles` (bootstrap admins need no registration)


@dataclass(frozen=True)
class Rule:
    """Who may use a handler; handlers carry it as the `access` flag."""

    access: Access
    roles: frozenset[Role] = frozenset()

    @property
    def flags(self) -> dict[str, object]:
        return {"access": self}


ANYONE = Rule(Access.ANYONE)
CONSENTED = Rule(Access.CONSENTED)
REGISTERED = Rule(Access.REGISTERED)
INVITERS = Rule(Access.ROLES, frozenset({Role.ADMIN, Role.METHODIST}))
ADMINS = Rule(Access.ROLES, frozenset({Role.ADMIN}))
METHODISTS = Rule(Access.ROLES, frozenset({Role.METHODIST}))
ORGANISERS = METHODISTS  # seminars are run by the methodological service
MENTORS = Rule(Access.ROLES, frozenset({Role.MENTOR}))


@dataclass(frozen=True)
class CommandSpec:
    name: str
    rule: Rule

    @property
    def access_roles(self) -> frozenset[Role]:
        """The roles a privileged command needs (empty for everyday commands)."""
        return self.rule.roles


COMMANDS = {
    spec.name: spec
    for spec in (
        CommandSpec("start", ANYONE),
        CommandSpec("help", ANYONE),
        CommandSpec("profile", REGISTERED),
        CommandSpec("surveys", REGISTERED),
        CommandSpec("route", REGISTERED),
        CommandSpec("myresults", REGISTERED),
        CommandSpec("mydata", CONSENTED),
        CommandSpec("forget", CONSENTED),
        CommandSpec("language", CONSENTED),
        CommandSpec("invite", INVITERS),
        CommandSpec("overview", METHODISTS),
        CommandSpec("announce", METHODISTS),
        CommandSpec("support", METHODISTS),
        CommandSpec("campaign_new", METHODISTS),
        CommandSpec("campaigns", METHODISTS),
        CommandSpec("report", METHODISTS),
        CommandSpec("export", METHODISTS),
        CommandSpec("summary_settings", METHODISTS),
        CommandSpec("seminars", REGISTERED),
        CommandSpec("seminar_new", ORGANISERS),
        CommandSpec("myseminars", ORGANISERS),
        CommandSpec("mentor", REGISTERED),
        CommandSpec("mentees", MENTORS),
        CommandSpec("mentoring", METHODISTS),
    )
}
PUBLIC_MENU = ("start", "help")


def is_command(message: Message) -> bool:
    """A slash command: never taken as the text a form or questionnaire is waiting for."""
    return (message.text or "").startswith("/")


def available(roles: frozenset[Role], registered: bool, consented: bool) -> list[CommandSpec]:
    """Commands a person in this state can use, in menu order."""
    return [spec for spec in COMMANDS.values() if allows(spec.rule, roles, registered, consented)]


def allows(rule: Rule, roles: frozenset[Role], registered: bool, consented: bool) -> bool:
    """Whether a person in this state passes `rule`."""
    if rule.access == Access.ROLES:
        return bool(rule.roles & roles)
    if rule.access == Access.REGISTERED:
        return registered
    return rule.access == Access.ANYONE or consented


def menu(specs: list[CommandSpec], t: Texts) -> list[BotCommand]:
    """Bot menu entries with descriptions in the catalogue's language."""
    return [BotCommand(command=spec.name, description=t(f"cmd_{spec.name}")) for spec in specs]


async def set_default_menus(bot: Bot, catalogues: Mapping[str, Texts], default: str) -> None:
    """The menu everybody sees before registering, per client language."""
    public = [COMMANDS[name] for name in PUBLIC_MENU]
    await bot.set_my_commands(menu(public, catalogues[default]), scope=BotCommandScopeDefault())
    for language, t in catalogues.items():
        await bot.set_my_commands(
            menu(public, t), scope=BotCommandScopeDefault(), language_code=language
        )


async def set_person_menu(
    bot: Bot, chat_id: int, roles: frozenset[Role], registered: bool, t: Texts
) -> None:
    """The menu of one chat, matching the person's roles (the public one after /forget)."""
    specs = available(roles, True, True) if registered else [COMMANDS[n] for n in PUBLIC_MENU]
    await bot.set_my_commands(menu(specs, t), scope=BotCommandScopeChat(chat_id=chat_id))
