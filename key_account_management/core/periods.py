"""Date windows used by the classification and the reports."""

from __future__ import annotations

import calendar
import datetime as dt


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
