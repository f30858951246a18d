"""Placeholder: trainer views of the quizzes plugin."""
