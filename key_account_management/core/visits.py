"""Visit cadence, follow-ups and the price of a visit (docs/DOMAIN.md §5).

Regular visits are the base of keeping an account, so every classified account has a cadence: the
number of days allowed between two visits, tighter for A accounts than for C accounts. An account
that was never visited is due today; an unclassified account has no cadence and is never due unless
the cadence mapping has an entry for ``None``.

Within one week after a visit the manager follows up to hear the customer's opinion: a follow-up on
the seventh day after the visit is still on time, on the eighth it is late.

A salesperson's time has a price (yearly income / 254 working days / 8 hours), so a visit costs the
hours spent times the hourly value of everyone on our side who took part.

Visits measured against the cadence over a period (visit compliance) are in ``core.visit_compliance``.

Nothing here imports frappe: the Visit Record controller and the daily job pass plain values in, so
the rules can be tested in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from key_account_management.core.periods import as_date

DEFAULT_CADENCE_DAYS: dict[str | None, int] = {"A": 30, "B": 60, "C": 90}
DEFAULT_FOLLOW_UP_DAYS = 7
WORKING_DAYS_PER_YEAR = 254
HOURS_PER_DAY = 8

COMPLETED = "Completed"
PLANNED = "Planned"
CANCELLED = "Cancelled"
VISIT_STATUSES = (PLANNED, COMPLETED, CANCELLED)

NOT_DUE = "Not Due"
DUE = "Due"
OVERDUE = "Overdue"
DONE_ON_TIME = "Done On Time"
DONE_LATE = "Done Late"
FOLLOW_UP_STATUSES = (NOT_DUE, DUE, OVERDUE, DONE_ON_TIME, DONE_LATE)


def _as_datetime(value: dt.datetime | dt.date | str | None) -> dt.datetime | None:
	if value is None or value == "":
		return None
	if isinstance(value, dt.datetime):
		return value
	if isinstance(value, dt.date):
		return dt.datetime.combine(value, dt.time())
	if isinstance(value, str):
		return dt.datetime.fromisoformat(value)
	raise TypeError(f"expected a datetime, got {type(value).__name__}")


def check_days(days: int, what: str) -> int:
	if days is None or int(days) != days or int(days) < 1:
		raise ValueError(f"{what} must be a whole number of days, at least 1 (got {days!r})")
	return int(days)


def cadence_days(
	abc_class: str | None, cadence: Mapping[str | None, int] = DEFAULT_CADENCE_DAYS
) -> int | None:
	"""Days allowed between two visits for ``abc_class``; None when the class has no cadence.

	An empty class (what a blank Select field holds) counts as unclassified, so it only gets a cadence
	when the mapping has an entry for ``None``.
	"""
	key = abc_class or None
	days = cadence.get(key)
	if days is None:
		return None
	return check_days(days, f"the visit cadence of class {key!r}")


def follow_up_due(visit_date: dt.date, follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS) -> dt.date:
	"""The last day a follow-up is on time: one week after the visit by default, that day included."""
	return as_date(visit_date) + dt.timedelta(days=check_days(follow_up_days, "the follow-up period"))


def next_visit_due(
	last_visit_date: dt.date | None,
	abc_class: str | None,
	cadence: Mapping[str | None, int] = DEFAULT_CADENCE_DAYS,
	today: dt.date | None = None,
) -> dt.date | None:
	"""The day the next visit is due, or None for an account without a cadence.

	An account never visited is due ``today`` (the server's date when not given; Frappe callers pass
	``getdate()`` so the system time zone decides). It is due, not overdue: there is no earlier visit to
	count the delay from.
	"""
	days = cadence_days(abc_class, cadence)
	if days is None:
		return None
	last = as_date(last_visit_date)
	if last is None:
		return as_date(today) or dt.date.today()
	return last + dt.timedelta(days=days)


def days_overdue(
	last_visit_date: dt.date | None,
	abc_class: str | None,
	today: dt.date,
	cadence: Mapping[str | None, int] = DEFAULT_CADENCE_DAYS,
) -> int:
	"""Days past the due date of the next visit; 0 when it is not overdue (or there is no cadence)."""
	today = as_date(today)
	due = next_visit_due(last_visit_date, abc_class, cadence, today=today)
	if due is None:
		return 0
	return max(0, (today - due).days)


def is_visit_overdue(
	last_visit_date: dt.date | None,
	abc_class: str | None,
	today: dt.date,
	cadence: Mapping[str | None, int] = DEFAULT_CADENCE_DAYS,
) -> bool:
	"""True once the due date has passed: a visit exactly one cadence after the last one is on time."""
	return days_overdue(last_visit_date, abc_class, today, cadence) > 0


def follow_up_status(
	visit_date: dt.date,
	follow_up_date: dt.date | None,
	today: dt.date,
	follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
) -> str:
	"""Where the follow-up of a visit stands (one of ``FOLLOW_UP_STATUSES``).

	With a follow-up date: "Done On Time" up to ``follow_up_days`` after the visit, "Done Late" after.
	Without one: "Not Due" while the visit is still ahead, "Due" from the visit day to the last on-time
	day, "Overdue" after that. A follow-up dated before the visit is a data error, not a status.
	"""
	visit = as_date(visit_date)
	if visit is None:
		raise ValueError("a visit date is needed to tell where its follow-up stands")
	follow_up = as_date(follow_up_date)
	due = follow_up_due(visit, follow_up_days)
	if follow_up is not None:
		if follow_up < visit:
			raise ValueError(
				f"The follow-up date {follow_up.isoformat()} is before the visit date {visit.isoformat()}: "
				"a follow-up can only happen on or after the visit."
			)
		return DONE_ON_TIME if follow_up <= due else DONE_LATE
	today = as_date(today)
	if today < visit:
		return NOT_DUE
	if today <= due:
		return DUE
	return OVERDUE


# What keeps a visit record from being saved or completed: a code and the values its message shows.
# The controller turns each into a translated message; every problem is reported, not only the first.
PROBLEM_NO_PLANNED_START = "no_planned_start"
PROBLEM_PLANNED_END_BEFORE_START = "planned_end_before_start"  # values: planned start, planned end
PROBLEM_ACTUAL_END_BEFORE_START = "actual_end_before_start"  # values: actual start, actual end
PROBLEM_COMPLETED_IN_FUTURE = "completed_in_future"  # values: the visit date
PROBLEM_NO_ACTUAL_START = "no_actual_start"
PROBLEM_NO_ACTUAL_END = "no_actual_end"
PROBLEM_NO_TALKING_POINTS = "no_talking_points"
PROBLEM_NO_CUSTOMER_VIEWS = "no_customer_views"
PROBLEM_COMPLETING_CANCELLED = "completing_cancelled"
PROBLEM_NO_CANCELLATION_REASON = "no_cancellation_reason"


@dataclass(frozen=True)
class Problem:
	code: str
	values: tuple = ()


def validate_visit(
	planned_start: dt.datetime | str | None,
	planned_end: dt.datetime | str | None,
	actual_start: dt.datetime | str | None,
	actual_end: dt.datetime | str | None,
	today: dt.date,
	completing: bool,
	talking_points: str | None = None,
	customer_views: str | None = None,
	status: str = PLANNED,
	cancellation_reason: str | None = None,
) -> list[Problem]:
	"""Every problem that keeps a visit record from being saved (or, ``completing``, submitted).

	A plan needs its planned start, and neither its planned nor its actual end may come before the
	matching start. Completing a visit records that it happened, so it needs the actual start and end,
	the main talking points and the customer's views, and it can only be recorded once its day has come
	(the visit date is the actual start's day, else the planned start's): a completed visit in the
	future would count towards cadence and compliance before it happened. A cancelled plan is never
	completed and says why it was cancelled. Text is "missing" when it has nothing but markup and blanks
	(an emptied text editor keeps ``<p><br></p>``).
	"""
	problems: list[Problem] = []
	planned_at, planned_end_at = _as_datetime(planned_start), _as_datetime(planned_end)
	start_at, end_at = _as_datetime(actual_start), _as_datetime(actual_end)
	if planned_at is None:
		problems.append(Problem(PROBLEM_NO_PLANNED_START))
	elif planned_end_at is not None and planned_end_at < planned_at:
		problems.append(Problem(PROBLEM_PLANNED_END_BEFORE_START, (planned_at, planned_end_at)))
	if start_at is not None and end_at is not None and end_at < start_at:
		problems.append(Problem(PROBLEM_ACTUAL_END_BEFORE_START, (start_at, end_at)))
	if status == CANCELLED and not has_text(cancellation_reason):
		problems.append(Problem(PROBLEM_NO_CANCELLATION_REASON))
	if not completing:
		return problems

	if status == CANCELLED:
		problems.append(Problem(PROBLEM_COMPLETING_CANCELLED))
	visit = (start_at or planned_at).date() if (start_at or planned_at) else None
	if visit is not None and visit > as_date(today):
		problems.append(Problem(PROBLEM_COMPLETED_IN_FUTURE, (visit,)))
	if start_at is None:
		problems.append(Problem(PROBLEM_NO_ACTUAL_START))
	if end_at is None:
		problems.append(Problem(PROBLEM_NO_ACTUAL_END))
	if not has_text(talking_points):
		problems.append(Problem(PROBLEM_NO_TALKING_POINTS))
	if not has_text(customer_views):
		problems.append(Problem(PROBLEM_NO_CUSTOMER_VIEWS))
	return problems


_MARKUP = re.compile(r"<[^>]*>|&nbsp;|&#160;")


def has_text(value: str | None) -> bool:
	"""Whether a text (plain or a text editor's HTML) says anything once markup and blanks are gone."""
	return bool(_MARKUP.sub("", value or "").strip())


def hourly_value(
	yearly_income: float | None,
	working_days: int = WORKING_DAYS_PER_YEAR,
	hours_per_day: float = HOURS_PER_DAY,
) -> float:
	"""What an hour of a person's time is worth: yearly income / 254 working days / 8 hours."""
	if not working_days or working_days <= 0:
		raise ValueError("the number of working days must be greater than 0")
	if not hours_per_day or hours_per_day <= 0:
		raise ValueError("the number of hours per day must be greater than 0")
	income = float(yearly_income or 0)
	if income < 0:
		raise ValueError("a yearly income cannot be negative")
	return income / working_days / hours_per_day


def visit_cost(
	hours: float,
	attendees_yearly_income: Iterable[float | None],
	working_days: int = WORKING_DAYS_PER_YEAR,
	hours_per_day: float = HOURS_PER_DAY,
) -> float:
	"""The time cost of a visit: hours spent times the summed hourly value of our attendees.

	Unrounded; the caller rounds to the currency's precision. A missing income counts as 0.
	"""
	hours = float(hours or 0)
	if hours < 0:
		raise ValueError("the hours spent on a visit cannot be negative")
	return hours * sum(
		hourly_value(income, working_days, hours_per_day) for income in attendees_yearly_income
	)


def _unpack_account_row(row: Mapping | Sequence) -> tuple[str, str | None, dt.date | None]:
	if isinstance(row, Mapping):
		return row["account"], row.get("abc_class"), row.get("last_visit_date")
	account, abc_class, last_visit_date = row
	return account, abc_class, last_visit_date


def overdue_accounts(
	accounts_with_last_visit: Iterable[Mapping | Sequence],
	today: dt.date,
	cadence: Mapping[str | None, int] = DEFAULT_CADENCE_DAYS,
	include_never_visited: bool = False,
) -> list[tuple[str, int]]:
	"""(account, days overdue) for every overdue account, most overdue first, ties by account.

	Each row is one account, as the daily job's single query returns it: a mapping with ``account``,
	``abc_class`` and ``last_visit_date`` keys, or a tuple in that order. An account never visited is
	due today, never overdue, so it is only listed (with 0 days, after the overdue ones) when
	``include_never_visited`` is set; without a cadence it is never listed.
	"""
	today = as_date(today)
	result: list[tuple[str, int]] = []
	for row in accounts_with_last_visit:
		account, abc_class, last_visit_date = _unpack_account_row(row)
		if cadence_days(abc_class, cadence) is None:
			continue
		if as_date(last_visit_date) is None:
			if include_never_visited:
				result.append((account, 0))
			continue
		days = days_overdue(last_visit_date, abc_class, today, cadence)
		if days > 0:
			result.append((account, days))
	return sorted(result, key=lambda item: (-item[1], item[0]))
