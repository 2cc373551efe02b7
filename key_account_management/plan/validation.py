"""What an account plan must hold before it is saved (docs/DOMAIN.md §10). Each refusal names the field;
nothing is saved while anything is wrong."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate, today

from key_account_management.core import plan as rules
from key_account_management.messages import translate

ACTIVE = "Active"
CLOSED = "Closed"
# what a closed plan keeps as it was reviewed
FROZEN_MEASURE_FIELDS = ("measure", "item_group", "target", "objective")


def validate(doc) -> None:
	set_period(doc)
	check_account(doc)
	check_period(doc)
	check_measures(doc)
	check_one_active_plan(doc)
	check_closed_targets(doc)


def set_period(doc) -> None:
	"""The company's fiscal year by default: the one named, else the one today falls in."""
	if doc.period_start and doc.period_end:
		return
	fiscal_year = doc.fiscal_year
	if not fiscal_year and doc.company:
		from erpnext.accounts.utils import get_fiscal_year

		try:
			fiscal_year = get_fiscal_year(today(), company=doc.company)[0]
		except Exception:
			fiscal_year = None
	if fiscal_year:
		start, end = frappe.db.get_value("Fiscal Year", fiscal_year, ["year_start_date", "year_end_date"])
		doc.fiscal_year = fiscal_year
		doc.period_start = doc.period_start or start
		doc.period_end = doc.period_end or end


def check_account(doc) -> None:
	if not doc.key_account:
		frappe.throw(_("Key Account: a plan is the plan of a key account."), title=_("Key Account"))
	if not frappe.has_permission("Key Account Profile", "write", doc.key_account):
		frappe.throw(
			_("Key Account: you may not plan for {0}; it is not one of your accounts.").format(
				frappe.bold(doc.key_account)
			),
			frappe.PermissionError,
		)


def throw_problem(problem, row=None) -> None:
	label = _(
		frappe.get_meta("Key Account Plan Measure" if row else "Key Account Plan").get_label(problem.field)
	)
	where = _("Measures, row {0}").format(row.idx) + ": " if row else ""
	frappe.throw(f"{where}{label}: {translate(problem.message)}", title=_("Invalid Account Plan"))


def check_period(doc) -> None:
	for problem in rules.period_problems(
		getdate(doc.period_start) if doc.period_start else None,
		getdate(doc.period_end) if doc.period_end else None,
	):
		throw_problem(problem)


def check_measures(doc) -> None:
	objectives = {row.objective.strip() for row in doc.objectives if row.objective}
	for row in doc.measures:
		for problem in rules.measure_problems(
			row.measure, row.target, getdate(row.done_date) if row.done_date else None, bool(row.done)
		):
			throw_problem(problem, row)
		if row.measure == rules.ITEM_GROUP_REVENUE:
			if not row.item_group or not frappe.db.exists("Item Group", row.item_group):
				frappe.throw(
					_("Measures, row {0}: Item Group: {1} is not an item group.").format(
						row.idx, frappe.bold(row.item_group or _("(empty)"))
					),
					title=_("Invalid Account Plan"),
				)
		elif row.item_group:
			row.item_group = None
		if row.objective and objectives and row.objective.strip() not in objectives:
			frappe.throw(
				_("Measures, row {0}: Objective: {1} is not one of the plan's objectives.").format(
					row.idx, frappe.bold(row.objective)
				),
				title=_("Invalid Account Plan"),
			)


def check_one_active_plan(doc) -> None:
	if doc.status != ACTIVE:
		return
	other = frappe.db.sql(
		"""select name from `tabKey Account Plan` where key_account = %(account)s and status = 'Active'
		and name != %(name)s and period_start <= %(end)s and period_end >= %(start)s limit 1""",
		{
			"account": doc.key_account,
			"name": doc.name or "",
			"start": doc.period_start,
			"end": doc.period_end,
		},
	)
	if other:
		frappe.throw(
			_("Status: {0} already has an active plan for this period ({1}); close it first.").format(
				frappe.bold(doc.key_account), other[0][0]
			),
			title=_("Invalid Account Plan"),
		)


def check_closed_targets(doc) -> None:
	before = doc.get_doc_before_save()
	if not before or before.status != CLOSED:
		return

	def frozen(plan):
		return [tuple(row.get(field) for field in FROZEN_MEASURE_FIELDS) for row in plan.measures]

	if frozen(before) != frozen(doc) or (before.period_start, before.period_end) != (
		doc.period_start,
		doc.period_end,
	):
		frappe.throw(
			_(
				"Measures: the plan is closed; its targets stay as they were reviewed. Reopen it to change them."
			),
			title=_("Invalid Account Plan"),
		)
