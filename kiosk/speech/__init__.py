"""Speech: voices per language, synthesis to cached WAV files, recorded clips. No Kivy here."""
