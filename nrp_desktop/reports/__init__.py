"""Printable reports (reportlab): the session handout and the case-study handout.

Nothing here is imported at start-up; reportlab loads when the first PDF is built.
"""
