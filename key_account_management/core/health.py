"""Account health: a 0-100 score from order recency, revenue and SoW trends, buying-center coverage and
visits (docs/DOMAIN.md §9).

Plain Python like the rest of ``core``: the daily job and the profile form compute every account's
score from values they read once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

HEALTH_PARTS = ("recency", "revenue_trend", "sow_trend", "coverage", "visits")


@dataclass(frozen=True)
class HealthWeights:
	"""Points each part of the health score is worth when every input is known (they sum to 100)."""

	recency: float = 30
	revenue_trend: float = 25
	sow_trend: float = 15
	coverage: float = 20
	visits: float = 10

	def __post_init__(self):
		for name in HEALTH_PARTS:
			if getattr(self, name) is None or getattr(self, name) < 0:
				raise ValueError(f"the {name} weight cannot be negative")


@dataclass(frozen=True)
class HealthResult:
	score: int  # 0-100, out of the weights of the parts that could be scored
	parts: dict[str, float] = field(default_factory=dict)  # part -> points earned, 0..its weight
	missing: tuple[str, ...] = ()  # parts left out for lack of input


def _clip(value: float, low: float, high: float) -> float:
	return max(low, min(high, float(value)))


def _trend_fraction(trend: float) -> float:
	"""-100% or worse scores nothing, no change half, doubling or better everything."""
	return (_clip(trend, -1.0, 1.0) + 1.0) / 2.0


def health_score(
	days_since_last_order: int | None,
	revenue_trend: float | None,
	sow_trend: float | None,
	coverage_percent: float | None,
	support_score: float | None,
	days_since_last_visit: int | None,
	weights: HealthWeights | None = None,
	interruption_days: int = 180,
	visit_cadence_days: int | None = None,
) -> HealthResult:
	"""A 0-100 health score from recency, revenue and SoW trends, buying-center coverage and visits.

	Parts whose input is missing are left out and the score is taken out of the remaining weights, so
	an account is not punished for data we do not have (a customer with no SoW estimate can still score
	100). With nothing known at all the score is 0 and every part is listed as missing.

	- recency: full weight at 0 days since the last order, falling linearly to 0 at ``interruption_days``;
	- revenue_trend, sow_trend: the ratio against the previous period clipped to [-1, 1], mapped
	  linearly to [0, weight] (no change earns half);
	- coverage: the average of ``coverage_percent`` (0-100) and ``support_score`` (-1..1 mapped to 0..1),
	  or whichever of the two is known;
	- visits: full weight while ``days_since_last_visit`` is within ``visit_cadence_days``, falling
	  linearly to 0 at three times the cadence; left out without a cadence or without any visit.
	"""
	weights = weights or HealthWeights()
	if interruption_days is None or interruption_days <= 0:
		raise ValueError("the interruption days must be positive")

	fractions: dict[str, float | None] = {}
	fractions["recency"] = (
		None
		if days_since_last_order is None
		else 1.0 - _clip(days_since_last_order / interruption_days, 0.0, 1.0)
	)
	fractions["revenue_trend"] = None if revenue_trend is None else _trend_fraction(revenue_trend)
	fractions["sow_trend"] = None if sow_trend is None else _trend_fraction(sow_trend)

	coverage_bits = []
	if coverage_percent is not None:
		coverage_bits.append(_clip(coverage_percent, 0.0, 100.0) / 100.0)
	if support_score is not None:
		coverage_bits.append(_trend_fraction(support_score))
	fractions["coverage"] = sum(coverage_bits) / len(coverage_bits) if coverage_bits else None

	if visit_cadence_days and visit_cadence_days > 0 and days_since_last_visit is not None:
		overdue = max(float(days_since_last_visit) - visit_cadence_days, 0.0)
		fractions["visits"] = 1.0 - _clip(overdue / (2.0 * visit_cadence_days), 0.0, 1.0)
	else:
		fractions["visits"] = None

	parts: dict[str, float] = {}
	missing = []
	for name in HEALTH_PARTS:
		if fractions[name] is None:
			missing.append(name)
		else:
			parts[name] = fractions[name] * getattr(weights, name)

	available = sum(getattr(weights, name) for name in parts)
	if available <= 0:
		return HealthResult(score=0, parts=parts, missing=tuple(missing))
	# half up, not Python's round-half-even, so 49.5 and 50.5 both round the way users expect
	score = math.floor(sum(parts.values()) / available * 100.0 + 0.5)
	return HealthResult(score=int(_clip(score, 0, 100)), parts=parts, missing=tuple(missing))
