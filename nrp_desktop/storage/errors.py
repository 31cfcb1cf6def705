"""Storage errors, in a module light enough for the entry point to import at start-up."""


class ContentDatabaseError(Exception):
    """The content database is missing or damaged; the message names the file."""
