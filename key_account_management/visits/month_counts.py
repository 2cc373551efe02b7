"""Submitted visits counted per key account and month, kept as the visits are submitted and cancelled
(docs/DOMAIN.md §5, "Visits per Month").

Frappe's Count chart read a year of visits to draw twelve bars: at 500,000 visits that is a range of
hundreds of thousands of index entries on every workspace load. These rows hold the counts instead:

- one row per key account and month, and one per month for every account together (``every_account``),
  so a director's chart reads twelve rows and a manager's the rows of their own accounts;
- a submit adds one, a cancel takes one away: one multi-row upsert of atomic increments, so concurrent
  submits never lose each other;
- the weekly check (``check``) holds the rows against the visits themselves and sets what differs, with
  the rows locked so that a visit submitted meanwhile is neither lost nor counted twice.
"""

from __future__ import annotations

import hashlib

import frappe
from frappe.utils import getdate, now

from key_account_management.access.records import accounts_subquery, is_unrestricted
from key_account_management.core.periods import month_start
from key_account_management.db_utils import chunks, table_ready

DOCTYPE = "Key Account Visit Month"
TABLE = f"`tab{DOCTYPE}`"
COLUMNS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"every_account",
	"key_account",
	"month",
	"visits",
)


def enabled() -> bool:
	"""False until migrate has made the table (a site running this code before its migrate)."""
	return table_ready(DOCTYPE)


def row_name(key_account: str | None, month) -> str:
	"""The row's name from its key (``None``: the row of every account), so an upsert finds it."""
	key = f"{key_account or chr(0)}\x1f{getdate(month).isoformat()}"
	return hashlib.sha1(key.encode()).hexdigest()[:20]


def add(increments: dict[tuple, int]) -> None:
	"""Add ``{(key account, month): visits}`` to the account's rows and to every account's."""
	totals: dict[tuple, int] = {}
	for (account, month), visits in increments.items():
		if visits:
			month = month_start(getdate(month))
			totals[(account, month)] = totals.get((account, month), 0) + visits
			totals[(None, month)] = totals.get((None, month), 0) + visits
	if totals and enabled():
		upsert(totals, f"{TABLE}.visits + values(visits)")


def upsert(visits_by_key: dict[tuple, int], new_value: str) -> None:
	"""Write ``{(key account or None, month): visits}``; an existing row's visits become ``new_value``.
	Rows in key order: concurrent upserts take their row locks in the same order and do not deadlock."""
	stamp, user = now(), frappe.session.user
	rows = [
		(
			row_name(account, month),
			stamp,
			stamp,
			user,
			user,
			0,
			0,
			int(account is None),
			account,
			month,
			visits,
		)
		for (account, month), visits in sorted(
			visits_by_key.items(), key=lambda item: (item[0][0] or "", item[0][1])
		)
	]
	placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
	for chunk in chunks(rows, 1000):
		frappe.db.sql(
			f"""insert into {TABLE} ({", ".join(COLUMNS)}) values {", ".join([placeholders] * len(chunk))}
			on duplicate key update visits = {new_value}, modified = values(modified)""",
			[value for row in chunk for value in row],
		)


def on_submit(doc) -> None:
	"""Visit Record.on_submit (visits/record.py): one more visit in its account's month."""
	if doc.visit_date and doc.key_account:
		add({(doc.key_account, doc.visit_date): 1})


def on_cancel(doc) -> None:
	"""Visit Record.on_cancel: one visit fewer."""
	if doc.visit_date and doc.key_account:
		add({(doc.key_account, doc.visit_date): -1})


# -- the weekly check ---------------------------------------------------------------------------------
def from_visits() -> dict[tuple, int]:
	"""{(key account or None for every account, month): submitted visits}, counted from the visits."""
	counts: dict[tuple, int] = {}
	for account, month, visits in frappe.db.sql(
		"""select key_account, date_format(visit_date, '%Y-%m-01'), count(*) from `tabVisit Record`
		where docstatus = 1 and visit_date is not null and ifnull(key_account, '') != ''
		group by key_account, date_format(visit_date, '%Y-%m-01')"""
	):
		month = getdate(month)
		counts[(account, month)] = int(visits)
		counts[(None, month)] = counts.get((None, month), 0) + int(visits)
	return counts


def check() -> int:
	"""Set every row to what the visits say; returns how many rows were written or removed.

	The rows are locked first (a submit's increment waits), then the visits are read: a visit whose
	submit committed before the lock is in the count, one after it adds its increment after this
	commits, so none is lost or counted twice."""
	if not enabled():
		return 0
	stored = {
		(None if every_account else account, getdate(month)): (name, int(visits))
		for name, every_account, account, month, visits in frappe.db.sql(
			f"select name, every_account, key_account, month, visits from {TABLE} for update"
		)
	}
	wanted = from_visits()
	gone = [name for key, (name, visits) in stored.items() if key not in wanted]
	moved = {key: visits for key, visits in wanted.items() if stored.get(key, (None, None))[1] != visits}
	for chunk in chunks(gone, 1000):
		frappe.db.sql(f"delete from {TABLE} where name in %(names)s", {"names": tuple(chunk)})
	if moved:
		upsert(moved, "values(visits)")
	return len(gone) + len(moved)


def scheduled_check() -> int:
	"""Weekly (long queue): the counts held against the visits, committed at once."""
	corrected = check()
	frappe.db.commit()
	return corrected


# -- the chart ----------------------------------------------------------------------------------------
def monthly_visits(from_date, to_date, user: str | None = None) -> list[tuple]:
	"""[(month, visits)] of the months from ``from_date``'s to ``to_date``'s, oldest first: every
	account's for a director or Administrator, the user's own accounts' for a key account manager."""
	user = user or frappe.session.user
	params = {"start": month_start(getdate(from_date)), "end": getdate(to_date)}
	if is_unrestricted(user):
		where = "every_account = 1"
	else:
		where = f"every_account = 0 and key_account in {accounts_subquery(user)}"
	return [
		(getdate(month), int(visits))
		for month, visits in frappe.db.sql(
			f"""select month, sum(visits) from {TABLE}
			where {where} and month between %(start)s and %(end)s
			group by month order by month""",
			params,
		)
	]
