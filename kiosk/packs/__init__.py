"""Content packs: new and corrected exercises, signed, checked and switched in at once."""
