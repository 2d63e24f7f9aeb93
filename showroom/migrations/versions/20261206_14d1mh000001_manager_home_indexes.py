"""the manager's home: ledger indexes for debt ageing by SQL and return credits per day

Revision ID: 14d1mh000001
Revises: 14c1sl000001
Create Date: 2026-12-06 04:00:00

Debt ageing sums each debtor's debits by age in one grouped query that reads only
(customer_id, amount, created_at) from an index; the return credits of a period are found by
(kind, created_at). Plain CREATE INDEX on both backends (no table copy).

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '14d1mh000001'
down_revision = '14c1sl000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_ledger_entries_customer_amount_at', 'ledger_entries',
                    ['customer_id', 'amount', 'created_at'], unique=False)
    op.create_index('ix_ledger_entries_kind_at', 'ledger_entries', ['kind', 'created_at'],
                    unique=False)


def downgrade():
    op.drop_index('ix_ledger_entries_kind_at', table_name='ledger_entries')
    op.drop_index('ix_ledger_entries_customer_amount_at', table_name='ledger_entries')
