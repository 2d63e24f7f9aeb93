"""Jewellery repairs (维修, SPEC §6 Details, Std ch.10): intake to callback."""
