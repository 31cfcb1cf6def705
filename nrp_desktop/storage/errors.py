"""Storage errors, in a module light enough for the entry point to import at start-up."""

from nrp_desktop.errors import EXIT_FAULT, KnownFailure


class ContentDatabaseError(KnownFailure):
    """The content database is missing or damaged; the message names the file. The installed
    copy is broken (not the user's input), so the command line exits 1."""

    exit_status = EXIT_FAULT
    code = "content-database"
