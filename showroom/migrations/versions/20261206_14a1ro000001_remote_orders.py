"""remote orders: appointments (with gathered goods and an append-only change log), the
online order's reference, answer and due time, the amount-to-remit wait, product facts

Revision ID: 14a1ro000001
Revises: 13c1cf000001
Create Date: 2026-12-06 03:40:00

SPEC §5 and §11. Orders and products gain columns by plain ADD COLUMN (never a batch copy:
on SQLite a copy must DROP the table, which the foreign keys of order lines, ledger
entries… refuse once there is data). `orders.external_ref` is unique through an index, so
the same online order posted twice (even at once) is one order.

"""
from alembic import op
import sqlalchemy as sa
import showroom.db  # noqa: F401 - column types (UTCDateTime, Fen) used below
from showroom.db import append_only_ddl


# revision identifiers, used by Alembic.
revision = '14a1ro000001'
down_revision = '13c1cf000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('clerk_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('remind_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('wanted', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('reminded_at', showroom.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', showroom.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', showroom.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['booked_by_id'], ['staff.id'], name=op.f('fk_appointments_booked_by_id_staff')),
    sa.ForeignKeyConstraint(['clerk_id'], ['staff.id'], name=op.f('fk_appointments_clerk_id_staff')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_appointments_customer_id_customers')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_appointments_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments')),
    sa.UniqueConstraint('number', name=op.f('uq_appointments_number')),
    sa.UniqueConstraint('order_id', name=op.f('uq_appointments_order_id'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_clerk_starts', ['clerk_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_status'), ['status'], unique=False)

    op.create_table('appointment_goods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_appointment_goods_qty_positive')),
    sa.ForeignKeyConstraint(['added_by_id'], ['staff.id'], name=op.f('fk_appointment_goods_added_by_id_staff')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_appointment_goods_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_appointment_goods_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_goods')),
    sa.UniqueConstraint('appointment_id', 'product_id', name=op.f('uq_appointment_goods_appointment_id_product_id'))
    )
    with op.batch_alter_table('appointment_goods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_goods_appointment_id'), ['appointment_id'], unique=False)

    op.create_table('appointment_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('old_starts_at', showroom.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('new_starts_at', showroom.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_appointment_changes_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_appointment_changes_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_changes'))
    )
    with op.batch_alter_table('appointment_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_changes_appointment_id'), ['appointment_id'], unique=False)

    sqlite = op.get_bind().dialect.name == 'sqlite'

    def add_fk(table, column, target):
        fk_name = op.f(f'fk_{table}_{column}_{target}')
        if sqlite:
            op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER '
                       f'CONSTRAINT {fk_name} REFERENCES {target} (id)')
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(fk_name, table, target, [column], ['id'])

    op.add_column('orders', sa.Column('external_ref', sa.String(length=64), nullable=True))
    op.add_column('orders', sa.Column('answer_due_at', showroom.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('orders', sa.Column('answered_at', showroom.db.UTCDateTime(timezone=True), nullable=True))
    add_fk('orders', 'answered_by_id', 'staff')
    op.add_column('orders', sa.Column('answer_note', sa.Text(), server_default='', nullable=False))
    op.add_column('orders', sa.Column('answer_shortages', sa.Text(), server_default='', nullable=False))
    op.add_column('orders', sa.Column('remit_status', sa.String(length=10), server_default='', nullable=False))
    op.add_column('orders', sa.Column('remit_carrier', sa.String(length=24), server_default='', nullable=False))
    op.add_column('orders', sa.Column('shipping_fee', showroom.db.Fen(), nullable=True))
    op.add_column('orders', sa.Column('remit_requested_at', showroom.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('orders', sa.Column('remit_received_at', showroom.db.UTCDateTime(timezone=True), nullable=True))
    add_fk('orders', 'remit_payment_id', 'desk_payments')
    op.add_column('orders', sa.Column('remit_note', sa.Text(), server_default='', nullable=False))
    op.create_index('ix_orders_channel_created', 'orders', ['channel', 'created_at'], unique=False)
    op.create_index('uq_orders_external_ref', 'orders', ['external_ref'], unique=True)
    op.create_index(op.f('ix_orders_answer_due_at'), 'orders', ['answer_due_at'], unique=False)

    op.add_column('products', sa.Column('washing_note', sa.Text(), server_default='', nullable=False))
    op.add_column('products', sa.Column('background', sa.Text(), server_default='', nullable=False))

    dialect = op.get_bind().dialect.name
    for stmt in append_only_ddl('appointment_changes', dialect):
        op.execute(stmt)


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('background')
        batch_op.drop_column('washing_note')
    op.drop_index(op.f('ix_orders_answer_due_at'), table_name='orders')
    op.drop_index('uq_orders_external_ref', table_name='orders')
    op.drop_index('ix_orders_channel_created', table_name='orders')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        if not sqlite:
            batch_op.drop_constraint(batch_op.f('fk_orders_remit_payment_id_desk_payments'), type_='foreignkey')
            batch_op.drop_constraint(batch_op.f('fk_orders_answered_by_id_staff'), type_='foreignkey')
        for column in ('remit_note', 'remit_payment_id', 'remit_received_at', 'remit_requested_at',
                       'shipping_fee', 'remit_carrier', 'remit_status', 'answer_shortages',
                       'answer_note', 'answered_by_id', 'answered_at', 'answer_due_at',
                       'external_ref'):
            batch_op.drop_column(column)
    op.drop_table('appointment_changes')
    with op.batch_alter_table('appointment_goods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointment_goods_appointment_id'))
    op.drop_table('appointment_goods')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_status'))
        batch_op.drop_index(batch_op.f('ix_appointments_starts_at'))
        batch_op.drop_index(batch_op.f('ix_appointments_customer_id'))
        batch_op.drop_index('ix_appointments_clerk_starts')
    op.drop_table('appointments')
