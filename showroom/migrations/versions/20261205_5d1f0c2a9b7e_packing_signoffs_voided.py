"""packing sign-offs voided by a change after them

A counter's signature is kept when a change voids it (voided_at, void_reason), so the
one-per-counter rule becomes a partial unique index over the standing ones; the packing
records when and why its sign-offs were last voided.

Revision ID: 5d1f0c2a9b7e
Revises: b3333dccea8f
Create Date: 2026-12-05 15:10:00.000000

"""
from alembic import op
import sqlalchemy as sa
import showroom.db  # noqa: F401 - column types (UTCDateTime) used below


# revision identifiers, used by Alembic.
revision = '5d1f0c2a9b7e'
down_revision = 'b3333dccea8f'
branch_labels = None
depends_on = None

STANDING = sa.text("voided_at IS NULL")


def upgrade():
    with op.batch_alter_table('packings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signoffs_voided_at', showroom.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('signoffs_void_reason', sa.String(length=20), nullable=False, server_default=''))

    with op.batch_alter_table('packing_signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided_at', showroom.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.String(length=20), nullable=False, server_default=''))
        batch_op.drop_constraint('uq_packing_signatures_packing_id_staff_id', type_='unique')
        batch_op.create_index('uq_packing_signatures_standing', ['packing_id', 'staff_id'], unique=True,
                              sqlite_where=STANDING, postgresql_where=STANDING)


def downgrade():
    op.execute("DELETE FROM packing_signatures WHERE voided_at IS NOT NULL")
    with op.batch_alter_table('packing_signatures', schema=None) as batch_op:
        batch_op.drop_index('uq_packing_signatures_standing')
        batch_op.create_unique_constraint('uq_packing_signatures_packing_id_staff_id', ['packing_id', 'staff_id'])
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_at')

    with op.batch_alter_table('packings', schema=None) as batch_op:
        batch_op.drop_column('signoffs_void_reason')
        batch_op.drop_column('signoffs_voided_at')
