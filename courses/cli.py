"""``flask lms import`` / ``flask lms export`` (filled in by the content task)."""

COMMANDS: tuple = ()
