"""Use cases (library, learning tool, facilitation, handouts): no Qt."""
