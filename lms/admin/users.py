"""Administration of user accounts (placeholder routes, completed by the users task)."""
