"""Saving a finished document where a person chose: the one way the screens write files.

The screens do not reach into storage/ themselves (an import-linter contract holds that); this
names the storage functions they may use for it.
"""

from __future__ import annotations

from nrp_desktop.storage.files import FileWriteError, atomic_write_bytes

__all__ = ["FileWriteError", "atomic_write_bytes"]
