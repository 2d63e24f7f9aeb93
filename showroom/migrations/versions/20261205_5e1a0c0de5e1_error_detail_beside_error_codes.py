"""error detail beside the error codes of print jobs and e-mailed notices

`error` now holds a code (JobError / MailError) that screens translate; what the printer,
renderer or mail server said goes into `error_detail`, shown to the manager. Rows written
before keep their English sentence in `error` (shown as it is) and an empty detail.

Revision ID: 5e1a0c0de5e1
Revises: 5d1f0c2a9b7e
Create Date: 2026-12-05 15:02:19.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1a0c0de5e1'
down_revision = '5d1f0c2a9b7e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_detail', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('shipment_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_detail', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('shipment_notices', schema=None) as batch_op:
        batch_op.drop_column('error_detail')
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_column('error_detail')
