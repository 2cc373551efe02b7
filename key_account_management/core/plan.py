"""The account plan's arithmetic (docs/DOMAIN.md §10): how far a measure should be by now, and its status.

An account plan (客户计划 / 大客户经营计划) turns the profile's strategy and annual goals into measures with
targets; each measure's actual comes from the data. Plain Python: the Frappe side (plan/) reads the
actuals and stores what these functions return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from key_account_management.core.messages import Message

ACHIEVED = "Achieved"
ON_TRACK = "On track"
BEHIND = "Behind"
AT_RISK = "At risk"
STATUSES = (ACHIEVED, ON_TRACK, BEHIND, AT_RISK)
# below this share of what is expected by now a measure is At risk, not just Behind
AT_RISK_BELOW = 0.8

# what a measure counts; the Frappe side computes each from the rollups, visits, opportunities and roles
NET_REVENUE = "Net Revenue"
GROSS_PROFIT = "Gross Profit"
SHARE_OF_WALLET = "Share of Wallet %"
ITEM_GROUP_REVENUE = "Item Group Revenue"
ITEM_GROUPS_BOUGHT = "Item Groups Bought"
WON_OPPORTUNITIES = "Won Opportunity Amount"
VISITS_COMPLETED = "Visits Completed"
COVERAGE = "Buying Center Coverage %"
HEALTH_SCORE = "Health Score"
MILESTONE = "Milestone"
MEASURES = (
	NET_REVENUE,
	GROSS_PROFIT,
	SHARE_OF_WALLET,
	ITEM_GROUP_REVENUE,
	ITEM_GROUPS_BOUGHT,
	WON_OPPORTUNITIES,
	VISITS_COMPLETED,
	COVERAGE,
	HEALTH_SCORE,
	MILESTONE,
)
# measures that add up over the period (expected-by-now grows with time); the others are levels that
# the account should hold at any time (a share, a coverage, a score), expected at their target all along
CUMULATIVE = frozenset(
	{NET_REVENUE, GROSS_PROFIT, ITEM_GROUP_REVENUE, WON_OPPORTUNITIES, VISITS_COMPLETED, ITEM_GROUPS_BOUGHT}
)
PERCENTAGES = frozenset({SHARE_OF_WALLET, COVERAGE})
MAX_SCORE = {HEALTH_SCORE: 100}


def elapsed_share(start: date, end: date, as_of: date) -> float:
	"""The share of the period from ``start`` to ``end`` (both included) that has passed on ``as_of``."""
	if as_of < start:
		return 0.0
	if as_of >= end:
		return 1.0
	return ((as_of - start).days + 1) / ((end - start).days + 1)


def shaped_share(last_year_by_month: Sequence[float], months_elapsed: float) -> float | None:
	"""The share of last year's total that its first ``months_elapsed`` months made (a fraction of a month
	counts pro rata): the account's own seasonality. None without a positive year of history."""
	months = list(last_year_by_month)
	total = sum(months)
	if len(months) < 12 or total <= 0:
		return None
	whole = int(months_elapsed)
	done = sum(months[:whole])
	if whole < len(months):
		done += months[whole] * (months_elapsed - whole)
	return min(max(done / total, 0.0), 1.0)


def expected_by_now(
	measure: str,
	target: float,
	start: date,
	end: date,
	as_of: date,
	last_year_by_month: Sequence[float] | None = None,
) -> float:
	"""What the measure should stand at on ``as_of``: a cumulative measure the target times the share of
	the period elapsed, or of last year's monthly shape where the account has a year of history; a level
	measure (share, coverage, score, milestone) its target."""
	if measure not in CUMULATIVE:
		return target
	share = None
	if last_year_by_month:
		share = shaped_share(last_year_by_month, months_between(start, as_of))
	if share is None:
		share = elapsed_share(start, end, as_of)
	return target * share


def has_a_year_of_history(first_month: date | None, start: date) -> bool:
	"""Whether the account's data (its first month of rollups) reaches back a whole year before the period
	starts: only then is last year's monthly shape the account's season, not a part of a year."""
	if first_month is None:
		return False
	year_before = date(start.year - 1, start.month, 1)
	return first_month <= year_before


def months_between(start: date, as_of: date) -> float:
	"""Months from ``start`` to the end of ``as_of``, a part month pro rata by its days (30-day months)."""
	if as_of < start:
		return 0.0
	whole = (as_of.year - start.year) * 12 + as_of.month - start.month
	days = as_of.day - start.day + 1
	return max(whole + days / 30.0, 0.0)


def progress_percent(actual: float, target: float) -> float:
	return round(100.0 * actual / target, 1) if target else 0.0


def status(
	actual: float, target: float, expected: float, done: bool = False, period_over: bool = False
) -> str:
	"""Achieved at or over the target (a milestone: when done); On track at or over what is expected by
	now; Behind under it; At risk under ``AT_RISK_BELOW`` of it, or when the period ended short."""
	if done or (target and actual >= target):
		return ACHIEVED
	if period_over:
		return AT_RISK
	if actual >= expected:
		return ON_TRACK
	if actual >= expected * AT_RISK_BELOW:
		return BEHIND
	return AT_RISK


@dataclass(frozen=True)
class Problem:
	"""A refused input: the field it concerns and the message (translated at the desk)."""

	field: str
	message: Message


def measure_problems(
	measure: str, target: float | None, done_date: date | None = None, done: bool = False
) -> list[Problem]:
	"""What is wrong with a measure as the user typed it (nothing saved while anything is)."""
	if measure not in MEASURES:
		return [Problem("measure", Message("{0} is not a measure of an account plan.", measure))]
	problems = []
	if measure == MILESTONE:
		if done and not done_date:
			problems.append(
				Problem("done_date", Message("A milestone marked done needs the date it was done."))
			)
		return problems
	if target is None or target <= 0:
		problems.append(Problem("target", Message("The target of {0} must be more than zero.", measure)))
	elif measure in PERCENTAGES and target > 100:
		problems.append(
			Problem("target", Message("The target of {0} is a percentage: at most 100.", measure))
		)
	elif measure in MAX_SCORE and target > MAX_SCORE[measure]:
		problems.append(
			Problem("target", Message("The target of {0} is at most {1}.", measure, MAX_SCORE[measure]))
		)
	return problems


def period_problems(start: date | None, end: date | None) -> list[Problem]:
	if not start or not end:
		return [Problem("period_start" if not start else "period_end", Message("A plan needs a period."))]
	if end < start:
		return [Problem("period_end", Message("The plan's period ends before it starts."))]
	return []
