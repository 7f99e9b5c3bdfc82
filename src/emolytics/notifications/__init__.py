"""Notifications of alerts: webhooks (signed JSON POSTs) and, with `mail`, email."""
