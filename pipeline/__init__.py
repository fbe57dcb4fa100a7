"""casex: structured data from clinical case reports."""

__version__ = "0.1.0"
