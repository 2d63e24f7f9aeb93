"""Back-office reports for managers (SPEC §9.1): the daily report and the exports."""
