"""daily report: created_at indexes on the ledger, settlements and return slips

Revision ID: 10b1c10se001
Revises: 10a1d35c0001
Create Date: 2026-12-06 10:00:00

The daily report sums one day of each table, and the debts outstanding at the end of a
day subtract what was posted after it: both find their rows by created_at.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '10b1c10se001'
down_revision = '10a1d35c0001'
branch_labels = None
depends_on = None

INDEXES = (("ledger_entries", "ix_ledger_entries_created_at"),
           ("settlements", "ix_settlements_created_at"),
           ("return_slips", "ix_return_slips_created_at"))


def upgrade():
    for table, name in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, ['created_at'], unique=False)


def downgrade():
    for table, name in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
