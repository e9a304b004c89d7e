"""Workbooks and tables as written: layouts found, values kept with their cells."""
