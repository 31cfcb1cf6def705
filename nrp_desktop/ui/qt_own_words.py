"""Qt's own words in its standard dialogs (the standard buttons of message boxes and button
boxes, the file and print dialogs, a text field's context menu), marked here so that they come
into the app's one catalogue: Qt ships no Urdu file (no qtbase_ur.qm), and its Polish one lacks
a few.

Qt asks for each through the installed translators as translate(context, text, disambiguation);
ui/translator.py answers from the catalogue by the text (and the disambiguation, when Qt gives
one). Which texts and contexts Qt asks for was found by listening to what a QMessageBox with
every standard button, Qt's own QFileDialog in each mode, a QPrintDialog, a QInputDialog and a
text field's menu ask the translators. Nothing imports this at run time: the extraction reads it
(scripts/update_translations.py), and the tests check the words against the catalogues.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP3

from nrp_desktop.i18n import N_

# Qt's class (the context it asks in) → the texts it asks for there.
QT_OWN_WORDS: dict[str, tuple[str, ...]] = {
    # The standard buttons (QMessageBox, QDialogButtonBox), on every platform theme.
    "QPlatformTheme": (
        N_("OK"), N_("Save"), N_("Save All"), N_("Open"), N_("&Yes"), N_("Yes to &All"), N_("&No"),
        N_("N&o to All"), N_("Abort"), N_("Retry"), N_("Ignore"), N_("Close"), N_("Cancel"),
        N_("Discard"), N_("Help"), N_("Apply"), N_("Reset"), N_("Restore Defaults"),
    ),
    # The same under GNOME, which words a few of them its own way.
    "QGnomeTheme": (
        N_("&OK"), N_("&Save"), N_("&Cancel"), N_("&Close"), N_("Close without Saving"),
    ),
    "QMessageBox": (
        N_("Show Details..."), N_("Hide Details..."),
    ),
    # Qt's own file dialog (where the desktop offers none).
    "QFileDialog": (
        N_("&Look in:"), N_("Back"), N_("Go back"), N_("Forward"), N_("Go forward"),
        N_("Parent Directory"), N_("Go to the parent directory"), N_("Create New Folder"),
        N_("Create a New Folder"), N_("List View"), N_("Change to list view mode"),
        N_("Detail View"), N_("Change to detail view mode"), N_("Sidebar"),
        N_("List of places and bookmarks"), N_("Files"), N_("Files of &type:"), N_("Open"),
        N_("File &name:"), N_("&Open"), N_("All Files (*)"), N_("&Rename"), N_("&Delete"),
        N_("Show &hidden files"), N_("&New Folder"), N_("New Folder"), N_("&Save"), N_("Save As"),
        N_("Find Directory"), N_("Directories"), N_("Directory:"), N_("&Choose"),
        N_("Recent Places"), N_("%1 already exists.\nDo you want to replace it?"),
        N_("%1\nFile not found.\nPlease verify the correct file name was given."),
        N_("%1\nDirectory not found.\nPlease verify the correct directory name was given."),
        N_("Are you sure you want to delete '%1'?"),
        N_("'%1' is write protected.\nDo you want to delete it anyway?"),
        N_("Could not delete directory."),
    ),
    # The file dialog's columns.
    "QFileSystemModel": (
        N_("Computer"), N_("Name"), N_("Size"), N_("Date Modified"),
    ),
    # The kind of each entry.
    "QAbstractFileIconProvider": (
        N_("Drive"), N_("Unknown"),
    ),
    # Qt's own print dialog (Print… on the handout).
    "QPrintDialog": (
        N_("Print"), N_("All Pages"), N_("Odd Pages"), N_("Even Pages"), N_("&Options >>"),
        N_("&Options <<"), N_("&Print"), N_("Print to File (PDF)"), N_("Local file"),
        N_("Write PDF file"),
    ),
    "QPrintWidget": (
        N_("Printer"), N_("&Name:"), N_("P&roperties"), N_("Location:"), N_("Preview"), N_("Type:"),
        N_("Output &file:"),
    ),
    "QPrintSettingsOutput": (
        N_("Print range"), N_("Print all"), N_("Pages from"), N_("to"), N_("Pages"),
        N_("Specify pages or ranges separated by commas. Ranges are specified by two numbers "
           "separated by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9."),
        N_("Current Page"), N_("Selection"), N_("Page &Set:"), N_("Output Settings"), N_("Copies:"),
        N_("Collate"), N_("Reverse"), N_("Copies"), N_("Color Mode"), N_("Color"), N_("Grayscale"),
        N_("Double Sided Printing"), N_("Off"), N_("Long side binding"), N_("Short side binding"),
        N_("Options"),
    ),
    "QInputDialog": (
        N_("Enter a value:"),
    ),
    # A text field's context menu.
    "QLineEdit": (
        N_("&Undo"), N_("&Redo"), N_("Cu&t"), N_("&Copy"), N_("&Paste"), N_("Delete"),
        N_("Select All"),
    ),
    # A text box's context menu.
    "QWidgetTextControl": (
        N_("&Undo"), N_("&Redo"), N_("Cu&t"), N_("&Copy"), N_("Copy &Link Location"), N_("&Paste"),
        N_("Delete"), N_("Select All"),
    ),
}

# (context, text, disambiguation): the few Qt asks for with a disambiguation of its own.
OTHER_PLATFORMS = "All other platforms"
QT_OWN_WORDS_DISAMBIGUATED: tuple[tuple[str, str, str], ...] = (
    ("QFileSystemModel", str(QT_TRANSLATE_NOOP3("QFileSystemModel", "Type", "All other platforms")),
     OTHER_PLATFORMS),
    ("QAbstractFileIconProvider",
     str(QT_TRANSLATE_NOOP3("QAbstractFileIconProvider", "Folder", "All other platforms")), OTHER_PLATFORMS),
    ("QAbstractFileIconProvider",
     str(QT_TRANSLATE_NOOP3("QAbstractFileIconProvider", "Shortcut", "All other platforms")), OTHER_PLATFORMS),
)
