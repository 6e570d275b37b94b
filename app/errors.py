"""The project's own exceptions. Library code raises these; only the CLI turns them into exit codes."""


class ClaimdbError(Exception):
    """Base class: a problem the user can act on, reported as one line."""


class ConfigError(ClaimdbError):
    """A malformed setting, such as a database URL that cannot be parsed."""


class DatabaseError(ClaimdbError):
    """The database cannot be reached, or is not at the expected schema version."""


class InputError(ClaimdbError):
    """A file or value given by the user cannot be used (missing, empty, binary, malformed)."""


class FixtureError(InputError):
    """A fixture or claims file does not validate; the message names file, field and reason."""


class NotFoundError(ClaimdbError):
    """A named event, source, document or claim does not exist."""


class ConflictError(ClaimdbError):
    """A change made against a claim that someone else has changed since it was loaded."""
