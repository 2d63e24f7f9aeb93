"""Printing for the showroom floor, with no Flask and no database in it.

Documents are plain dataclasses (`printing.documents`); renderers turn one into ESC/POS
bytes for a printer profile (text modes with the printer's Chinese code page, or image
mode through a CJK TrueType font), a PNG preview, or a reportlab PDF; connectors send a
finished job to a printer in one write and say whether a failure is safe to retry.
"""
