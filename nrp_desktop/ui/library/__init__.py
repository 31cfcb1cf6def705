"""The Library screen: browse and search the bundled content (the reader shows what is chosen)."""
