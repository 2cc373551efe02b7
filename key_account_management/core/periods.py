"""Dates and date windows: the one date parser of core/ (:func:`as_date`) and the periods the
classification, the relationship figures and the reports read (docs/DOMAIN.md §2, §8)."""

from __future__ import annotations

import calendar
import datetime as dt


def as_date(value: dt.date | dt.datetime | str | None) -> dt.date | None:
	"""Dates as plain ``date``: a datetime cannot be compared with a date, and Frappe may hand over
	strings ("2026-11-22", or a datetime's "2026-11-22 10:00:00"). None and "" are no date."""
	if value is None or value == "":
		return None
	if isinstance(value, dt.datetime):
		return value.date()
	if isinstance(value, dt.date):
		return value
	if isinstance(value, str):
		return dt.date.fromisoformat(value[:10])
	raise TypeError(f"expected a date, got {type(value).__name__}")


def add_months(day: dt.date, months: int) -> dt.date:
	month_index = day.month - 1 + months
	year = day.year + month_index // 12
	month = month_index % 12 + 1
	return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def trailing_period(to_date: dt.date, months: int) -> tuple[dt.date, dt.date]:
	"""The ``months`` months ending on ``to_date`` inclusive: 12 months to 2026-11-22 start 2025-11-23."""
	if int(months) < 1:
		raise ValueError("the period must be at least one month")
	return add_months(to_date, -int(months)) + dt.timedelta(days=1), to_date


def month_start(day: dt.date) -> dt.date:
	return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
	return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def calendar_months(as_of: dt.date, months: int) -> tuple[dt.date, dt.date]:
	"""The ``months`` calendar months ending with the month of ``as_of``, whole: 12 months as of
	2026-11-22 are 2025-12-01 … 2026-11-30. The classification and the relationship figures read
	whole months, so that they sum at most ``months`` monthly rollup rows per customer."""
	if int(months) < 1:
		raise ValueError("the period must be at least one month")
	return add_months(month_start(as_of), -(int(months) - 1)), month_end(as_of)


def months_between(from_date: dt.date, to_date: dt.date) -> list[dt.date]:
	"""The first day of every month from ``from_date``'s to ``to_date``'s, both included."""
	months, month = [], month_start(from_date)
	while month <= to_date:
		months.append(month)
		month = add_months(month, 1)
	return months
