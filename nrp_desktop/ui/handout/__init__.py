"""The Handout screen: a preview of the real PDF, saved and printed."""
