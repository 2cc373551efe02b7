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
	if not isinstance(name, str) or not frappe.db.exists(DOCTYPE, name):
		frappe.throw(
			_("Key Account Plan {0} does not exist.").format(frappe.bold(name)), frappe.DoesNotExistError
		)
	frappe.get_doc(DOCTYPE, name).check_permission("read")
	refresh([name])
	return frappe.get_doc(DOCTYPE, name).as_dict()


@frappe.whitelist(methods=["POST"])
def make_next_plan(name: str) -> str:
	"""A draft plan for the period after this one, with the same objectives and measures (targets kept,
	actuals and milestones' completion cleared); returns its name."""
	if not isinstance(name, str) or not frappe.db.exists(DOCTYPE, name):
		frappe.throw(
			_("Key Account Plan {0} does not exist.").format(frappe.bold(name)), frappe.DoesNotExistError
		)
	source = frappe.get_doc(DOCTYPE, name)
	source.check_permission("read")
	plan = frappe.copy_doc(source)
	plan.status = "Draft"
	plan.copied_from = source.name
	start = add_days(getdate(source.period_end), 1)
	plan.period_start = start
	plan.period_end = add_days(add_years(start, 1), -1)
	plan.fiscal_year = fiscal_year_starting(start, source.company)
	plan.insert()
	return plan.name


def fiscal_year_starting(start, company: str | None) -> str | None:
	return frappe.db.get_value("Fiscal Year", {"year_start_date": start, "disabled": 0}, "name")
