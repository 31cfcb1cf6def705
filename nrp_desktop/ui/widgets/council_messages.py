"""The plain messages for a failure talking to the council database (File ▸ Publish, and Compare
halls from the council database): chosen by the error's code, made here at the edge so they can be
translated. An error names the database by its address without a password, so no message holds
one."""

from __future__ import annotations

from nrp_desktop import i18n
from nrp_desktop.services import council

_ = i18n.gettext


def council_error_text(error: Exception) -> str:
    """One plain sentence for a failure talking to the council database (never a password: the
    error carries the address without one)."""
    if not isinstance(error, council.CouncilDatabaseError):
        return _("The council database could not be used because of an unexpected fault; the log file "
                         "has the details. Nothing was changed.")
    target = error.target
    if error.code == council.UNREACHABLE:
        return _("Cannot reach the council database at %1: there is no network, or the server is "
                         "down. Nothing was changed.").replace("%1", target)
    if error.code == council.WRONG_PASSWORD:
        return _("The council database at %1 refused the password (or the role name). Check both "
                         "and try again. Nothing was changed.").replace("%1", target)
    if error.code == council.NO_PASSWORD:
        return _("The council database at %1 needs a password: type it here, or set "
                         "NRP_DESKTOP_DB_PASSWORD or ~/.pgpass. Nothing was changed.").replace("%1", target)
    if error.code == council.REFUSED:
        return _("The role in %1 is not allowed to %2. Ask the council's database officer for a "
                         "role that may. Nothing was changed.").replace("%1", target).replace("%2", error.detail)
    text = str(error)
    return text[:1].upper() + text[1:] + "."
