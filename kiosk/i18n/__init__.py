"""Languages, scripts, fonts and right-to-left text. No Kivy here."""
