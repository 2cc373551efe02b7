"""Approval policy for hospitality and gifts to key-account contacts (docs/DOMAIN.md §6).

A hospitality request (meal, entertainment, gift, travel/hosting, reception or site visit) is approved
*before* the spend, through the levels Manager → Director → Finance. How many levels a request needs
depends on its estimated amount (the approval bands), but anti-bribery rules raise the bar: as soon as one
recipient is a government or state-enterprise official, or the request breaks a spending limit, it goes
all the way to Director and Finance whatever its size. The point is to keep the relationship with the
organisation, not to create a personal debt, so the module also tracks who receives how much per event,
per year and against the account's budget.

This module only decides the policy: bands and levels, limits, budgets, settlement and what a request
must hold. The approval line (states, actions, which state comes next, who may sign a level) is in
``core.hospitality_flow``. The Frappe side (``key_account_management.hospitality``) calls both from the
request's validate hook. Nothing here imports frappe, so it is tested in plain pytest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from key_account_management.core.messages import Message
from key_account_management.core.periods import as_date

LEVELS = ("Manager", "Director", "Finance")
# the levels named in messages, each translatable
LEVEL_LIST = Message("{0}, {1} or {2}", *(Message(level) for level in LEVELS))
_LEVEL_ORDER = Message("{0} → {1} → {2}", *(Message(level) for level in LEVELS))

# money is compared with a small tolerance so that float sums such as 0.1 + 0.2 do not break a limit
_EPSILON = 1e-6

LIMIT_PER_EVENT = "Per recipient per event"
LIMIT_PER_YEAR = "Per recipient per year"
LIMIT_ACCOUNT_BUDGET = "Account budget"
ACCOUNT_SCOPE = "Account"


# ---------------------------------------------------------------------------------------------------------
# Approval bands and levels


@dataclass(frozen=True)
class ApprovalBand:
	up_to_amount: float | None  # inclusive upper bound; None: no upper bound (the top band)
	levels: tuple[str, ...]


DEFAULT_BANDS = (
	ApprovalBand(1000.0, ("Manager",)),
	ApprovalBand(5000.0, ("Manager", "Director")),
	ApprovalBand(None, ("Manager", "Director", "Finance")),
)


def ordered_levels(levels: Iterable[str]) -> tuple[str, ...]:
	"""Known levels in LEVELS order without duplicates, so every caller sees the same approval line."""
	wanted = set(levels)
	return tuple(level for level in LEVELS if level in wanted)


def validate_bands(bands: Sequence[ApprovalBand]) -> list[str]:
	"""Problems with a band table; an empty list means it can decide every amount unambiguously.

	Bands must be listed with strictly ascending upper bounds and end with exactly one open-ended band, so
	that every amount falls in exactly one band. A band's levels must be non-empty, known, in LEVELS order
	and without duplicates, and a higher band may not need fewer levels than a lower one: spending more
	must never be easier to approve.
	"""
	problems: list[str] = []
	if not bands:
		return ["at least one approval band is required"]

	open_ended = [i for i, band in enumerate(bands) if band.up_to_amount is None]
	if len(open_ended) != 1:
		problems.append(Message("exactly one band must have no upper bound, found {0}", len(open_ended)))
	elif open_ended[0] != len(bands) - 1:
		problems.append("the band with no upper bound must be the last (highest) band")

	previous_bound: float | None = None
	previous_levels: tuple[str, ...] | None = None
	for number, band in enumerate(bands, start=1):
		bound = band.up_to_amount
		if bound is not None:
			if bound <= 0:
				problems.append(Message("band {0}: the upper bound must be greater than 0", number))
			if previous_bound is not None and bound <= previous_bound:
				problems.append(Message("band {0}: upper bounds must be strictly ascending", number))
			previous_bound = bound

		levels = tuple(band.levels or ())
		if not levels:
			problems.append(Message("band {0}: at least one approval level is required", number))
			continue
		unknown = [level for level in levels if level not in LEVELS]
		if unknown:
			problems.append(
				Message(
					"band {0}: unknown level(s) {1}; use {2}",
					number,
					", ".join(map(str, unknown)),
					LEVEL_LIST,
				)
			)
			continue
		if levels != ordered_levels(levels):
			problems.append(
				Message("band {0}: levels must be in the order {1} without duplicates", number, _LEVEL_ORDER)
			)
			continue
		if previous_levels is not None and not set(previous_levels) <= set(levels):
			problems.append(
				Message("band {0}: a higher band cannot need fewer levels than the band below it", number)
			)
		previous_levels = levels
	return problems


def band_for(amount: float, bands: Sequence[ApprovalBand] = DEFAULT_BANDS) -> ApprovalBand:
	"""The band an amount falls in; upper bounds are inclusive (exactly 1,000 is still the lowest band)."""
	problems = validate_bands(bands)
	if problems:
		raise ValueError("invalid approval bands: " + "; ".join(problems))
	amount = float(amount or 0)
	for band in bands:
		if band.up_to_amount is None or amount <= band.up_to_amount + _EPSILON:
			return band
	raise AssertionError("unreachable: validated bands end with an open-ended band")


def required_levels(
	amount: float,
	bands: Sequence[ApprovalBand] = DEFAULT_BANDS,
	any_official: bool = False,
	breaks_limit: bool = False,
) -> tuple[str, ...]:
	"""Levels that must approve the request, in LEVELS order.

	A recipient who is a government or state-enterprise official, or a broken limit, always brings in
	Director and Finance: those are the cases where bribery risk does not scale with the amount.
	"""
	levels = set(band_for(amount, bands).levels)
	if any_official or breaks_limit:
		levels.update(("Director", "Finance"))
	return ordered_levels(levels)


def same_user(a: str | None, b: str | None) -> bool:
	# Frappe user ids are e-mail addresses: compare without case and surrounding spaces
	return bool(a and b) and str(a).strip().casefold() == str(b).strip().casefold()


# ---------------------------------------------------------------------------------------------------------
# Spending limits


@dataclass(frozen=True)
class Limits:
	# request type -> cap per recipient for one event; a missing type or None means no cap
	per_recipient_per_event: dict[str, float | None]
	per_recipient_per_year: float | None = None  # across all request types
	account_budget: float | None = None  # yearly, for all recipients of the account together


@dataclass(frozen=True)
class LimitCheck:
	limit: str  # LIMIT_PER_EVENT, LIMIT_PER_YEAR or LIMIT_ACCOUNT_BUDGET
	scope: str  # the recipient, or ACCOUNT_SCOPE
	limit_amount: float
	year_to_date: float  # spent before this request (0 for a per-event limit)
	this_request: float
	after: float  # year_to_date + this_request
	exceeded: bool

	@property
	def remaining(self) -> float:
		"""What is left under the limit after this request; negative when exceeded."""
		return self.limit_amount - self.after


def _by_recipient(recipients: Iterable[tuple[str, float]]) -> dict[str, float]:
	"""Amounts per recipient; a recipient listed twice counts once with the sum, as the limit is per person."""
	totals: dict[str, float] = {}
	for name, amount in recipients:
		totals[name] = totals.get(name, 0.0) + float(amount or 0)
	return totals


def _row(limit: str, scope: str, limit_amount: float, ytd: float, this: float) -> LimitCheck:
	after = ytd + this
	return LimitCheck(
		limit=limit,
		scope=scope,
		limit_amount=float(limit_amount),
		year_to_date=ytd,
		this_request=this,
		after=after,
		exceeded=after > float(limit_amount) + _EPSILON,
	)


def check_limits(
	request_type: str,
	recipients: list[tuple[str, float]],
	recipient_ytd: Mapping[str, float],
	account_ytd: float,
	limits: Limits,
	request_total: float | None = None,
) -> list[LimitCheck]:
	"""One row per limit that applies, per recipient and then for the account; reaching a limit is fine,
	going above it is not.

	``recipient_ytd`` and ``account_ytd`` are what was already spent this year (approved or settled
	requests, excluding this one). The account budget is charged with ``request_total`` when given (the
	request's estimate can include more than the recipients' shares), else with the recipients' sum.
	"""
	checks: list[LimitCheck] = []
	per_event = (limits.per_recipient_per_event or {}).get(request_type)
	per_year = limits.per_recipient_per_year
	per_recipient = _by_recipient(recipients)

	for name, amount in per_recipient.items():
		if per_event is not None:
			checks.append(_row(LIMIT_PER_EVENT, name, per_event, 0.0, amount))
		if per_year is not None:
			ytd = float((recipient_ytd or {}).get(name) or 0)
			checks.append(_row(LIMIT_PER_YEAR, name, per_year, ytd, amount))

	if limits.account_budget is not None:
		total = float(request_total) if request_total is not None else sum(per_recipient.values())
		checks.append(
			_row(LIMIT_ACCOUNT_BUDGET, ACCOUNT_SCOPE, limits.account_budget, float(account_ytd or 0), total)
		)
	return checks


def breaks_any(checks: Iterable[LimitCheck]) -> bool:
	return any(check.exceeded for check in checks)


def account_budget(
	fixed_amount: float | None,
	percent_of_gross_profit: float | None,
	trailing_gross_profit: float | None,
) -> float | None:
	"""The account's yearly hospitality budget, or None when no budget is set.

	A fixed amount wins when given. Otherwise the budget follows what the account earns: a percentage of
	its trailing gross profit, and an account that earns nothing (GP ≤ 0) gets no budget at all. A budget
	is never negative.
	"""
	if fixed_amount is not None:
		return max(float(fixed_amount), 0.0)
	if percent_of_gross_profit is None or trailing_gross_profit is None:
		return None
	if trailing_gross_profit <= 0:
		return 0.0
	return max(float(percent_of_gross_profit) * float(trailing_gross_profit) / 100.0, 0.0)


# ---------------------------------------------------------------------------------------------------------
# Settlement


def variance(estimated: float, actual: float) -> tuple[float, float | None]:
	"""(actual - estimated, that difference as a percent of the estimate); the percent is None when the
	estimate is zero, as no percentage of nothing is meaningful."""
	estimated = float(estimated or 0)
	amount = float(actual or 0) - estimated
	if estimated == 0:
		return amount, None
	return amount, amount / estimated * 100.0


def needs_reapproval(estimated: float, actual: float, tolerance_percent: float | None) -> bool:
	"""True when the actual spend is above the approved estimate by more than the tolerance.

	The approvers agreed to the estimate; a small overrun is accepted, a larger one is a different
	decision and must go through approval again. Exactly at the tolerance is still accepted, and spending
	less never needs re-approval.
	"""
	estimated = float(estimated or 0)
	actual = float(actual or 0)
	allowed = estimated * (1 + max(float(tolerance_percent or 0), 0.0) / 100.0)
	return actual > allowed + _EPSILON


# ---------------------------------------------------------------------------------------------------------
# Validation


def validate_request(
	estimated_amount: float,
	recipients: list[tuple[str, float]],
	planned_date: dt.date | str | None,
	today: dt.date | str,
	is_new: bool,
	justification: str | None,
	breaks_limit: bool,
) -> list[str]:
	"""English problems with a hospitality request; an empty list means it may be submitted.

	Every spend must be traceable to named recipients with their share, the shares cannot add up to more
	than is being asked for, and a request that breaks a limit must say in writing why.
	"""
	problems: list[str] = []
	estimate = float(estimated_amount or 0)
	if estimate <= 0:
		problems.append("The estimated amount must be greater than zero.")

	if not recipients:
		problems.append("At least one recipient is required: record who receives the hospitality or gift.")
	seen: set[str] = set()
	total = 0.0
	for name, amount in recipients or []:
		label = (name or "").strip()
		if not label:
			problems.append("Every recipient row needs a contact.")
		elif label in seen:
			problems.append(Message("Recipient {0} is listed more than once.", label))
		seen.add(label)
		if float(amount or 0) <= 0:
			problems.append(
				Message(
					"The amount for recipient {0} must be greater than zero.",
					label or Message("(no contact)"),
				)
			)
		total += float(amount or 0)
	if estimate > 0 and total > estimate + _EPSILON:
		problems.append(
			Message(
				"The recipient amounts add up to {0}, more than the estimated amount {1}.",
				f"{total:,.2f}",
				f"{estimate:,.2f}",
			)
		)

	planned = as_date(planned_date)
	if planned is None:
		problems.append("The planned date is required.")
	elif is_new and planned < as_date(today):
		problems.append("The planned date cannot be in the past: hospitality is approved before the spend.")

	if breaks_limit and not (justification or "").strip():
		problems.append("This request breaks a spending limit: write a justification.")
	return problems


def validate_settlement(
	status: str | None,
	actual_amount: float | None,
	has_receipt: bool,
	receipt_required_above: float | None,
) -> list[str]:
	"""English problems with settling a request (recording what was actually spent).

	Only an approved request can be settled, and above ``receipt_required_above`` the spend must be backed
	by a receipt; None means receipts are never required, 0 that they always are.
	"""
	problems: list[str] = []
	if status != "Approved":
		problems.append(
			Message("Only an approved request can be settled (status is {0}).", Message(status or "not set"))
		)
	actual = float(actual_amount or 0)
	if actual <= 0:
		problems.append("The actual amount must be greater than zero.")
	if receipt_required_above is not None and actual > float(receipt_required_above) and not has_receipt:
		problems.append(
			Message(
				"A receipt is required for an actual amount above {0}.",
				f"{float(receipt_required_above):,.2f}",
			)
		)
	return problems
