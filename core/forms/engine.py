"""The steps every form runs from its spec (core.forms.spec); each public function commits."""

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from core.audience import Audience, AudienceKind
from core.errors import InvalidInput, StaleAction
from core.forms.spec import SUMMARY, Act, Context, Field, Form, Kind, Press, Step
from core.messaging.outbox import enqueue
from core.models import Person
from core.people.viewer import Pending, load_person, pending_of, set_pending
from core.screens import Screen

D = TypeVar("D")


def field_of(form: Form[Any], name: str) -> Field | None:
    """The field called `name` (None for the summary)."""
    return next((f for f in form.fields if f.name == name), None)


def _next(form: Form[D], draft: D, done: str | None, ctx: Context) -> str:
    names = [f.name for f in form.fields]
    later = names if done is None else names[names.index(done) + 1 :]
    return next((name for name in later if form.needed(draft, name, ctx)), SUMMARY)


async def _loaded(
    session: AsyncSession, person: Person, forms: Mapping[str, Form[Any]], press: Press | None
) -> tuple[Form[Any], Any, Pending]:
    """The form and draft the person's pending step belongs to (the one a press names)."""
    pending = pending_of(person)
    elsewhere = pending is None or (press is not None and pending.form != press.form)
    if press is not None and elsewhere and press.act == Act.EDIT:  # another form is left
        form = forms.get(press.form)
        draft = await form.load(session, person, press.target or None) if form else None
        if form is None or not form.resting(draft):  # only a resting summary has no step
            raise StaleAction()
        return form, draft, Pending(form.name, SUMMARY, form.target(draft), False)
    if pending is None or pending.form not in forms:
        raise StaleAction()
    if press is not None and (press.form, press.target) != (pending.form, pending.target or 0):
        raise StaleAction()
    form = forms[pending.form]
    return form, await form.load(session, person, pending.target), pending


async def begin(
    session: AsyncSession,
    person: Person,
    form: Form[D],
    draft: D,
    ctx: Context,
    at: str | None = None,
) -> Screen:
    """Start the form on `draft` at its first needed field (or at `at`, e.g. the summary)."""
    field = at or _next(form, draft, None, ctx)
    set_pending(person, Pending(form.name, field, form.target(draft), False))
    await session.commit()
    return await _show(session, person, form, draft, ctx)


async def summary_of(session: AsyncSession, person: Person, form: Form[D], ctx: Context) -> Screen:
    """A resting form's summary (a registered person's profile), with its buttons."""
    draft = await form.load(session, person, None)
    names = tuple(f.name for f in form.fields)
    step = Step(form.name, form.code, names, 0, SUMMARY, False)
    return await form.summary(session, draft, step, ctx)


async def current(
    session: AsyncSession, person_id: int, forms: Mapping[str, Form[Any]], ctx: Context
) -> Screen:
    """What the person is asked now (again after a refused answer)."""
    person = await load_person(session, person_id)
    form, draft, _ = await _loaded(session, person, forms, None)
    return await _show(session, person, form, draft, ctx)


async def typed(
    session: AsyncSession,
    person_id: int,
    text: str,
    forms: Mapping[str, Form[Any]],
    ctx: Context,
) -> Screen:
    """Typed text for the field asked now; InvalidInput keeps the field for another try."""
    person = await load_person(session, person_id)
    try:
        form, draft, pending = await _loaded(session, person, forms, None)
    except StaleAction:  # the draft went meanwhile: the text no longer belongs to it
        set_pending(person, None)
        await session.commit()
        raise
    field = field_of(form, pending.field)
    if field is None or not (field.kind == Kind.TEXT or field.typed):
        raise InvalidInput("use_buttons")
    await form.typed(session, draft, field.name, text.strip(), ctx)
    return await _advance(session, person, form, draft, pending, ctx)


async def pressed(
    session: AsyncSession,
    person_id: int,
    press: Press,
    forms: Mapping[str, Form[Any]],
    ctx: Context,
) -> Screen:
    """A button of a form: a value for the field asked, a tick, a correction, a page."""
    person = await load_person(session, person_id)
    form, draft, pending = await _loaded(session, person, forms, press)
    if press.act in (Act.EDIT, Act.BACK):
        return await _correct(session, person, form, draft, pending, press, ctx)
    field = form.fields[press.field] if 0 <= press.field < len(form.fields) else None
    if field is None or field.name != pending.field:
        raise StaleAction()
    if press.act == Act.PAGE:
        return await _show(session, person, form, draft, ctx, page=press.value)
    if field.kind == Kind.AUDIENCE:
        return await _audience(session, person, form, draft, pending, press, ctx)
    if press.act == Act.TICK and field.kind == Kind.MULTI:
        await form.ticked(session, draft, field.name, abs(press.value), press.value > 0)
        await session.commit()
        return await _show(session, person, form, draft, ctx)
    if press.act == Act.DONE and field.kind == Kind.MULTI:
        await form.finished(session, draft, field.name)
    elif press.act == Act.CHOOSE and field.kind == Kind.CHOICE:
        await form.chosen(session, draft, field.name, press.value, press.key, ctx)
    else:
        raise StaleAction()
    return await _advance(session, person, form, draft, pending, ctx)


