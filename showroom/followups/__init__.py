"""Follow-ups (回访, DESIGN.md "The shared kernel"): one table and one service for every
call somebody owes a customer — born from the event that causes it, in its transaction."""
