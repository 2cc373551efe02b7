"""The plan's whitelisted methods: refresh its actuals now, start the next period's plan as a copy."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, add_years, getdate

from key_account_management.plan.actuals import refresh

DOCTYPE = "Key Account Plan"


@frappe.whitelist(methods=["POST"])
def refresh_actuals(name: str) -> dict:
	"""Recompute the plan's actuals now (what the nightly job does), for a user who may read the plan."""
	readable_plan(name)
	refresh([name])
	return frappe.get_doc(DOCTYPE, name).as_dict()


@frappe.whitelist(methods=["POST"])
def make_next_plan(name: str) -> str:
	"""A draft plan for the period after this one, with the same objectives and measures (targets kept,
	actuals and milestones' completion cleared); returns its name."""
	source = readable_plan(name)
	plan = frappe.copy_doc(source)
	plan.status = "Draft"
	plan.copied_from = source.name
	start = add_days(getdate(source.period_end), 1)
	plan.period_start = start
	plan.period_end = add_days(add_years(start, 1), -1)
	plan.fiscal_year = fiscal_year_starting(start)
	plan.insert()
	return plan.name


def readable_plan(name):
	"""The plan named ``name`` when the user may read it: a clear error for a name that is no plan."""
	if not isinstance(name, str) or not frappe.db.exists(DOCTYPE, name):
		frappe.throw(
			_("Key Account Plan {0} does not exist.").format(frappe.bold(name)), frappe.DoesNotExistError
		)
	plan = frappe.get_doc(DOCTYPE, name)
	plan.check_permission("read")
	return plan


def fiscal_year_starting(start) -> str | None:
	return frappe.db.get_value("Fiscal Year", {"year_start_date": start, "disabled": 0}, "name")
