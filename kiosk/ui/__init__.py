"""The Kivy kiosk. The only place where Kivy is imported; its pure parts
(theme, idle, presenters) are tested without a window."""
