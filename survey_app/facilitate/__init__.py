"""Facilitators: workshops and their life cycle."""
