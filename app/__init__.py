"""claimdb: a claims-and-sources fact-checking database."""

__version__ = "0.1.0"
