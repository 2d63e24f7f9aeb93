"""What customer data a printout or a screen may show (SPEC §12): masking rules that know
nothing of the web, shared by documents, the API and templates."""
from __future__ import annotations


def mask_phone(phone: str) -> str:
    """138****5678: customer copies never carry the full number."""
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
