"""Cited data and reproducible analyses of citizen participation in Peru's OGP action plans.

The package is laid out in the order of the flow; each layer imports only from the
layers before it (``tests/test_layers.py`` enforces this):

- base: ``paths``, ``problems`` (located errors), ``labels`` (shared vocabulary),
  ``outputs`` (atomic, deterministic writing);
- ``raw``: load and validate the cited raw package;
- ``clean``: clean and reconcile into ``data/processed``;
- ``questions``: shares, survival, evolution, bodies;
- ``report``: figures, findings in words, the brief;
- ``run``: parameters and the Papermill pipeline.
"""

__version__ = "0.1.0"
