"""The stages in order: check, build, and one unit's own check."""
