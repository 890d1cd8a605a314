"""monitoring: indicator series, published cells, job occurrences, summary settings; community

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 13:02:24

`indicator_value` holds values before disclosure control; `published_cell` what each
municipality's methodists were shown; `job_occurrence` one row per scheduled occurrence done.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_occurrence",
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", "target", "period", name=op.f("pk_job_occurrence")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "indicator_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("facet", sa.String(length=40), nullable=False),
        sa.Column("period_kind", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("scope_type", sa.String(length=16), nullable=False),
        sa.Column("scope_id", sa.Integer(), nullable=False),
        sa.Column("numerator", sa.Integer(), nullable=False),
        sa.Column("denominator", sa.Integer(), nullable=True),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("denominator_source", sa.String(length=16), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_indicator_value_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value")),
        sa.UniqueConstraint(
            "municipality_id",
            "indicator",
            "facet",
            "period_kind",
            "period_start",
            "scope_type",
            "scope_id",
            name="uq_indicator_value_cell",
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_value_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "published_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("facet", sa.String(length=40), nullable=False),
        sa.Column("period_kind", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("scope_type", sa.String(length=16), nullable=False),
        sa.Column("scope_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_published_cell_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_cell")),
        sa.UniqueConstraint(
            "municipality_id",
            "indicator",
            "facet",
            "period_kind",
            "period_start",
            "scope_type",
            "scope_id",
            "until",
            name="uq_published_cell_cell",
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("published_cell", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_published_cell_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "summary_setting",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_summary_setting_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_summary_setting")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("community_member", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("community_member")

    op.drop_table("summary_setting")
    with op.batch_alter_table("published_cell", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_cell_municipality_id"))

    op.drop_table("published_cell")
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_value_municipality_id"))

    op.drop_table("indicator_value")
    op.drop_table("job_occurrence")
