"""Relationship stages by share of wallet, account status and business loss (docs/DOMAIN.md §3).

A key account moves through stages as our share of its category spend (share of wallet, SoW) grows:
Incubation below 30%, Early 30-50%, Middle 50-100%, Strategic Partner at 100%. Interrupted is not a
band of SoW but a flag: trading can stop at any stage, so it has no range and is never "skipped" to.

The account's health score is in ``core.health``.

Everything here is plain Python so that the Frappe controllers stay thin and the daily job can apply
the same rules to every account without a database round trip per rule.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from key_account_management.core.messages import Message
from key_account_management.core.periods import as_date

STATUS_ACTIVE = "Active"
STATUS_AT_RISK = "At Risk"
STATUS_INTERRUPTED = "Interrupted"
STATUS_LOST = "Lost"
STATUSES = (STATUS_ACTIVE, STATUS_AT_RISK, STATUS_INTERRUPTED, STATUS_LOST)

# a revenue change this bad (this period against the previous one) puts an account at risk
AT_RISK_REVENUE_DROP = -0.3

FLAG_NO_ESTIMATE = "no estimate"
FLAG_ESTIMATE_TOO_LOW = "estimate too low"

CAUSE_KEY_PERSON_CHANGED = "key person changed"
CAUSE_OVERDUE_RECEIVABLES = "overdue receivables"
CAUSE_CREDIT_LIMIT_EXCEEDED = "credit limit exceeded"


@dataclass(frozen=True)
class Stage:
	"""One relationship stage.

	``sow_from`` is inclusive and ``sow_to`` exclusive, both in percent. The top stage (the ranged
	stage with the highest ``sow_from``) also takes every SoW at or above its ``sow_to``, which may be
	None for "no upper bound": a SoW over 100% means the category estimate is too low, not that there
	is a stage beyond strategic partnership. Interrupted stages carry no range.
	"""

	name: str
	sequence: int
	sow_from: float | None = None
	sow_to: float | None = None
	interrupted: bool = False


DEFAULT_STAGES: tuple[Stage, ...] = (
	Stage("Incubation", 1, 0.0, 30.0),
	Stage("Early", 2, 30.0, 50.0),
	Stage("Middle", 3, 50.0, 100.0),
	Stage("Strategic Partner", 4, 100.0, None),
	Stage("Interrupted", 5, interrupted=True),
)

DEFAULT_PLAYBOOKS: dict[str, list[str]] = {
	"Incubation": [
		"Bring our executives and theirs together when needed.",
		"Learn their decision process in depth.",
		"Prove the brand.",
		"Assign a senior sales manager who acts as a consultant.",
	],
	"Early": [
		"Study competitors' moves and answer them.",
		"Talk often and gather information from many sides.",
		"Sweat the details.",
		"Raise price-performance.",
		"Do not rotate the sales manager.",
	],
	"Middle": [
		"Build contact at many levels, including executive exchange.",
		"Invite them into the key-account club.",
		"Offer tailored total solutions.",
		"Give one-to-one service.",
		"Hold regular account meetings.",
		"Run training and technical exchange.",
	],
	"Strategic Partner": [
		"Build joint business, moving from served customer to partner.",
		"Raise the customer's own value.",
		"Keep close executive ties.",
		"Give VIP service.",
	],
	"Interrupted": [
		"Find the cause of the interruption.",
		"Draw up and carry out a win-back plan.",
	],
}


def _pct(value: float) -> str:
	return f"{float(value):g}"


def _describe(stage: Stage) -> str:
	if stage.sow_to is None:
		return Message("{0} ({1}%+)", Message(stage.name), _pct(stage.sow_from))
	return Message("{0} ({1}-{2}%)", Message(stage.name), _pct(stage.sow_from), _pct(stage.sow_to))


def _upper(stage: Stage) -> float:
	return math.inf if stage.sow_to is None else float(stage.sow_to)


def _ranged(stages: Iterable[Stage]) -> list[Stage]:
	"""Non-interrupted stages with a lower bound, lowest SoW first (ties by sequence, then name)."""
	return sorted(
		(s for s in stages if not s.interrupted and s.sow_from is not None),
		key=lambda s: (float(s.sow_from), s.sequence, s.name),
	)


def validate_stage_ranges(stages: Iterable[Stage]) -> list[str]:
	"""Problems that stop the stages from mapping every SoW from 0 upward to exactly one stage.

	Each problem is a sentence for the user; an empty list means the configuration is valid. Ranges
	that are malformed on their own (from >= to) are reported once and then left out of the overlap
	and gap checks, so one typo does not produce a cascade of messages.
	"""
	stages = list(stages)
	problems: list[str] = []

	seen: set[str] = set()
	for stage in stages:
		if stage.name in seen:
			problems.append(Message("Stage {0} is defined more than once.", Message(stage.name)))
		seen.add(stage.name)

	for stage in stages:
		if not stage.interrupted and stage.sow_from is None:
			problems.append(
				Message("Stage {0} needs a SoW range or the Interrupted flag.", Message(stage.name))
			)

	ranged = []
	for stage in _ranged(stages):
		if stage.sow_to is not None and float(stage.sow_from) >= float(stage.sow_to):
			problems.append(
				Message(
					"Stage {0}: SoW from ({1}%) must be lower than SoW to ({2}%).",
					Message(stage.name),
					_pct(stage.sow_from),
					_pct(stage.sow_to),
				)
			)
		else:
			ranged.append(stage)

	if not ranged:
		if not any(not s.interrupted and s.sow_from is None for s in stages):
			problems.append("At least one stage needs a SoW range.")
		return problems

	if float(ranged[0].sow_from) != 0:
		problems.append(Message("The SoW ranges must start at 0%; the lowest is {0}.", _describe(ranged[0])))

	# pairwise: a wide range can overlap stages that are not its direct neighbour
	for i, low in enumerate(ranged):
		for high in ranged[i + 1 :]:
			if float(high.sow_from) < _upper(low):
				problems.append(Message("{0} overlaps {1}.", _describe(low), _describe(high)))

	covered_to = _upper(ranged[0])
	for stage in ranged[1:]:
		if float(stage.sow_from) > covered_to:
			problems.append(
				Message("No stage covers SoW from {0}% to {1}%.", _pct(covered_to), _pct(stage.sow_from))
			)
		covered_to = max(covered_to, _upper(stage))

	# skip detection counts steps in sequence order, so it has to agree with the SoW order
	for low, high in zip(ranged, ranged[1:]):
		if low.sequence >= high.sequence:
			problems.append(
				Message(
					"Stage {0} (sequence {1}) has higher SoW than stage {2} (sequence {3}); "
					"sequences must rise with SoW.",
					Message(high.name),
					high.sequence,
					Message(low.name),
					low.sequence,
				)
			)

	return problems


def share_of_wallet(our_revenue: float | None, estimated_category_spend: float | None) -> float | None:
	"""Our revenue as a percent of the customer's estimated total spend on the category.

	None when there is no estimate (missing or zero): a SoW of 0 would wrongly put the account in the
	lowest stage. Net negative revenue (returns exceeding sales) counts as no share at all.
	"""
	if estimated_category_spend is None:
		return None
	estimate = float(estimated_category_spend)
	if estimate < 0:
		raise ValueError("the estimated category spend cannot be negative")
	if estimate == 0:
		return None
	revenue = max(float(our_revenue or 0), 0.0)
	return revenue / estimate * 100.0


def change(current: float | None, previous: float | None) -> float | None:
	"""Change against the previous value as a ratio (-0.4 is -40%); None when either is unknown.

	Negative values count as 0; from 0 to something is +100%, from 0 to 0 has no direction (None)."""
	if current is None or previous is None:
		return None
	current, previous = max(float(current), 0.0), max(float(previous), 0.0)
	if previous == 0:
		return None if current == 0 else 1.0
	return (current - previous) / previous


def estimate_in_force(
	estimates: Iterable[tuple[dt.date, float]], on: dt.date
) -> tuple[dt.date, float] | None:
	"""The category-spend estimate that was current on ``on``: the latest one made on or before that
	day (a later one was not known then). Estimates of 0 or less are no estimate; None when none fits."""
	best: tuple[dt.date, float] | None = None
	for made_on, amount in estimates or ():
		made_on = as_date(made_on)
		if made_on is None or float(amount or 0) <= 0 or made_on > on:
			continue
		if best is None or made_on >= best[0]:
			best = (made_on, float(amount))
	return best


@dataclass(frozen=True)
class PeriodShares:
	current: float | None  # SoW of this period, on the estimate in force at its end
	previous: float | None  # SoW of the previous period, on the estimate in force at its end
	trend: float | None  # change of SoW between the two; None without two different estimates


def shares_of_wallet(
	revenue_this: float | None,
	revenue_previous: float | None,
	estimates: Iterable[tuple[dt.date, float]],
	this_end: dt.date,
	previous_end: dt.date,
) -> PeriodShares:
	"""Share of wallet in this and the previous period, each on the estimate in force at its end.

	The SoW trend says whether we won share of the customer's spend, which only two estimates can tell:
	dividing both years by the same estimate gives the revenue trend again, counted twice in the health
	score. So the trend is None (no data; its weight goes to the other parts) unless a different
	estimate was in force in each period. ``estimates`` are (the day an estimate was made, amount)."""
	estimates = list(estimates or ())
	now = estimate_in_force(estimates, as_date(this_end))
	before = estimate_in_force(estimates, as_date(previous_end))
	current = share_of_wallet(revenue_this, now[1]) if now else None
	previous = share_of_wallet(revenue_previous, before[1]) if before else None
	trend = change(current, previous) if now and before and now[0] != before[0] else None
	return PeriodShares(current, previous, trend)


def sow_flags(sow: float | None) -> list[str]:
	"""Warnings about a SoW figure, for the account form and the review list."""
	if sow is None:
		return [FLAG_NO_ESTIMATE]
	if float(sow) > 100:
		# we cannot sell more than the customer buys: the category estimate needs updating
		return [FLAG_ESTIMATE_TOO_LOW]
	return []


def suggest_stage(sow: float | None, stages: Iterable[Stage] = DEFAULT_STAGES) -> str | None:
	"""The non-interrupted stage whose SoW range contains ``sow``; 100% or more is the top stage.

	None when there is no SoW or it falls outside every range (below the lowest, or in a gap).
	"""
	if sow is None:
		return None
	ranged = _ranged(stages)
	if not ranged:
		return None
	value = float(sow)
	top = ranged[-1]
	if value >= 100 or value >= float(top.sow_from):
		return top.name
	for stage in ranged:
		if float(stage.sow_from) <= value < _upper(stage):
			return stage.name
	return None


def skips_stages(
	from_stage: str | None, to_stage: str | None, stages: Iterable[Stage] = DEFAULT_STAGES
) -> bool:
	"""Whether a move jumps over at least one stage, forward or backward, so that it needs a reason.

	Steps are counted by position in sequence order, so sequences 10, 20, 30 are one step apart. Moves
	to or from an Interrupted stage are never skips (interruption can happen at any stage, and a win
	back can land anywhere); nor is a first assignment or a stage that is not configured.
	"""
	if not from_stage or not to_stage or from_stage == to_stage:
		return False
	ordered = sorted((s for s in stages if not s.interrupted), key=lambda s: (s.sequence, s.name))
	position = {s.name: i for i, s in enumerate(ordered)}
	if from_stage not in position or to_stage not in position:
		return False
	return abs(position[to_stage] - position[from_stage]) > 1


def account_status(
	days_since_last_order: int | None,
	interruption_days: int = 180,
	at_risk_ratio: float = 0.5,
	revenue_trend: float | None = None,
	has_any_purchase: bool = True,
) -> str:
	"""Active, At Risk, Interrupted or Lost, first matching rule wins:

	1. Lost: no purchase at all in the previous and the current period (``has_any_purchase`` False):
	   a customer loss, not just a quiet spell.
	2. Interrupted: ``days_since_last_order`` (since the last submitted invoice) is at least
	   ``interruption_days``, or unknown because there never was an invoice.
	3. At Risk: the days reach ``interruption_days * at_risk_ratio``, or revenue this period against
	   the previous one (``revenue_trend``, a ratio: -0.4 is -40%) fell by 30% or more.
	4. Active otherwise.
	"""
	if interruption_days is None or interruption_days <= 0:
		raise ValueError("the interruption days must be positive")
	if at_risk_ratio is None or not 0 < at_risk_ratio <= 1:
		raise ValueError("the at-risk ratio must be greater than 0 and at most 1")
	if not has_any_purchase:
		return STATUS_LOST
	if days_since_last_order is None or days_since_last_order >= interruption_days:
		return STATUS_INTERRUPTED
	if days_since_last_order >= interruption_days * at_risk_ratio:
		return STATUS_AT_RISK
	if revenue_trend is not None and revenue_trend <= AT_RISK_REVENUE_DROP:
		return STATUS_AT_RISK
	return STATUS_ACTIVE


def business_loss(previous_item_groups: Iterable[str], current_item_groups: Iterable[str]) -> list[str]:
	"""Item groups bought in the previous period but not in this one, sorted.

	This is the "business loss" of docs/DOMAIN.md §3: the customer drops a line but keeps buying the rest.
	"""
	current = {g for g in current_item_groups or () if g}
	return sorted({g for g in previous_item_groups or () if g} - current)


def interruption_causes(
	key_person_left: bool, overdue_amount: float | None, credit_limit_exceeded: bool
) -> list[str]:
	"""The causes of an interruption the system can see, as stable codes in a fixed order.

	Trust, quality and market changes are judgement calls left to the account manager.
	"""
	causes = []
	if key_person_left:
		causes.append(CAUSE_KEY_PERSON_CHANGED)
	if (overdue_amount or 0) > 0:
		causes.append(CAUSE_OVERDUE_RECEIVABLES)
	if credit_limit_exceeded:
		causes.append(CAUSE_CREDIT_LIMIT_EXCEEDED)
	return causes
