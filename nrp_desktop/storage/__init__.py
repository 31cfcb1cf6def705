"""SQLAlchemy storage: the read-only content database and the user's session database."""
