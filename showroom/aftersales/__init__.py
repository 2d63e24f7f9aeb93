"""After-sales by rule (SPEC §6): returns and exchanges that quote their rule."""
