"""Outreach: the assistant and the nurses reaching the patient first (no Rasa import here).

`plan` reads the clinic profile's check-in settings and works out due times, `checkins` enrols and
sends check-ins (claimed in the database), `keywords` handles STOP/START and numbered answers,
`nurse_reply` delivers a nurse's message on the conversation's channel, `alerts` tells the on-call
nurse about new red-flag escalations.
"""
