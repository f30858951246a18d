"""Placeholder: learner views of the quizzes plugin."""
