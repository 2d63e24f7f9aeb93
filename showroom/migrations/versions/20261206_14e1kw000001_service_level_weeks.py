"""kept weekly tallies of the service levels (service_level_weeks)

Revision ID: 14e1kw000001
Revises: 14d1mh000001
Create Date: 2026-12-06 07:10:00

The manager's home over a year recounted 53 weeks × 6 levels on every view (≈ 300 ms of a
450 ms page). Ended weeks are kept with a change counter (showroom/service_levels/kept.py).
A new, empty table: nothing to copy; it fills on the first view.

The first view still counts every week: the online-answer level read each online order's
row for its status (and, for orders without a stored due, its created_at). The index on
(channel, answer_due_at, answered_at) becomes (…, status, created_at), so both are read
from the index alone.

"""
import sqlalchemy as sa
from alembic import op

import showroom.db

# revision identifiers, used by Alembic.
revision = '14e1kw000001'
down_revision = '14d1mh000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'service_level_weeks',
        sa.Column('level', sa.String(length=40), nullable=False),
        sa.Column('week_start', sa.Date(), nullable=False),
        sa.Column('changes', sa.Integer(), server_default='0', nullable=False),
        sa.Column('counted', sa.Integer(), nullable=True),
        sa.Column('met', sa.Integer(), nullable=True),
        sa.Column('total', sa.Integer(), nullable=True),
        sa.Column('counted_at', showroom.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('level', 'week_start', name=op.f('pk_service_level_weeks')),
    )
    op.create_index('ix_orders_online_answer', 'orders',
                    ['channel', 'answer_due_at', 'answered_at', 'status', 'created_at'],
                    unique=False)
    op.drop_index('ix_orders_channel_answer', table_name='orders')


def downgrade():
    op.create_index('ix_orders_channel_answer', 'orders',
                    ['channel', 'answer_due_at', 'answered_at'], unique=False)
    op.drop_index('ix_orders_online_answer', table_name='orders')
    op.drop_table('service_level_weeks')
