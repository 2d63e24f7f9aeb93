"""Orders without a visit (video, phone, online), the online answer, and the amount to remit (SPEC §5)."""
