"""Oefenkiosk: practise Dutch digital government on a library touchscreen."""

__version__ = "0.1.0"
