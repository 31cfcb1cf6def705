"""The council schema's revisions, oldest first (Alembic reads each file's `revision`)."""
