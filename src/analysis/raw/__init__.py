"""Load and validate: the cited raw package (``data/raw``) and the corrections table.

``package`` reads the descriptor and CSVs (format, checksums, schema); ``totals`` checks
the documents' own arithmetic; ``quotes`` finds every quote in its source text;
``corrections`` reads the title corrections; ``validation`` runs them all.
"""

from .package import load_raw, read_raw, update_checksums, validate

__all__ = ["load_raw", "read_raw", "update_checksums", "validate"]
