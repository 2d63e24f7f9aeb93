"""Reception (厅前接待): the visit board, clerk assignment, lockers, phone inquiries."""
