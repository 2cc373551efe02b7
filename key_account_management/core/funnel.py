"""The opportunity funnel of a key account (docs/DOMAIN.md §7 and the last bullet of §2).

Key-account selling runs through six stages, each ending in a key milestone (关键节点): development
(collect, evaluate, grade) → entry (organisation, roles, key people) → proposal (shape the customer's
criteria) → bidding → negotiation (contract signed) → implementation. A deal does not move past a
stage before its milestone; forcing it there is allowed only with a reason.

Before an opportunity is graded it is screened with the customer risk table (客户风险评估表): scale and
budget, funding and credit, closeness of relationship, each scored from 1 (high risk) to 5 (low risk).
An opportunity whose total is below the pass mark, or with one factor below the knock-out score, fails
the screen and is not pursued. The screen's total, as a share of the best possible total, caps the
likelihood the grade is computed on: a salesperson's 90 % on a customer scoring 9 of 15 counts as 60 %.

Opportunities are then graded A/B/C/D by days to the expected close and that likelihood, so time goes
to the near and likely ones first. Each of A, B and C is a band "closes within N days and at least P %";
the bands are nested (A inside B inside C) and an opportunity takes the best band it falls in. D is the
rest: no close date, a close date already passed, too far away or too unlikely.

Orders below a set amount stay out of the funnel (漏斗外销售额): no stages, screen or grade for them, but
they still count in the forecast. The funnel's conversion is compared with the 10-5-3-1 rule of thumb:
ten leads, five contacts, three proposals, one deal.

Here the grades and the risk screen; the stages, their milestones and the funnel's counts are in
``funnel_stages``. Nothing here imports frappe: the Opportunity hooks, the daily job and the report pass
plain values in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GRADES = ("A", "B", "C", "D")
GRADE_D = "D"
# the banded grades, best first; D takes what no band holds
BANDED_GRADES = ("A", "B", "C")
MAX_BAND_DAYS = 3650

# ERPNext Opportunity statuses: these are still being worked on
OPEN_STATUSES = ("Open", "Replied", "Quotation")
WON_STATUS = "Converted"
WON = "Won"
# row labels of the report and the profile's pipeline
NO_CLOSE_DATE = "No Close Date"
UNGRADED = "Ungraded"

SOURCE_COMPUTED = "Computed"
SOURCE_OVERRIDE = "Override"
SOURCE_DAILY_JOB = "Daily Job"
GRADE_SOURCES = (SOURCE_COMPUTED, SOURCE_OVERRIDE, SOURCE_DAILY_JOB)

SCREEN_PASSED = "Passed"
SCREEN_FAILED = "Failed"

RISK_FACTORS = ("scale_budget", "funding_credit", "relationship")
RISK_FACTOR_LABELS = {
	"scale_budget": "Scale and Budget",
	"funding_credit": "Funding and Credit",
	"relationship": "Closeness of Relationship",
}
SCORE_MIN, SCORE_MAX = 1, 5
SCORE_DESCRIPTION = "1 = high risk … 5 = low risk; empty while not scored."
MAX_SCREEN_TOTAL = SCORE_MAX * len(RISK_FACTORS)


# -- grade bands ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GradeBand:
	"""Grade ``grade`` for an opportunity closing within ``within_days`` days (0 is today) at a likelihood
	of at least ``min_probability`` percent."""

	grade: str
	within_days: int
	min_probability: float


DEFAULT_BANDS: tuple[GradeBand, ...] = (
	GradeBand("A", 30, 70.0),
	GradeBand("B", 90, 50.0),
	GradeBand("C", 180, 20.0),
)

# kinds of BandProblem
BAND_GRADES = "grades"
BAND_DAYS_RANGE = "days_range"
BAND_PROBABILITY_RANGE = "probability_range"
BAND_DAYS_ORDER = "days_order"
BAND_PROBABILITY_ORDER = "probability_order"
BAND_SAME = "same"


@dataclass(frozen=True)
class BandProblem:
	"""What is wrong with the bands: ``kind`` on ``grade`` (against ``other``, the grade above it)."""

	kind: str
	grade: str
	other: str | None = None


def validate_bands(bands: Sequence[GradeBand]) -> list[BandProblem]:
	"""Problems with a set of bands; an empty list means every opportunity gets exactly one grade.

	One band each for A, B and C; days a whole number from 0 to MAX_BAND_DAYS, probabilities 0-100; and
	nested: a lower grade's band holds the higher grade's (at least as many days, at most the same
	probability) without being the same band, since bands that cross or coincide would give an
	opportunity two grades, or leave a grade nobody can get.
	"""
	problems: list[BandProblem] = []
	grades = [band.grade for band in bands]
	if sorted(grades) != list(BANDED_GRADES):
		problems.append(BandProblem(BAND_GRADES, ", ".join(map(str, grades))))
		return problems
	for band in bands:
		days = band.within_days
		if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_BAND_DAYS:
			problems.append(BandProblem(BAND_DAYS_RANGE, band.grade))
		probability = band.min_probability
		if isinstance(probability, bool) or not isinstance(probability, int | float):
			problems.append(BandProblem(BAND_PROBABILITY_RANGE, band.grade))
		elif not 0 <= probability <= 100:
			problems.append(BandProblem(BAND_PROBABILITY_RANGE, band.grade))
	if problems:
		return problems
	ordered = sorted(bands, key=lambda band: band.grade)
	for upper, lower in zip(ordered, ordered[1:]):
		if lower.within_days < upper.within_days:
			problems.append(BandProblem(BAND_DAYS_ORDER, lower.grade, upper.grade))
		if lower.min_probability > upper.min_probability:
			problems.append(BandProblem(BAND_PROBABILITY_ORDER, lower.grade, upper.grade))
		if (lower.within_days, lower.min_probability) == (upper.within_days, upper.min_probability):
			problems.append(BandProblem(BAND_SAME, lower.grade, upper.grade))
	return problems


def days_to_close(expected_close: dt.date | None, as_of: dt.date) -> int | None:
	"""Days from ``as_of`` to the expected close (negative once it has passed); None without a date."""
	if expected_close is None:
		return None
	return (expected_close - as_of).days


def grade(
	days_to_close: int | None, likelihood: float | None, bands: Sequence[GradeBand] = DEFAULT_BANDS
) -> str:
	"""The grade A-D of an opportunity ``days_to_close`` days from its expected close at ``likelihood`` %.

	A band holds an opportunity closing in 0 to ``within_days`` days (both ends included) at a likelihood
	of at least ``min_probability``; the best band that holds it gives the grade. No close date, a close
	date that has passed (the date needs a new estimate) or no likelihood gives D."""
	if days_to_close is None or days_to_close < 0 or likelihood is None:
		return GRADE_D
	for band in sorted(bands, key=lambda band: band.grade):
		if days_to_close <= band.within_days and likelihood >= band.min_probability:
			return band.grade
	return GRADE_D


def effective_grade(
	computed: str | None,
	override: str | None,
	override_until: dt.date | None,
	as_of: dt.date,
) -> tuple[str | None, bool]:
	"""(the grade in force, whether the manager's override is what gives it).

	An override without a date holds until the manager clears it; one with a date holds up to and
	including that day."""
	if override and (override_until is None or override_until >= as_of):
		return override, True
	return computed, False


# -- the risk screen --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScreenRule:
	"""Pass when the total is at least ``pass_total`` and no factor scores below ``knockout_below``
	(0 or 1: no knock-out)."""

	pass_total: int = 9
	knockout_below: int = 2


DEFAULT_SCREEN_RULE = ScreenRule()


@dataclass(frozen=True)
class ScreenResult:
	total: int
	max_total: int
	passed: bool
	likelihood: float
	below_pass_mark: bool
	knocked_out: tuple[str, ...]


def validate_screen_rule(rule: ScreenRule) -> list[str]:
	"""The rule's fields that are out of range: pass_total 3-15, knockout_below 0-5."""
	out_of_range = []
	if not len(RISK_FACTORS) * SCORE_MIN <= rule.pass_total <= MAX_SCREEN_TOTAL:
		out_of_range.append("pass_total")
	if not 0 <= rule.knockout_below <= SCORE_MAX:
		out_of_range.append("knockout_below")
	return out_of_range


def invalid_scores(scores: Mapping[str, int | None]) -> list[str]:
	"""The factors whose score is neither empty (0 or None: not scored yet) nor SCORE_MIN-SCORE_MAX."""
	return [
		factor
		for factor in RISK_FACTORS
		if scores.get(factor) not in (None, 0) and not SCORE_MIN <= scores[factor] <= SCORE_MAX
	]


def unscored(scores: Mapping[str, int | None]) -> list[str]:
	return [factor for factor in RISK_FACTORS if not scores.get(factor)]


def screen(scores: Mapping[str, int | None], rule: ScreenRule = DEFAULT_SCREEN_RULE) -> ScreenResult | None:
	"""The screen of a fully scored risk table; None while a factor is still unscored.

	Scores must already be valid (see :func:`invalid_scores`)."""
	if unscored(scores):
		return None
	values = {factor: int(scores[factor]) for factor in RISK_FACTORS}
	total = sum(values.values())
	knocked_out = tuple(factor for factor in RISK_FACTORS if values[factor] < rule.knockout_below)
	below = total < rule.pass_total
	return ScreenResult(
		total=total,
		max_total=MAX_SCREEN_TOTAL,
		passed=not below and not knocked_out,
		likelihood=round(total * 100 / MAX_SCREEN_TOTAL, 2),
		below_pass_mark=below,
		knocked_out=knocked_out,
	)


def graded_likelihood(probability: float | None, result: ScreenResult | None) -> float:
	"""The likelihood the grade uses: the probability, capped by the screen's share of the best total."""
	value = min(max(float(probability or 0), 0.0), 100.0)
	if result is None:
		return value
	return min(value, result.likelihood)
