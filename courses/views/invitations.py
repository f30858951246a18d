"""Placeholder: invitations views of the courses plugin."""
