"""What a file really is, and whether it is safe to open."""
