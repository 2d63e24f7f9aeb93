"""returns and exchanges by rule: franchise contracts, after-sales documents, their lines
and replacements

Revision ID: 11a1e7c0de01
Revises: 10b1c10se001
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa
import showroom.db  # noqa: F401 - column types (UTCDateTime) used below


# revision identifiers, used by Alembic.
revision = '11a1e7c0de01'
down_revision = '10b1c10se001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('franchise_contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('ratio_bp', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ratio_bp >= 0 AND ratio_bp <= 10000', name=op.f('ck_franchise_contracts_ratio_range')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_franchise_contracts_period_ordered')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_franchise_contracts_customer_id_customers')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff.id'], name=op.f('fk_franchise_contracts_updated_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_franchise_contracts')),
    sa.UniqueConstraint('customer_id', name=op.f('uq_franchise_contracts_customer_id'))
    )
    op.create_table('aftersales_docs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('quality_confirmed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('credit', sa.BigInteger(), nullable=False),
    sa.Column('replacement_total', sa.BigInteger(), nullable=False),
    sa.Column('quota_value', sa.BigInteger(), nullable=False),
    sa.Column('rule', sa.String(length=30), nullable=False),
    sa.Column('allowed', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('override_manager_id', sa.Integer(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('ledger_entry_id', sa.Integer(), nullable=True),
    sa.Column('balance_after', sa.BigInteger(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('station', sa.String(length=40), nullable=False),
    sa.Column('created_at', showroom.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind in ('return','exchange')", name=op.f('ck_aftersales_docs_kind')),
    sa.CheckConstraint('credit >= 0 AND replacement_total >= 0 AND quota_value >= 0', name=op.f('ck_aftersales_docs_amounts_not_negative')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_aftersales_docs_customer_id_customers')),
    sa.ForeignKeyConstraint(['ledger_entry_id'], ['ledger_entries.id'], name=op.f('fk_aftersales_docs_ledger_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['override_manager_id'], ['staff.id'], name=op.f('fk_aftersales_docs_override_manager_id_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_aftersales_docs_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_docs')),
    sa.UniqueConstraint('ledger_entry_id', name=op.f('uq_aftersales_docs_ledger_entry_id')),
    sa.UniqueConstraint('number', name=op.f('uq_aftersales_docs_number'))
    )
    with op.batch_alter_table('aftersales_docs', schema=None) as batch_op:
        batch_op.create_index('ix_aftersales_docs_customer_created', ['customer_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftersales_docs_created_at'), ['created_at'], unique=False)

    op.create_table('aftersales_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_aftersales_lines_qty_positive')),
    sa.ForeignKeyConstraint(['doc_id'], ['aftersales_docs.id'], name=op.f('fk_aftersales_lines_doc_id_aftersales_docs')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_aftersales_lines_order_id_orders')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_aftersales_lines_order_line_id_order_lines')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_aftersales_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_lines'))
    )
    with op.batch_alter_table('aftersales_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_lines_doc_id'), ['doc_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftersales_lines_order_line_id'), ['order_line_id'], unique=False)

    op.create_table('aftersales_replacements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_aftersales_replacements_qty_positive')),
    sa.ForeignKeyConstraint(['doc_id'], ['aftersales_docs.id'], name=op.f('fk_aftersales_replacements_doc_id_aftersales_docs')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_aftersales_replacements_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_replacements'))
    )
    with op.batch_alter_table('aftersales_replacements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_replacements_doc_id'), ['doc_id'], unique=False)


def downgrade():
    with op.batch_alter_table('aftersales_replacements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_replacements_doc_id'))
    op.drop_table('aftersales_replacements')
    with op.batch_alter_table('aftersales_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_lines_order_line_id'))
        batch_op.drop_index(batch_op.f('ix_aftersales_lines_doc_id'))
    op.drop_table('aftersales_lines')
    with op.batch_alter_table('aftersales_docs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_docs_created_at'))
        batch_op.drop_index('ix_aftersales_docs_customer_created')
    op.drop_table('aftersales_docs')
    op.drop_table('franchise_contracts')
