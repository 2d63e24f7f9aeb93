"""Orders (销售单): lines, versions and the status state machine. No views of its own."""
