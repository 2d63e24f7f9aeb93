"""money desk: payments on account, refunds of credit, shift closes, credit limits

Revision ID: 10a1d35c0001
Revises: 5e1a0c0de5e1
Create Date: 2026-12-05 20:57:55.435565

"""
from alembic import op
import sqlalchemy as sa
import showroom.db  # noqa: F401 - column types (UTCDateTime) used below


# revision identifiers, used by Alembic.
revision = '10a1d35c0001'
down_revision = '5e1a0c0de5e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shift_closes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('cashier_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('since', showroom.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opening_float', sa.BigInteger(), nullable=False),
    sa.Column('expected_cash', sa.BigInteger(), nullable=False),
    sa.Column('expected_bank_transfer', sa.BigInteger(), nullable=False),
    sa.Column('expected_wechat', sa.BigInteger(), nullable=False),
    sa.Column('expected_alipay', sa.BigInteger(), nullable=False),
    sa.Column('counted_cash', sa.BigInteger(), nullable=False),
    sa.Column('counted_bank_transfer', sa.BigInteger(), nullable=True),
    sa.Column('counted_wechat', sa.BigInteger(), nullable=True),
    sa.Column('counted_alipay', sa.BigInteger(), nullable=True),
    sa.Column('cash_difference', sa.BigInteger(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('station', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['cashier_id'], ['staff.id'], name=op.f('fk_shift_closes_cashier_id_staff')),
    sa.ForeignKeyConstraint(['manager_id'], ['staff.id'], name=op.f('fk_shift_closes_manager_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_closes')),
    sa.UniqueConstraint('cashier_id', 'seq', name='cashier_seq'),
    sa.UniqueConstraint('number', name=op.f('uq_shift_closes_number'))
    )
    with op.batch_alter_table('shift_closes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_closes_cashier_id'), ['cashier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_closes_closed_at'), ['closed_at'], unique=False)

    op.create_table('credit_refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('balance_before', sa.BigInteger(), nullable=False),
    sa.Column('balance_after', sa.BigInteger(), nullable=False),
    sa.Column('ledger_entry_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('station', sa.String(length=40), nullable=False),
    sa.Column('created_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method in ('cash','bank_transfer','wechat','alipay')", name=op.f('ck_credit_refunds_method')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_credit_refunds_amount_positive')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_credit_refunds_customer_id_customers')),
    sa.ForeignKeyConstraint(['ledger_entry_id'], ['ledger_entries.id'], name=op.f('fk_credit_refunds_ledger_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['manager_id'], ['staff.id'], name=op.f('fk_credit_refunds_manager_id_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_credit_refunds_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_refunds')),
    sa.UniqueConstraint('ledger_entry_id', name=op.f('uq_credit_refunds_ledger_entry_id')),
    sa.UniqueConstraint('number', name=op.f('uq_credit_refunds_number'))
    )
    with op.batch_alter_table('credit_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_refunds_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_refunds_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_refunds_staff_id'), ['staff_id'], unique=False)

    op.create_table('desk_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tendered', sa.BigInteger(), nullable=True),
    sa.Column('change', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('balance_before', sa.BigInteger(), nullable=False),
    sa.Column('balance_after', sa.BigInteger(), nullable=False),
    sa.Column('ledger_entry_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('station', sa.String(length=40), nullable=False),
    sa.Column('created_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method in ('cash','bank_transfer','wechat','alipay')", name=op.f('ck_desk_payments_method')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_desk_payments_amount_positive')),
    sa.CheckConstraint('change >= 0', name=op.f('ck_desk_payments_change_not_negative')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_desk_payments_customer_id_customers')),
    sa.ForeignKeyConstraint(['ledger_entry_id'], ['ledger_entries.id'], name=op.f('fk_desk_payments_ledger_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_desk_payments_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_payments')),
    sa.UniqueConstraint('ledger_entry_id', name=op.f('uq_desk_payments_ledger_entry_id')),
    sa.UniqueConstraint('number', name=op.f('uq_desk_payments_number'))
    )
    with op.batch_alter_table('desk_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_payments_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_payments_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_desk_payments_staff_id'), ['staff_id'], unique=False)

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_limit', sa.BigInteger(), nullable=True))

    # Plain ADD COLUMN, never a batch copy of the table: on SQLite a copy of `settlements`
    # must DROP it, which its payments' foreign keys refuse once there is data. SQLite takes
    # the foreign key inline (ADD COLUMN ... REFERENCES), PostgreSQL as a named constraint.
    fk_name = op.f('fk_settlements_credit_override_manager_id_staff')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE settlements ADD COLUMN credit_override_manager_id INTEGER '
                   f'CONSTRAINT {fk_name} REFERENCES staff (id)')
    else:
        op.add_column('settlements', sa.Column('credit_override_manager_id', sa.Integer(), nullable=True))
        op.create_foreign_key(fk_name, 'settlements', 'staff', ['credit_override_manager_id'], ['id'])
    op.add_column('settlements', sa.Column('credit_override_reason', sa.Text(), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('settlements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_settlements_credit_override_manager_id_staff'), type_='foreignkey')
        batch_op.drop_column('credit_override_reason')
        batch_op.drop_column('credit_override_manager_id')

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('credit_limit')

    with op.batch_alter_table('desk_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_payments_staff_id'))
        batch_op.drop_index(batch_op.f('ix_desk_payments_customer_id'))
        batch_op.drop_index(batch_op.f('ix_desk_payments_created_at'))

    op.drop_table('desk_payments')
    with op.batch_alter_table('credit_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_refunds_staff_id'))
        batch_op.drop_index(batch_op.f('ix_credit_refunds_customer_id'))
        batch_op.drop_index(batch_op.f('ix_credit_refunds_created_at'))

    op.drop_table('credit_refunds')
    with op.batch_alter_table('shift_closes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_closes_closed_at'))
        batch_op.drop_index(batch_op.f('ix_shift_closes_cashier_id'))

    op.drop_table('shift_closes')
