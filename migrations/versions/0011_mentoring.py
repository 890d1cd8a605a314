"""mentoring: mentors, requests, pairs, programmes, meetings, relays; copies and bounces

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:23:57

A pair keeps no message content: `relay` holds who, when and what kind; the delivery that
copies a relayed message holds only the chat and message to copy.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mentor_profile",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("volunteered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_mentor_profile_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_mentor_profile")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "mentorship_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("topic", sa.String(length=500), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("offered_to", sa.Integer(), nullable=True),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declines", sa.Integer(), nullable=False),
        sa.Column("decline_reason", sa.String(length=32), nullable=True),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["person.id"],
            name=op.f("fk_mentorship_request_mentee_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_mentorship_request_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offered_to"],
            ["person.id"],
            name=op.f("fk_mentorship_request_offered_to_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
            name=op.f("fk_mentorship_request_subject_id_subject"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentorship_request")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("mentorship_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentorship_request_mentee_id"), ["mentee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentorship_request_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentorship_request_offered_to"), ["offered_to"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mentorship_request_status"), ["status"], unique=False)

    op.create_table(
        "mentorship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("mentee_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.Column("mentor_shares_contact", sa.Boolean(), nullable=False),
        sa.Column("mentee_shares_contact", sa.Boolean(), nullable=False),
        sa.Column("mentor_shares_notes", sa.Boolean(), nullable=False),
        sa.Column("mentee_shares_notes", sa.Boolean(), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["person.id"],
            name=op.f("fk_mentorship_mentee_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["person.id"],
            name=op.f("fk_mentorship_mentor_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_mentorship_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["mentorship_request.id"],
            name=op.f("fk_mentorship_request_id_mentorship_request"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentorship")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("mentorship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentorship_mentee_id"), ["mentee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentorship_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mentorship_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "mentoring_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentorship_id", sa.Integer(), nullable=False),
        sa.Column("by_mentor", sa.Boolean(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentorship_id"],
            ["mentorship.id"],
            name=op.f("fk_mentoring_problem_mentorship_id_mentorship"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_problem")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("mentoring_problem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentoring_problem_mentorship_id"), ["mentorship_id"], unique=False
        )

    op.create_table(
        "programme_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentorship_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=True),
        sa.Column("goal", sa.String(length=500), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["mentorship_id"],
            ["mentorship.id"],
            name=op.f("fk_programme_goal_mentorship_id_mentorship"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_goal")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("programme_goal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_goal_mentorship_id"), ["mentorship_id"], unique=False
        )

    op.create_table(
        "relay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentorship_id", sa.Integer(), nullable=False),
        sa.Column("by_mentor", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentorship_id"],
            ["mentorship.id"],
            name=op.f("fk_relay_mentorship_id_mentorship"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relay")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("relay", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relay_mentorship_id"), ["mentorship_id"], unique=False
        )

    op.create_table(
        "mentor_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentorship_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("by_mentor", sa.Boolean(), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["programme_goal.id"],
            name=op.f("fk_mentor_meeting_goal_id_programme_goal"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentorship_id"],
            ["mentorship.id"],
            name=op.f("fk_mentor_meeting_mentorship_id_mentorship"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_meeting")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("mentor_meeting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentor_meeting_mentorship_id"), ["mentorship_id"], unique=False
        )

    with op.batch_alter_table(
        "delivery", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("copy_from_chat_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("copy_message_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("bounce", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(
        "delivery", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_column("bounce")
        batch_op.drop_column("copy_message_id")
        batch_op.drop_column("copy_from_chat_id")

    with op.batch_alter_table("mentor_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_meeting_mentorship_id"))

    op.drop_table("mentor_meeting")
    with op.batch_alter_table("relay", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relay_mentorship_id"))

    op.drop_table("relay")
    with op.batch_alter_table("programme_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_goal_mentorship_id"))

    op.drop_table("programme_goal")
    with op.batch_alter_table("mentoring_problem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_problem_mentorship_id"))

    op.drop_table("mentoring_problem")
    with op.batch_alter_table("mentorship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentorship_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_mentorship_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_mentorship_mentee_id"))

    op.drop_table("mentorship")
    with op.batch_alter_table("mentorship_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentorship_request_status"))
        batch_op.drop_index(batch_op.f("ix_mentorship_request_offered_to"))
        batch_op.drop_index(batch_op.f("ix_mentorship_request_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_mentorship_request_mentee_id"))

    op.drop_table("mentorship_request")
    op.drop_table("mentor_profile")
