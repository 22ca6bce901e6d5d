"""newsgraph: world news in, source-linked evidence out."""

__version__ = "0.1.0"
