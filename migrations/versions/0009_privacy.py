"""ids never reused, forgetting reaches the outbox, anonymous answers released unlinkable

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 09:00:00

- SQLite: every table with an integer id gets AUTOINCREMENT (recreated in batch mode), so a
  deleted draft's id is never given to a newer one (a stale button could act on it).
- delivery: rows go with the person they are for (CASCADE) and with the person they are
  about (`about_id`); `edit_message_id` lets a row edit a message. broadcast: `person_id`.
- registration: `checkin_failures` (wrong codes sent), `card_message_id`.
- Anonymous answers move to `anonymous_response` / `anonymous_answer` (random ids, no
  order, no person). Answers released before this revision kept school, subjects and the
  young flag per person; they move with those dropped, as nobody checked their group size.
"""

import json
import uuid
from collections.abc import Sequence
from contextlib import AbstractContextManager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_INTEGER_ID = (
    "municipality",
    "school",
    "subject",
    "person",
    "invite",
    "consent_refusal",
    "attachment",
    "broadcast",
    "delivery",
    "announcement",
    "seminar",
    "registration",
    "response",
    "answer",
    "completion",
    "support_request",
    "campaign",
    "campaign_member",
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    _anonymous_tables()
    _move_released_anonymous()
    with _table("response") as batch:
        batch.drop_constraint("fk_response_school_id_school", type_="foreignkey")
        batch.drop_column("school_id")
        batch.drop_column("subject_ids")
        batch.drop_column("young")
    with _table("delivery") as batch:
        batch.drop_constraint("fk_delivery_person_id_person", type_="foreignkey")
        batch.create_foreign_key(
            "fk_delivery_person_id_person", "person", ["person_id"], ["id"], ondelete="CASCADE"
        )
        batch.add_column(sa.Column("about_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("edit_message_id", sa.BigInteger(), nullable=True))
        batch.create_foreign_key(
            "fk_delivery_about_id_person", "person", ["about_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_delivery_about_id", ["about_id"], unique=False)
    with _table("broadcast") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_broadcast_person_id_person", "person", ["person_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_broadcast_person_id", ["person_id"], unique=False)
    with _table("registration") as batch:
        batch.add_column(
            sa.Column("checkin_failures", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("card_message_id", sa.BigInteger(), nullable=True))
    with _table("registration") as batch:
        batch.alter_column("checkin_failures", server_default=None)
    if _sqlite():
        done = {"response", "delivery", "broadcast", "registration"}
        for name in WITH_INTEGER_ID:
            if name not in done:
                with _table(name):
                    pass


def _table(name: str) -> AbstractContextManager[BatchOperations]:
    """A batch that, on SQLite, recreates the table with AUTOINCREMENT."""
    if _sqlite():
        return op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        )
    return op.batch_alter_table(name)


def _anonymous_tables() -> None:
    op.create_table(
        "anonymous_response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("instrument", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("seminar_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("subject_ids", sa.JSON(), nullable=False),
        sa.Column("young", sa.Boolean(), nullable=True),
        sa.Column("released_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name="fk_anonymous_response_campaign_id_campaign",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name="fk_anonymous_response_municipality_id_municipality",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name="fk_anonymous_response_school_id_school",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["seminar_id"],
            ["seminar.id"],
            name="fk_anonymous_response_seminar_id_seminar",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_anonymous_response"),
        sqlite_with_rowid=False,
    )
    for column in ("campaign_id", "instrument", "municipality_id", "seminar_id"):
        op.create_index(f"ix_anonymous_response_{column}", "anonymous_response", [column])
    op.create_table(
        "anonymous_answer",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["anonymous_response.id"],
            name="fk_anonymous_answer_response_id_anonymous_response",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", name="pk_anonymous_answer"),
        sqlite_with_rowid=False,
    )


def _move_released_anonymous() -> None:
    """Released anonymous responses (no person any more) move, demographics dropped."""
    bind = op.get_bind()
    r = RESPONSE
    towns = [sa.table(t, sa.column("id"), sa.column("municipality_id")) for t in PLACES]
    campaign, seminar, school = towns
    query = (
        sa.select(
            r.c.id,
            r.c.instrument,
            r.c.version,
            r.c.campaign_id,
            r.c.seminar_id,
            r.c.completed_at,
            r.c.scores,
            sa.func.coalesce(
                campaign.c.municipality_id, seminar.c.municipality_id, school.c.municipality_id
            ),
        )
        .select_from(r)
        .outerjoin(campaign, campaign.c.id == r.c.campaign_id)
        .outerjoin(seminar, seminar.c.id == r.c.seminar_id)
        .outerjoin(school, school.c.id == r.c.school_id)
        .where(r.c.person_id.is_(None), r.c.status == "completed")
    )
    rows = bind.execute(query).all()
    response, answer = ANONYMOUS_RESPONSE, ANONYMOUS_ANSWER
    for old_id, key, version, campaign, seminar, completed, scores, town in rows:
        if town is None:
            continue  # nothing tells which municipality it was from: it cannot be counted
        new_id = uuid.uuid4()
        bind.execute(
            response.insert().values(
                id=new_id,
                instrument=key,
                version=version,
                municipality_id=town,
                campaign_id=campaign,
                seminar_id=seminar,
                school_id=None,
                young=None,
                subject_ids=[],
                released_on=completed,
                scores=_json(scores),
            )
        )
        values = bind.execute(
            sa.text("SELECT item_id, value FROM answer WHERE response_id = :id"), {"id": old_id}
        ).all()
        for item, value in values:
            bind.execute(
                answer.insert().values(response_id=new_id, item_id=item, value=_json(value))
            )
    released = "SELECT id FROM response WHERE person_id IS NULL AND status = 'completed'"
    # foreign keys are off while migrating (migrations/env.py): no cascade, delete both
    bind.execute(sa.text(f"DELETE FROM answer WHERE response_id IN ({released})"))
    bind.execute(sa.text(f"DELETE FROM response WHERE id IN ({released})"))


ANONYMOUS_RESPONSE = sa.table(
    "anonymous_response",
    sa.column("id", sa.Uuid()),
    sa.column("instrument", sa.String()),
    sa.column("version", sa.Integer()),
    sa.column("municipality_id", sa.Integer()),
    sa.column("campaign_id", sa.Integer()),
    sa.column("seminar_id", sa.Integer()),
    sa.column("school_id", sa.Integer()),
    sa.column("young", sa.Boolean()),
    sa.column("subject_ids", sa.JSON()),
    sa.column("released_on", sa.DateTime(timezone=True)),
    sa.column("scores", sa.JSON()),
)
ANONYMOUS_ANSWER = sa.table(
    "anonymous_answer",
    sa.column("response_id", sa.Uuid()),
    sa.column("item_id", sa.String()),
    sa.column("value", sa.JSON()),
)
PLACES = ("campaign", "seminar", "school")
RESPONSE = sa.table(
    "response",
    sa.column("id", sa.Integer()),
    sa.column("person_id", sa.Integer()),
    sa.column("instrument", sa.String()),
    sa.column("version", sa.Integer()),
    sa.column("anonymous", sa.Boolean()),
    sa.column("status", sa.String()),
    sa.column("school_id", sa.Integer()),
    sa.column("subject_ids", sa.JSON()),
    sa.column("campaign_id", sa.Integer()),
    sa.column("seminar_id", sa.Integer()),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("completed_at", sa.DateTime(timezone=True)),
    sa.column("scores", sa.JSON()),
)
ANSWER = sa.table(
    "answer",
    sa.column("response_id", sa.Integer()),
    sa.column("item_id", sa.String()),
    sa.column("value", sa.JSON()),
    sa.column("position", sa.Integer()),
)


def _move_back_anonymous() -> None:
    """Downgrade: released answers return to `response` without a person, as before 0009."""
    bind = op.get_bind()
    found = bind.execute(sa.select(ANONYMOUS_RESPONSE)).mappings().all()
    for row in found:
        moment = row["released_on"]
        new_id = bind.execute(
            RESPONSE.insert()
            .values(
                instrument=row["instrument"],
                version=row["version"],
                anonymous=True,
                status="completed",
                school_id=row["school_id"],
                subject_ids=row["subject_ids"],
                campaign_id=row["campaign_id"],
                seminar_id=row["seminar_id"],
                started_at=moment,
                completed_at=moment,
                scores=row["scores"],
            )
            .returning(RESPONSE.c.id)
        ).scalar_one()
        answers = bind.execute(
            sa.select(ANONYMOUS_ANSWER.c.item_id, ANONYMOUS_ANSWER.c.value).where(
                ANONYMOUS_ANSWER.c.response_id == row["id"]
            )
        ).all()
        for position, (item, value) in enumerate(answers, start=1):
            bind.execute(
                ANSWER.insert().values(
                    response_id=new_id, item_id=item, value=value, position=position
                )
            )


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def downgrade() -> None:
    with _table("registration") as batch:
        batch.drop_column("card_message_id")
        batch.drop_column("checkin_failures")
    with _table("broadcast") as batch:
        batch.drop_index("ix_broadcast_person_id")
        batch.drop_constraint("fk_broadcast_person_id_person", type_="foreignkey")
        batch.drop_column("person_id")
    with _table("delivery") as batch:
        batch.drop_index("ix_delivery_about_id")
        batch.drop_constraint("fk_delivery_about_id_person", type_="foreignkey")
        batch.drop_column("edit_message_id")
        batch.drop_column("about_id")
        batch.drop_constraint("fk_delivery_person_id_person", type_="foreignkey")
        batch.create_foreign_key(
            "fk_delivery_person_id_person", "person", ["person_id"], ["id"], ondelete="SET NULL"
        )
    with _table("response") as batch:
        batch.add_column(sa.Column("school_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("subject_ids", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("young", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_foreign_key(
            "fk_response_school_id_school", "school", ["school_id"], ["id"], ondelete="SET NULL"
        )
    _move_back_anonymous()
    op.drop_table("anonymous_answer")
    for column in ("campaign_id", "instrument", "municipality_id", "seminar_id"):
        op.drop_index(f"ix_anonymous_response_{column}", table_name="anonymous_response")
    op.drop_table("anonymous_response")
