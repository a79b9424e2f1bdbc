"""Scenarios: the format, loading, validation and the pure engine. No Kivy here."""
