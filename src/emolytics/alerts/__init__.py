"""Listening: alert rules, their detection, and the notifications they send."""
