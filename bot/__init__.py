"""HSG patient assistant: domain logic shared by the Rasa server, the action server and the web app.

Everything here is plain Python with plain data in and out; `actions/` only adapts Rasa to it.
No module does I/O at import time.
"""
