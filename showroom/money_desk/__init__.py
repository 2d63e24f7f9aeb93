"""The money desk (SPEC §9.1): payments on account, refunds of credit, shift close."""