async def _correct(
    session: AsyncSession,
    person: Person,
    form: Form[D],
    draft: D,
    pending: Pending,
    press: Press,
    ctx: Context,
) -> Screen:
    """EDIT from the summary asks one field again; BACK leaves the correction unchanged."""
    target = form.target(draft)
    if press.act == Act.EDIT:
        if pending.field != SUMMARY or not 0 <= press.field < len(form.fields):
            raise StaleAction()
        name = form.fields[press.field].name
        if not form.editable(draft, name, ctx):
            raise StaleAction()
        set_pending(person, Pending(form.name, name, target, True))
    else:
        if not pending.edit or form.after_edit(draft) is not None:
            raise StaleAction()
        set_pending(
            person, None if form.resting(draft) else Pending(form.name, SUMMARY, target, False)
        )
    await session.commit()
    return await _show(session, person, form, draft, ctx)


async def _advance(
    session: AsyncSession, person: Person, form: Form[D], draft: D, pending: Pending, ctx: Context
) -> Screen:
    """Past the field just taken: the next needed one, or back to the summary after a
    correction (unless the correction emptied a field that must be asked again)."""
    target = form.target(draft)
    if pending.edit:
        again = form.after_edit(draft)
        field, edit = (again, True) if again else (SUMMARY, False)
    else:
        field, edit = _next(form, draft, pending.field, ctx), False
    resting = field == SUMMARY and form.resting(draft)
    set_pending(person, None if resting else Pending(form.name, field, target, edit))
    try:
        notices = await form.changed(session, person, draft, pending.field, ctx)
    except InvalidInput:
        await session.rollback()  # refused after all: the value taken is not kept either
        raise
    await session.flush()
    await enqueue(session, notices, ctx.now)
    await session.commit()
    return await _show(session, person, form, draft, ctx)


async def _show(
    session: AsyncSession, person: Person, form: Form[D], draft: D, ctx: Context, page: int = 0
) -> Screen:
    pending = pending_of(person) or Pending(form.name, SUMMARY, form.target(draft), False)
    names = tuple(f.name for f in form.fields)
    step = Step(
        form.name, form.code, names, pending.target or 0, pending.field, pending.edit, page
    )
    if pending.field == SUMMARY:
        return await form.summary(session, draft, step, ctx)
    return await form.ask(session, draft, pending.field, step, ctx)


async def _audience(
    session: AsyncSession,
    person: Person,
    form: Form[D],
    draft: D,
    pending: Pending,
    press: Press,
    ctx: Context,
) -> Screen:
    """The shared audience steps: a kind; then, for schools or subjects, ticks and «Готово»."""
    stored, _ = form.audience_place(draft)
    kinds = list(AudienceKind)
    if press.act == Act.KIND and 0 <= press.value < len(kinds):
        chosen = Audience(kinds[press.value])
        form.set_audience(draft, chosen)
        if not chosen.needs_choice:
            return await _advance(session, person, form, draft, pending, ctx)
    elif press.act == Act.TICK:
        toggled = Audience.chosen(stored).toggled(abs(press.value), press.value > 0)
        form.set_audience(draft, toggled)
    elif press.act == Act.DONE and Audience.from_json(stored) is not None:
        return await _advance(session, person, form, draft, pending, ctx)
    else:
        raise StaleAction()
    await session.commit()
    return await _show(session, person, form, draft, ctx)


async def at_summary(session: AsyncSession, person: Person, form: Form[D], target: int) -> D:
    """The draft whose summary the person is at (to publish or launch it); StaleAction when
    they are elsewhere, or the button belongs to another draft."""
    pending = pending_of(person)
    if pending is None or (pending.form, pending.field) != (form.name, SUMMARY):
        raise StaleAction()
    if (pending.target or 0) != target:
        raise StaleAction()
    draft: D = await form.load(session, person, pending.target)
    return draft
