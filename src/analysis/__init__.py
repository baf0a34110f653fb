"""Cited data and reproducible analyses of citizen participation in Peru's OGP action plans.

The flow, module by module: ``raw`` (load and validate the cited raw package) ->
``attendance``, ``proposals``, ``commitments``, ``bodies`` (clean and reconcile) ->
``shares``, ``survival``, ``evolution`` (analyse) -> ``figures`` and ``brief`` (communicate).
``pipeline`` runs the numbered notebooks through Papermill.
"""

__version__ = "0.1.0"
