"""Whitespace: where an account buys, has stopped buying, is being sold to, or has never bought
(docs/DOMAIN.md §11). Nothing here imports frappe.

A cell is one account and one item group: its net revenue in the last 12 months, in the 12 before, and
its open opportunity amount. Its status, first that applies:

- **Bought**: net revenue in the last 12 months above zero;
- **In pipeline**: not bought now, an open opportunity for the group;
- **Lost**: bought in the 12 months before, not now and nothing open;
- **White**: none of these in the 24 months.

A cell's potential is what is open plus what was lost (the drop from the 12 before to the last 12);
an account's potential is the sum of its cells', and the report puts the largest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from key_account_management.core.periods import add_months, month_end, month_start

BOUGHT = "Bought"
LOST = "Lost"
IN_PIPELINE = "In pipeline"
WHITE = "White"
STATUSES = (BOUGHT, IN_PIPELINE, LOST, WHITE)
# an amount under half a cent is no amount (sums of rounded amounts)
TOLERANCE = 0.005
WINDOW_MONTHS = 12

LEVEL_NOT_WHOLE = "not_whole"
LEVEL_TOO_LOW = "too_low"
LEVEL_TOO_DEEP = "too_deep"


@dataclass
class Cell:
	recent: float = 0.0  # net revenue, last 12 months
	before: float = 0.0  # net revenue, the 12 months before
	open_amount: float = 0.0  # open opportunities

	@property
	def status(self) -> str:
		return cell_status(self.recent, self.before, self.open_amount)

	@property
	def potential(self) -> float:
		return cell_potential(self.recent, self.before, self.open_amount)


def cell_status(recent: float, before: float, open_amount: float) -> str:
	if recent > TOLERANCE:
		return BOUGHT
	if open_amount > TOLERANCE:
		return IN_PIPELINE
	if before > TOLERANCE:
		return LOST
	return WHITE


def cell_potential(recent: float, before: float, open_amount: float) -> float:
	return max(before - recent, 0.0) + max(open_amount, 0.0)


def windows(as_of: dt.date) -> tuple[dt.date, dt.date, dt.date]:
	"""(first month of the 12 before, first month of the last 12, last day): whole calendar months,
	the last 12 ending with the month of ``as_of``."""
	recent_start = add_months(month_start(as_of), -(WINDOW_MONTHS - 1))
	return add_months(recent_start, -WINDOW_MONTHS), recent_start, month_end(as_of)


@dataclass
class Summary:
	recent: float = 0.0
	before: float = 0.0
	open_amount: float = 0.0
	potential: float = 0.0
	counts: dict | None = None


def summarize(cells: Iterable[Cell], open_without_group: float = 0.0) -> Summary:
	"""An account's totals over its cells; open opportunities without an item group count in its open
	amount and potential, in no cell."""
	summary = Summary(open_amount=open_without_group, potential=max(open_without_group, 0.0))
	summary.counts = dict.fromkeys(STATUSES, 0)
	for cell in cells:
		summary.recent += cell.recent
		summary.before += cell.before
		summary.open_amount += cell.open_amount
		summary.potential += cell.potential
		summary.counts[cell.status] += 1
	return summary


def by_potential(summaries: dict[str, Summary]) -> list[str]:
	"""Account names, largest potential first (then the most white cells, then by name)."""
	return sorted(
		summaries,
		key=lambda name: (-summaries[name].potential, -(summaries[name].counts or {}).get(WHITE, 0), name),
	)


def level_problem(value, deepest: int) -> str | None:
	"""Why ``value`` is no level of an item group tree ``deepest`` levels deep (1 = the groups under the
	root), or None."""
	try:
		number = float(value)
	except (TypeError, ValueError):
		return LEVEL_NOT_WHOLE
	if number != int(number):
		return LEVEL_NOT_WHOLE
	if number < 1:
		return LEVEL_TOO_LOW
	if number > max(deepest, 1):
		return LEVEL_TOO_DEEP
	return None


def bucket_of(chain: list[str], level: int) -> str:
	"""The group a row of an item group counts under: its ancestor at ``level`` (``chain`` runs from the
	root to the group itself); a group above that level counts as itself."""
	return chain[min(level, len(chain) - 1)]
