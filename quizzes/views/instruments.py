"""Placeholder: instruments views of the quizzes plugin."""
