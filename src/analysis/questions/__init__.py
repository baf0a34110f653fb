"""Analyse: the questions the repository answers.

``shares`` (who was in the room), ``survival`` (what survived), ``evolution`` (how
commitments evolved) and ``bodies`` (how balanced the multistakeholder bodies were).
"""
