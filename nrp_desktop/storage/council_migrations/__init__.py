"""Alembic's environment for the council database, bundled in the package and run from code
(`nrp_desktop.storage.council_db.upgrade_schema`): no alembic.ini is needed at run time.

To change the council schema: change `storage/schema.py`, then add a revision to `versions/`
(never edit a released one); the tests check that upgrading to head gives exactly the schema.
"""
