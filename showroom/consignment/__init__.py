"""Consignment (SPEC §7, Std ch.12): the consignor's goods on our floor, their code on every
label, their own append-only ledger, statements and payouts."""
