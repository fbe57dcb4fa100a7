"""The error raised for a file that cannot be read as a report."""


class ReportError(Exception):
    """A file that cannot be read as a report; the message names the reason."""
