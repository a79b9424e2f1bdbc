"""The oefenbewijs: what a visitor practised, as a PDF, a QR code or a printout. No Kivy here.

Nothing personal is on it but a name the visitor types for one printout; that name lives
only in the Certificate in memory and is never stored (see store.py).
"""
