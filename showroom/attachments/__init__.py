"""Attachments: the one store for photos (repairs now; complaints and signatures later)."""
