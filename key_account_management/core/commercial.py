"""The commercial position's rules in plain Python (docs/DOMAIN.md §12): what of an invoice's outstanding
is overdue, and since when.

An invoice is paid in the order of its payment terms (the earliest term first), as ERPNext allocates
payments to a payment schedule: what is still outstanding belongs to the latest terms. The part of it
whose terms fell due before today is overdue; the oldest overdue date is the due date of the earliest
term not yet paid in full. An invoice without payment terms has one term: its due date, its total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from key_account_management.core.periods import add_months, as_date, month_start

CENT = 0.005


@dataclass(frozen=True)
class Overdue:
	amount: float
	oldest_due_date: dt.date | None


def overdue_of(outstanding: float, terms: list[tuple], as_of) -> Overdue:
	"""``terms``: (due date, amount) of the invoice's payment terms, amounts in the same currency as
	``outstanding``. Payments go to the earliest terms first; overdue is what is outstanding of the
	terms due before ``as_of``."""
	as_of = as_date(as_of)
	outstanding = float(outstanding or 0)
	if outstanding <= CENT or not terms:
		return Overdue(0.0, None)
	ordered = sorted(((as_date(due), float(amount or 0)) for due, amount in terms), key=lambda t: t[0])
	paid = max(sum(amount for _due, amount in ordered) - outstanding, 0.0)
	amount, oldest = 0.0, None
	for due, term in ordered:
		unpaid = max(term - paid, 0.0)
		paid = max(paid - term, 0.0)
		if unpaid > CENT and due < as_of:
			amount += unpaid
			oldest = oldest or due
	# an outstanding above the terms' total (rounding, a term left out) is due with the last term
	excess = outstanding - sum(max(t, 0.0) for _d, t in ordered)
	if excess > CENT and ordered[-1][0] < as_of:
		amount += excess
		oldest = oldest or ordered[-1][0]
	return Overdue(round(min(amount, outstanding), 2), oldest)


def overdue_days(oldest_due_date, as_of) -> int:
	"""Days since the oldest overdue date (0 when nothing is overdue)."""
	if not oldest_due_date:
		return 0
	return max((as_date(as_of) - as_date(oldest_due_date)).days, 0)


def last_months(as_of, months: int = 12) -> list[dt.date]:
	"""The first days of the ``months`` calendar months ending with the month of ``as_of``, oldest first
	(the twelve months of §8: as of 22 November 2026, December 2025 … November 2026)."""
	first = month_start(as_date(as_of))
	return [add_months(first, -offset) for offset in range(months - 1, -1, -1)]
