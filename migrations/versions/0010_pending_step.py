"""the pending step becomes a typed value: form, field, target, edit

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 12:00:00

`person.step` held a prefixed string ("sem_title", "cmp_opens", "ann_text", "sv_text", or a
profile field); it becomes `step_form` + `step_field`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIXES = {"sem_": "seminar", "cmp_": "campaign", "ann_": "announce", "sv_": "survey"}
PROFILE = ("name", "school", "subjects", "started", "birth", "confirm")


def upgrade() -> None:
    with op.batch_alter_table("person", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column("step_form", sa.String(length=16), nullable=True))
        batch.alter_column(
            "step",
            new_column_name="step_field",
            existing_type=sa.String(length=16),
            type_=sa.String(length=32),
        )
    for prefix, form in PREFIXES.items():
        op.execute(
            sa.text(
                "UPDATE person SET step_form = :form, step_field = substr(step_field, :start)"
                " WHERE step_field LIKE :pattern"
            ).bindparams(form=form, start=len(prefix) + 1, pattern=prefix + "%")
        )
    op.execute(
        sa.text(
            "UPDATE person SET step_form = 'profile',"
            " step_field = CASE step_field WHEN 'confirm' THEN 'summary' ELSE step_field END"
            " WHERE step_field IN ('name', 'school', 'subjects', 'started', 'birth', 'confirm')"
        )
    )
    op.execute(sa.text("UPDATE person SET step_field = 'summary' WHERE step_field = 'preview'"))


def downgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE person SET step_field = CASE step_field WHEN 'summary' THEN"
            " CASE step_form WHEN 'profile' THEN 'confirm' ELSE 'preview' END"
            " ELSE step_field END"
        )
    )
    for prefix, form in PREFIXES.items():
        op.execute(
            sa.text(
                "UPDATE person SET step_field = :prefix || step_field WHERE step_form = :form"
            ).bindparams(prefix=prefix, form=form)
        )
    with op.batch_alter_table("person", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.alter_column(
            "step_field",
            new_column_name="step",
            existing_type=sa.String(length=32),
            type_=sa.String(length=16),
        )
        batch.drop_column("step_form")
