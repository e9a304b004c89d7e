"""reportgen: rank state agencies on IT use and draft the province's decision."""

__version__ = "0.1.0"
