"""Cleaning and indicator functions for the Vigie research repository (Québec's social economy)."""

__version__ = "0.1.0"
