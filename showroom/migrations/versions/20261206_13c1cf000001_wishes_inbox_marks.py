"""wishes get the manager inbox marks (handled_at / handled_by_id), like remarks

Revision ID: 13c1cf000001
Revises: 13a1cs000001
Create Date: 2026-12-06 00:40:00

The manager's inbox (SPEC §8) lists new remarks, wishes and escalated inquiries, each
marked "handled" when and by whom; remarks and inquiries got the marks in 13a1cs000001,
wishes get them here. Plain ADD COLUMN (nullable), no table copy.

"""
from alembic import op
import sqlalchemy as sa
import showroom.db  # noqa: F401 - column types (UTCDateTime) used below


# revision identifiers, used by Alembic.
revision = '13c1cf000001'
down_revision = '13a1cs000001'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('wishes', sa.Column('handled_at', showroom.db.UTCDateTime(timezone=True), nullable=True))
    fk_name = op.f('fk_wishes_handled_by_id_staff')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE wishes ADD COLUMN handled_by_id INTEGER '
                   f'CONSTRAINT {fk_name} REFERENCES staff (id)')
    else:
        op.add_column('wishes', sa.Column('handled_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(fk_name, 'wishes', 'staff', ['handled_by_id'], ['id'])


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        if not sqlite:
            batch_op.drop_constraint(batch_op.f('fk_wishes_handled_by_id_staff'), type_='foreignkey')
        batch_op.drop_column('handled_by_id')
        batch_op.drop_column('handled_at')
