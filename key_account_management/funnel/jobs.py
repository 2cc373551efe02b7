"""The daily re-grade: dates move, so an opportunity's grade changes without anyone saving it.

Hooked on daily_long (the long queue). Reads the open, pursued opportunities in the funnel a batch at a
time by name (one indexed range read per batch, only the columns the grade needs), grades them with the
same core rule the form uses, lifts overrides whose date has passed, and writes only what changed: one
CASE update per batch for the grades and one multi-row insert for the history rows.
"""

from __future__ import annotations

import time

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from key_account_management.core import funnel as core
from key_account_management.db_utils import append_child_rows, bulk_update, named_lock
from key_account_management.funnel.config import get_config

LOCK = "key_account_management:funnel_regrade"
BATCH_SIZE = 5000


def scheduled_regrade() -> None:
	"""Hooked on daily_long."""
	regrade_open_opportunities()


def regrade_open_opportunities(as_of=None, batch_size: int = BATCH_SIZE) -> dict:
	started = time.monotonic()
	as_of = getdate(as_of or today())
	config = get_config()
	summary = {"graded": 0, "changed": 0, "overrides_expired": 0, **{grade: 0 for grade in core.GRADES}}
	with named_lock(LOCK, _("A re-grade of the opportunities is already running; wait for it to finish.")):
		last = ""
		while True:
			rows = frappe.db.sql(
				"""select name, expected_closing, kam_likelihood, kam_grade, kam_computed_grade,
					kam_grade_override, kam_grade_override_until
				from `tabOpportunity`
				where name > %(last)s and status in %(open)s and kam_not_pursued = 0 and kam_out_of_funnel = 0
				order by name limit %(limit)s""",
				{"last": last, "open": core.OPEN_STATUSES, "limit": batch_size},
				as_dict=True,
			)
			if not rows:
				break
			_regrade_batch(rows, config, as_of, summary)
			last = rows[-1].name
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
		summary["graded"] += 1
		summary[grade] += 1
	bulk_update("Opportunity", updates)
	append_child_rows("Opportunity Grade History", "Opportunity", "kam_grade_history", history)
