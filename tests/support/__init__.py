"""Test support: real PostgreSQL server, real browser, real SMTP server."""
