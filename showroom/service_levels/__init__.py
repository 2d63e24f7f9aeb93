"""Service levels (SPEC §11) measured on the business calendar from what was recorded."""
