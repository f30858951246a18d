"""Benchmarks of Parcours: page speed and SQL query counts on realistic data (see README.md)."""
