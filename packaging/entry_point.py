"""What the frozen `nrp-desktop` executable runs: the same entry point as the installed command."""

from nrp_desktop.cli import main

raise SystemExit(main())
