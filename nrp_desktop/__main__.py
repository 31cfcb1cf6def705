from nrp_desktop.cli import main

raise SystemExit(main())
