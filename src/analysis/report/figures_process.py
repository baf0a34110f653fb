"""Figures of the process analyses (notebook 06): the standards scorecard and the 2017 timeline.

They live in ``report.figures`` with every other figure (one style, one vocabulary, one
catalogue); this module keeps the names notebook 06 uses.
"""

from .figures import SCORE_COLORS, standards_scorecard, timeline_accounts

__all__ = ["SCORE_COLORS", "standards_scorecard", "timeline_accounts"]
