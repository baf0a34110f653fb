"""Clean and reconcile: one vocabulary for both accounts, tidy tables, ``data/processed``.

``attendance`` (both accounts, discrepancies, reconciliation), ``proposals`` (the funnel),
``commitments`` (titles corrected, areas normalised, assessments joined) and
``processed`` (the processed data package and its descriptor).
"""
