"""The command-line commands, one module per group; each has `register(subparsers)`.

Modules import only the standard library at the top, so that `nrp-desktop` with no command
opens the window without loading the database or PDF libraries.
"""

# The modules whose commands `nrp-desktop` offers, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "nrp_desktop.commands.content",
    "nrp_desktop.commands.sessions",
    "nrp_desktop.commands.followup",
    "nrp_desktop.commands.report",
    "nrp_desktop.commands.languages",
    "nrp_desktop.commands.council",
    "nrp_desktop.commands.live",
)
