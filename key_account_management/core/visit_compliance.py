"""Visit compliance: visits made against the cadence, and follow-ups on time, per account and per
account manager (docs/DOMAIN.md §5).

The Visit Compliance report reads the visits and the accounts once and hands them over as plain facts;
the cadence and follow-up rules are those of ``core.visits``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from key_account_management.core.periods import as_date
from key_account_management.core.visits import (
	COMPLETED,
	DEFAULT_CADENCE_DAYS,
	DEFAULT_FOLLOW_UP_DAYS,
	DONE_ON_TIME,
	OVERDUE,
	cadence_days,
	check_days,
	follow_up_status,
)


@dataclass(frozen=True)
class VisitFact:
	account: str
	manager: str | None
	visit_date: dt.date
	follow_up_date: dt.date | None = None
	status: str = COMPLETED


@dataclass(frozen=True)
class AccountFact:
	account: str
	manager: str | None
	abc_class: str | None


@dataclass(frozen=True)
class ComplianceRow:
	account: str
	manager: str | None
	abc_class: str | None
	cadence_days: int | None  # None: no cadence, so no visits are due
	visits_done: int  # completed visits dated in the period
	visits_due: int
	overdue_follow_ups: int  # completed visits without follow-up, past the follow-up period at period end
	follow_ups_on_time: int
	follow_ups_on_time_percent: float | None  # of visits_done; None without completed visits
	compliance_percent: float | None  # min(100, done / due); None when nothing is due


@dataclass(frozen=True)
class ManagerSummary:
	manager: str | None
	accounts: int
	visits_done: int
	visits_due: int
	overdue_follow_ups: int
	follow_ups_on_time: int
	follow_ups_on_time_percent: float | None
	compliance_percent: float | None


def period_days(period_start: dt.date, period_end: dt.date) -> int:
	"""Days in the period, both ends included: 1 January to 31 January is 31 days."""
	start, end = as_date(period_start), as_date(period_end)
	if start is None or end is None:
		raise ValueError("the period needs a start and an end date")
	if end < start:
		raise ValueError("the period cannot end before it starts")
	return (end - start).days + 1


def visits_due_in_period(days: int, cadence: int | None) -> int:
	"""How many visits a cadence asks for in a period of ``days`` days; at least 1 with a cadence.

	The number of cadence intervals in the period is rounded to the nearest whole number (halves up)
	rather than up: calendar periods are not whole multiples of a cadence, and rounding up would ask
	an A account (30 days) for two visits in every 31-day month and a C account (90 days) for two in a
	92-day quarter.
	"""
	if cadence is None:
		return 0
	return max(1, math.floor(days / check_days(cadence, "the visit cadence") + 0.5))


def compliance(
	visits: Iterable[VisitFact],
	accounts: Iterable[AccountFact],
	period_start: dt.date,
	period_end: dt.date,
	cadence: Mapping[str | None, int] = DEFAULT_CADENCE_DAYS,
	follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
) -> list[ComplianceRow]:
	"""One row per account in ``accounts`` (in their order) measuring visits against the cadence.

	Only completed visits dated in the period count; planned and cancelled ones are ignored, as are
	visits of accounts not in ``accounts``. Follow-ups are judged as of the period end. A follow-up
	dated before its visit (which the Visit Record refuses) counts as neither on time nor overdue, so
	one bad record does not break a report.
	"""
	start, end = as_date(period_start), as_date(period_end)
	days = period_days(start, end)
	check_days(follow_up_days, "the follow-up period")

	account_list = list(accounts)
	seen: set[str] = set()
	for fact in account_list:
		if fact.account in seen:
			raise ValueError(f"account {fact.account!r} is listed twice")
		seen.add(fact.account)

	done = dict.fromkeys(seen, 0)
	on_time = dict.fromkeys(seen, 0)
	overdue = dict.fromkeys(seen, 0)
	for visit in visits:
		if visit.account not in seen or visit.status != COMPLETED:
			continue
		visit_date = as_date(visit.visit_date)
		if visit_date is None or not start <= visit_date <= end:
			continue
		done[visit.account] += 1
		try:
			status = follow_up_status(visit_date, visit.follow_up_date, end, follow_up_days)
		except ValueError:
			continue
		if status == DONE_ON_TIME:
			on_time[visit.account] += 1
		elif status == OVERDUE:
			overdue[visit.account] += 1

	rows = []
	for fact in account_list:
		account_cadence = cadence_days(fact.abc_class, cadence)
		due = visits_due_in_period(days, account_cadence)
		visits_done = done[fact.account]
		rows.append(
			ComplianceRow(
				account=fact.account,
				manager=fact.manager,
				abc_class=fact.abc_class or None,
				cadence_days=account_cadence,
				visits_done=visits_done,
				visits_due=due,
				overdue_follow_ups=overdue[fact.account],
				follow_ups_on_time=on_time[fact.account],
				follow_ups_on_time_percent=on_time[fact.account] / visits_done * 100.0
				if visits_done
				else None,
				compliance_percent=min(100.0, visits_done / due * 100.0) if due else None,
			)
		)
	return rows


def summarise_by_manager(rows: Iterable[ComplianceRow]) -> list[ManagerSummary]:
	"""Totals per account manager, sorted by manager (accounts without a manager last).

	Compliance is the share of due visits that were made, each account counting at most its own due
	visits: visiting one A account twice as often does not make up for neglecting a C account.
	"""
	totals: dict[str | None, dict[str, int]] = {}
	for row in rows:
		total = totals.setdefault(
			row.manager,
			{"accounts": 0, "done": 0, "due": 0, "met": 0, "overdue": 0, "on_time": 0},
		)
		total["accounts"] += 1
		total["done"] += row.visits_done
		total["due"] += row.visits_due
		total["met"] += min(row.visits_done, row.visits_due)
		total["overdue"] += row.overdue_follow_ups
		total["on_time"] += row.follow_ups_on_time

	return [
		ManagerSummary(
			manager=manager,
			accounts=t["accounts"],
			visits_done=t["done"],
			visits_due=t["due"],
			overdue_follow_ups=t["overdue"],
			follow_ups_on_time=t["on_time"],
			follow_ups_on_time_percent=t["on_time"] / t["done"] * 100.0 if t["done"] else None,
			compliance_percent=t["met"] / t["due"] * 100.0 if t["due"] else None,
		)
		for manager, t in sorted(totals.items(), key=lambda item: (item[0] is None, item[0] or ""))
	]
