"""kept weekly tallies of the service levels (service_level_weeks)

Revision ID: 14e1kw000001
Revises: 14d1mh000001
Create Date: 2026-12-06 07:10:00

The manager's home over a year recounted 53 weeks × 6 levels on every view (≈ 300 ms of a
450 ms page). Ended weeks are kept with a change counter (showroom/service_levels/kept.py).
A new, empty table: nothing to copy; it fills on the first view.

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


def downgrade():
    op.drop_table('service_level_weeks')
