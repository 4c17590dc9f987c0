"""The web app on port 8000: patient chat page and widget, nurse inbox, JSON API."""
