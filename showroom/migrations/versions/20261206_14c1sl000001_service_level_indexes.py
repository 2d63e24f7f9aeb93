"""service levels: covering indexes to count each level's items by their due time

Revision ID: 14c1sl000001
Revises: 14a1ro000001
Create Date: 2026-12-06 04:00:00

SPEC §11: the dashboard counts met / due items per period in SQL. Each index holds the
due (or arrival) and the done column, so a year of visits or follow-ups is counted from
the index alone, without reading the rows: visits (arrived_at, greeted_at), inquiries
(callback_due_at, called_back_at), follow-ups (kind, due_at, done_at), complaints
(first_response_due, first_response_at), orders (channel, answer_due_at, answered_at).

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '14c1sl000001'
down_revision = '14a1ro000001'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_visits_arrived_greeted', 'visits', ['arrived_at', 'greeted_at']),
    ('ix_inquiries_callback', 'inquiries', ['callback_due_at', 'called_back_at']),
    ('ix_followups_kind_due_done', 'followups', ['kind', 'due_at', 'done_at']),
    ('ix_complaints_first_response', 'complaints', ['first_response_due', 'first_response_at']),
    ('ix_orders_channel_answer', 'orders', ['channel', 'answer_due_at', 'answered_at']),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
