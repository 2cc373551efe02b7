# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_months, getdate, today

from key_account_management.core import visit_compliance as rules
from key_account_management.reports import account_columns, column, list_profiles
from key_account_management.visits.cadence import get_cadence, get_follow_up_days


def execute(filters=None):
	return VisitCompliance(filters).run()


class VisitCompliance:
	def __init__(self, filters=None):
		self.filters = frappe._dict(filters or {})
		self.to_date = getdate(self.filters.to_date or today())
		self.from_date = getdate(self.filters.from_date or add_months(self.to_date, -3))
		if self.from_date > self.to_date:
			frappe.throw(_("From Date must be on or before To Date."))

	def run(self):
		rows = self.get_rows()
		return self.get_columns(), self.get_data(rows), None, self.get_chart(rows), self.get_summary(rows)

	def get_rows(self):
		profiles = list_profiles(self.filters, ["name", "customer_name", "account_manager", "abc_class"])
		self.names = {p.name: p.customer_name for p in profiles}
		accounts = [rules.AccountFact(p.name, p.account_manager, p.abc_class) for p in profiles]
		facts = [
			rules.VisitFact(v.key_account, None, v.visit_date, v.follow_up_date, v.status)
			for v in frappe.get_list(
				"Visit Record",
				filters={
					"docstatus": 1,
					"visit_date": ("between", [self.from_date, self.to_date]),
					"key_account": ("in", list(self.names) or [""]),
				},
				fields=["key_account", "visit_date", "follow_up_date", "status"],
				limit_page_length=0,
			)
		]
		return rules.compliance(
			facts, accounts, self.from_date, self.to_date, get_cadence(), get_follow_up_days()
		)

	def get_data(self, rows):
		return [
			{
				"key_account": row.account,
				"customer_name": self.names.get(row.account),
				"account_manager": row.manager,
				"abc_class": row.abc_class,
				"cadence_days": row.cadence_days,
				"visits_due": row.visits_due,
				"visits_done": row.visits_done,
				"compliance_percent": row.compliance_percent,
				"overdue_follow_ups": row.overdue_follow_ups,
				"follow_ups_on_time_percent": row.follow_ups_on_time_percent,
			}
			for row in rows
		]

	def get_columns(self):
		return [
			*account_columns(150, 170),
			column("cadence_days", _("Cadence (Days)"), "Int", 110),
			column("visits_due", _("Visits Due"), "Int", 90),
			column("visits_done", _("Visits Done"), "Int", 90),
			column("compliance_percent", _("Compliance %"), "Percent", 110),
			column("overdue_follow_ups", _("Overdue Follow-ups"), "Int", 140),
			column("follow_ups_on_time_percent", _("Follow-ups Within 7 Days %"), "Percent", 180),
		]

	def get_chart(self, rows):
		managers = rules.summarise_by_manager(rows)
		if not managers:
			return None
		return {
			"data": {
				"labels": [m.manager or _("No Manager") for m in managers],
				"datasets": [
					{"name": _("Visits Done"), "values": [m.visits_done for m in managers]},
					{"name": _("Visits Due"), "values": [m.visits_due for m in managers]},
				],
			},
			"type": "bar",
			"title": _("Visits done vs due per manager"),
		}

	def get_summary(self, rows):
		done = sum(r.visits_done for r in rows)
		due = sum(r.visits_due for r in rows)
		return [
			{"value": done, "label": _("Visits Done"), "datatype": "Int"},
			{"value": due, "label": _("Visits Due"), "datatype": "Int"},
			{
				"value": sum(r.overdue_follow_ups for r in rows),
				"label": _("Overdue Follow-ups"),
				"datatype": "Int",
				"indicator": "Red",
			},
		]
