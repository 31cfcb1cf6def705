"""The Compass screen: the group scores the five domains; the radar shows them."""
