"""The mail log (placeholder routes, completed by the mail task)."""
