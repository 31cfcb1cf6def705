"""PDF reports with reportlab: the handout and case-study sheets."""
