"""The manager's home (issue 14): a period's figures — sales per day, payments by method,
debt ageing, service levels per week, complaints by category — as charts with their tables,
the same JSON over the API, and the month's figures as an A4 PDF report."""
