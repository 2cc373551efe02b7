"""The daily re-grade: dates move, so an opportunity's grade changes without anyone saving it.

Hooked on daily_long (the long queue). Set-based: one pass over the open, pursued opportunities in the
funnel, a batch at a time by name, in which MariaDB leaves out every opportunity whose grade stays (the
grade rule as a SQL expression); the few that move are graded by the same core rule the form uses,
overrides whose date has passed are lifted, and only what changed is written: one UPDATE per batch and
set of new values, and multi-row inserts for the history rows.
"""

from __future__ import annotations

import time
from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from key_account_management.core import funnel as core
from key_account_management.db_utils import append_child_rows, chunks, named_lock
from key_account_management.funnel.config import get_config
from key_account_management.funnel.opportunity import link_key_accounts

LOCK = "key_account_management:funnel_regrade"
BATCH_SIZE = 5000
WRITE_CHUNK = 1000


def scheduled_regrade() -> None:
	"""Hooked on daily_long."""
	regrade_open_opportunities()


GRADABLE = "status in %(open)s and kam_not_pursued = 0 and kam_out_of_funnel = 0"


def grade_sql(bands) -> tuple[str, dict]:
	"""core.grade as a SQL expression over a row of Opportunity, with its parameters.

	Used only to leave out the rows whose grade stays as it is; the rows it lets through are graded by
	core.grade itself (a bench test holds the two equal on every edge of the bands)."""
	params: dict = {}
	whens = ["when expected_closing is null or expected_closing < %(as_of)s then 'D'"]
	for band in sorted(bands, key=lambda band: band.grade):
		key = band.grade.lower()
		params[f"days_{key}"], params[f"probability_{key}"] = band.within_days, band.min_probability
		whens.append(
			f"when datediff(expected_closing, %(as_of)s) <= %(days_{key})s "
			f"and kam_likelihood >= %(probability_{key})s then '{band.grade}'"
		)
	return f"(case {' '.join(whens)} else 'D' end)", params


def regrade_open_opportunities(as_of=None, batch_size: int = BATCH_SIZE) -> dict:
	started = time.monotonic()
	as_of = getdate(as_of or today())
	config = get_config()
	computed_sql, params = grade_sql(config.bands)
	override_active = (
		"(ifnull(kam_grade_override, '') != '' "
		"and (kam_grade_override_until is null or kam_grade_override_until >= %(as_of)s))"
	)
	effective_sql = f"(case when {override_active} then kam_grade_override else {computed_sql} end)"
	expired_sql = "(ifnull(kam_grade_override, '') != '' and kam_grade_override_until < %(as_of)s)"
	params.update(as_of=as_of, open=core.OPEN_STATUSES, limit=batch_size)
	summary = {"graded": 0, "changed": 0, "overrides_expired": 0, "read": 0}
	with named_lock(LOCK, _("A re-grade of the opportunities is already running; wait for it to finish.")):
		summary["linked"] = link_key_accounts()
		last = ""
		while True:
			# the opportunities whose computed or effective grade moves, or whose override ended
			rows = frappe.db.sql(
				f"""select name, expected_closing, kam_likelihood, kam_grade, kam_computed_grade,
					kam_grade_override, kam_grade_override_until
				from `tabOpportunity`
				where name > %(last)s and {GRADABLE}
					and ({computed_sql} != ifnull(kam_computed_grade, '')
						or {effective_sql} != ifnull(kam_grade, '') or {expired_sql})
				order by name limit %(limit)s""",
				{**params, "last": last},
				as_dict=True,
			)
			if not rows:
				break
			summary["read"] += len(rows)
			_regrade_batch(rows, config, as_of, summary)
			last = rows[-1].name
		counts = dict(
			frappe.db.sql(
				f"select ifnull(kam_grade, ''), count(*) from `tabOpportunity` where {GRADABLE} group by 1",
				params,
			)
		)
	summary.update({grade: counts.get(grade, 0) for grade in core.GRADES})
	summary["graded"] = sum(counts.values())
	summary["seconds"] = round(time.monotonic() - started, 3)
	return summary


def _regrade_batch(rows, config, as_of, summary) -> None:
	updates: dict[str, dict] = {}
	history: list[dict] = []
	now = now_datetime()
	for row in rows:
		days = core.days_to_close(getdate(row.expected_closing) if row.expected_closing else None, as_of)
		computed = core.grade(days, row.kam_likelihood, config.bands)
		until = getdate(row.kam_grade_override_until) if row.kam_grade_override_until else None
		override = row.kam_grade_override or None
		expired = bool(override and until and until < as_of)
		grade, by_override = core.effective_grade(computed, None if expired else override, until, as_of)
		values = {}
		if computed != row.kam_computed_grade:
			values["kam_computed_grade"] = computed
		if expired:
			values.update(
				kam_grade_override=None, kam_grade_override_until=None, kam_grade_override_reason=None
			)
			summary["overrides_expired"] += 1
		if grade != (row.kam_grade or None):
			values["kam_grade"] = grade
			history.append(
				{
					"parent": row.name,
					"changed_on": now,
					"from_grade": row.kam_grade or None,
					"to_grade": grade,
					"source": core.SOURCE_DAILY_JOB,
					"expected_closing": row.expected_closing,
					"likelihood": row.kam_likelihood,
					"reason": _("Override expired on {0}.").format(frappe.format(until, "Date"))
					if expired
					else None,
					"changed_by": frappe.session.user,
				}
			)
			summary["changed"] += 1
		if values:
			updates[row.name] = values
	write_grades(updates, now)
	insert_history(history, now)


def write_grades(updates: dict[str, dict], now) -> None:
	"""Grades take few values: one UPDATE per distinct set of new values and chunk of names (the
	generic CASE-per-row update costs a comparison per name and row). ``modified`` is stamped, as the
	app's other jobs do, so that a form opened before the run cannot save its stale grade back."""
	by_values: dict[tuple, list[str]] = defaultdict(list)
	for name, values in updates.items():
		by_values[tuple(sorted(values.items()))].append(name)
	for values, names in by_values.items():
		assignments = ", ".join(f"`{field}` = %s" for field, _value in values)
		for chunk in chunks(names, WRITE_CHUNK):
			frappe.db.sql(
				f"update `tabOpportunity` set {assignments}, `modified` = %s where `name` in %s",
				[*(value for _field, value in values), now, tuple(chunk)],
			)


def insert_history(rows: list[dict], now) -> None:
	"""The new grade history rows, numbered after each opportunity's last one, stamped with the run's
	time, in multi-row INSERTs with bound parameters (Frappe's bulk_insert builds its SQL through pypika,
	which on tens of thousands of rows took longer than the whole re-grade)."""
	append_child_rows("Opportunity Grade History", "Opportunity", "kam_grade_history", rows, now=now)
