"""The "Explore what worked" screen: the five-step learning tool."""
