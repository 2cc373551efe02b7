"""The funnel's stages, their key milestones (关键节点) and its counts (docs/DOMAIN.md §7).

Six stages, each ending in a key milestone; a deal does not move past a stage before its milestone
(forcing it there needs a reason). The report counts how far the opportunities got against the 10-5-3-1
rule of thumb: ten leads, five contacts, three proposals, one deal. The grades and the risk screen are
in ``funnel``. Nothing here imports frappe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from key_account_management.core.funnel import OPEN_STATUSES, WON


# -- stages and milestones --------------------------------------------------------------------------
@dataclass(frozen=True)
class FunnelStage:
	name: str
	sequence: int
	milestone: str
	work: str = ""


DEFAULT_STAGES: tuple[FunnelStage, ...] = (
	FunnelStage(
		"Development",
		1,
		"Opportunity evaluated, screened and graded",
		"Catch leads around the customer's project approval; evaluate needs, schedule, budget, "
		"competition, decision process and priorities; screen with the risk table and grade A-D.",
	),
	FunnelStage(
		"Entry",
		2,
		"Organisation, roles and key people known",
		"Map the customer's organisation and buying roles and build relationships with the key people.",
	),
	FunnelStage(
		"Proposal",
		3,
		"The customer's purchase criteria reflect our solution",
		"Shape the customer's purchase criteria and offer the solution.",
	),
	FunnelStage(
		"Bidding",
		4,
		"Bid submitted and shortlisted",
		"Prepare and submit the bid; follow the evaluation.",
	),
	FunnelStage(
		"Negotiation",
		5,
		"Contract signed",
		"Negotiate the commercial terms up to the signed contract.",
	),
	FunnelStage(
		"Implementation",
		6,
		"Delivered and accepted by the customer",
		"Deliver, install and hand over; secure acceptance and payment.",
	),
)

# the 10-5-3-1 rule: per ten leads, five contacts, three proposals and one deal. By position in the
# funnel (the first three stages) so that renamed stages keep their rule; WON is the deal.
RULE_OF_THUMB_BY_POSITION = (10, 5, 3)
RULE_OF_THUMB_WON = 1


def ordered(stages: Iterable[FunnelStage]) -> list[FunnelStage]:
	return sorted(stages, key=lambda stage: (stage.sequence, stage.name))


def validate_stages(stages: Sequence[FunnelStage]) -> list[tuple[str, str]]:
	"""(problem, stage) pairs: "sequence" (not a positive whole number or used twice), "milestone" (empty)."""
	problems = []
	seen: set[int] = set()
	for stage in ordered(stages):
		if stage.sequence < 1 or stage.sequence in seen:
			problems.append(("sequence", stage.name))
		seen.add(stage.sequence)
		if not (stage.milestone or "").strip():
			problems.append(("milestone", stage.name))
	return problems


def stage_sequence(stage: str | None, stages: Sequence[FunnelStage]) -> int | None:
	"""The sequence of ``stage``; a stage outside the funnel (or none) counts as the first stage.
	None only when there are no funnel stages at all."""
	if not stages:
		return None
	for candidate in stages:
		if candidate.name == stage:
			return candidate.sequence
	return ordered(stages)[0].sequence


def passed_open_milestones(
	from_stage: str | None, to_stage: str | None, stages: Sequence[FunnelStage], done: Iterable[str]
) -> list[str]:
	"""The stages a move from ``from_stage`` to ``to_stage`` goes past with their milestone still open.

	A move forward passes the stage it leaves and every stage between; a new opportunity (``from_stage``
	None) starts at the first stage. Staying or moving back passes nothing."""
	start = stage_sequence(from_stage, stages)
	end = stage_sequence(to_stage, stages)
	if start is None or end is None or end <= start:
		return []
	done = set(done)
	return [
		stage.name for stage in ordered(stages) if start <= stage.sequence < end and stage.name not in done
	]


def furthest_stage(current: str | None, previous: str | None, stages: Sequence[FunnelStage]) -> str | None:
	"""The further of two stages (the furthest an opportunity has reached); funnel stages only."""
	names = {stage.name for stage in stages}
	candidates = [name for name in (previous, current) if name in names]
	if not candidates:
		return ordered(stages)[0].name if stages else None
	return max(candidates, key=lambda name: stage_sequence(name, stages))


def next_milestone(
	current: str | None, stages: Sequence[FunnelStage], done: Iterable[str]
) -> FunnelStage | None:
	"""The first stage from the current one on whose milestone is still open."""
	start = stage_sequence(current, stages)
	if start is None:
		return None
	done = set(done)
	for stage in ordered(stages):
		if stage.sequence >= start and stage.name not in done:
			return stage
	return None


# -- counting ---------------------------------------------------------------------------------------
def is_open(status: str | None) -> bool:
	return (status or "Open") in OPEN_STATUSES


def is_small_order(amount: float | None, min_amount: float | None) -> bool:
	"""Below the funnel's minimum amount (0 or empty: every order is in the funnel)."""
	return bool(min_amount and min_amount > 0 and float(amount or 0) < min_amount)


def weighted(amount: float | None, likelihood: float | None) -> float:
	return float(amount or 0) * float(likelihood or 0) / 100


def conversion(reached_from: int, reached_to: int) -> float | None:
	"""Percent of the opportunities that reached one step and reached the next; None from zero."""
	if not reached_from:
		return None
	return reached_to * 100 / reached_from


@dataclass(frozen=True)
class FunnelStep:
	step: str  # a stage name or WON
	reached: int
	conversion_to_next: float | None
	per_ten_leads: float | None
	rule_of_thumb: int | None


def funnel_steps(
	furthest_sequences: Iterable[tuple[int | None, bool]], stages: Sequence[FunnelStage]
) -> list[FunnelStep]:
	"""How many opportunities reached each stage and won, with the conversions between the steps.

	``furthest_sequences`` holds (sequence of the furthest stage reached, won) per opportunity; an
	opportunity reached every stage up to its furthest (None: the first). The steps are the stages in
	order and then WON; per_ten_leads scales each step to ten opportunities at the first stage, beside
	the 10-5-3-1 rule of thumb."""
	stage_list = ordered(stages)
	if not stage_list:
		return []
	first = stage_list[0].sequence
	reached = [0] * len(stage_list)
	won = 0
	for sequence, is_won in furthest_sequences:
		sequence = first if sequence is None else sequence
		for index, stage in enumerate(stage_list):
			if stage.sequence <= sequence:
				reached[index] += 1
		won += 1 if is_won else 0
	names = [stage.name for stage in stage_list] + [WON]
	counts = [*reached, won]
	rule = list(RULE_OF_THUMB_BY_POSITION[: len(stage_list)])
	rule += [None] * (len(stage_list) - len(rule)) + [RULE_OF_THUMB_WON]
	steps = []
	for index, name in enumerate(names):
		following = counts[index + 1] if index + 1 < len(counts) else None
		steps.append(
			FunnelStep(
				step=name,
				reached=counts[index],
				conversion_to_next=conversion(counts[index], following) if following is not None else None,
				per_ten_leads=counts[index] * 10 / counts[0] if counts[0] else None,
				rule_of_thumb=rule[index],
			)
		)
	return steps


def month_of(date: dt.date) -> str:
	return f"{date.year:04d}-{date.month:02d}"
