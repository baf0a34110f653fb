"""Report: figures, the sentences that state each finding, and the evidence brief."""
