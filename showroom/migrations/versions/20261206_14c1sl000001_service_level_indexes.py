"""service levels: indexes for counting follow-ups of one kind and complaints by due time

Revision ID: 14c1sl000001
Revises: 14a1ro000001
Create Date: 2026-12-06 04:00:00

SPEC §11: the dashboard counts each level's items by their due time in SQL; follow-ups
are read per kind (visit_callback, repair_callback) and complaints by first_response_due,
so a year of them stays one index range each.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '14c1sl000001'
down_revision = '14a1ro000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_followups_kind_due', 'followups', ['kind', 'due_at'], unique=False)
    op.create_index(op.f('ix_complaints_first_response_due'), 'complaints',
                    ['first_response_due'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_complaints_first_response_due'), table_name='complaints')
    op.drop_index('ix_followups_kind_due', table_name='followups')
