"""The director's "Account Plan Progress" report: every measure of the plans the user may read, against
what is expected by now, behind first, by manager, with a chart (docs/DOMAIN.md §10)."""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management.core import plan as rules
from key_account_management.reports import column

ORDER = {rules.AT_RISK: 0, rules.BEHIND: 1, rules.ON_TRACK: 2, rules.ACHIEVED: 3, None: 4, "": 4}
COLOURS = {
	rules.AT_RISK: "#e24c4c",
	rules.BEHIND: "#f5a623",
	rules.ON_TRACK: "#5e64ff",
	rules.ACHIEVED: "#29cd42",
}


class PlanProgress:
	def __init__(self, filters=None):
		self.filters = frappe._dict(filters or {})

	def run(self):
		rows = self.get_rows()
		return self.get_columns(), rows, None, self.get_chart(rows), self.get_summary(rows)

	def plans(self) -> dict[str, frappe._dict]:
		"""Through frappe.get_list: a manager's report holds only the plans of their own accounts."""
		conditions = {"status": ("in", ["Active", "Closed"] if self.filters.include_closed else ["Active"])}
		for fieldname in ("company", "account_manager"):
			if self.filters.get(fieldname):
				conditions[fieldname] = self.filters.get(fieldname)
		return {
			plan.name: plan
			for plan in frappe.get_list(
				"Key Account Plan",
				filters=conditions,
				fields=["name", "key_account", "customer_name", "account_manager", "company", "period_end"],
				limit_page_length=0,
			)
		}

	def get_rows(self) -> list[dict]:
		plans = self.plans()
		if not plans:
			return []
		measures = frappe.db.sql(
			"""select parent, objective, measure, item_group, target, actual, expected, progress, measure_status
			from `tabKey Account Plan Measure` where parenttype = 'Key Account Plan' and parent in %(plans)s
			order by parent, idx""",
			{"plans": tuple(plans)},
			as_dict=True,
		)
		names = {
			user.name: user.full_name
			for user in frappe.get_all(
				"User",
				filters={
					"name": (
						"in",
						list({p.account_manager for p in plans.values() if p.account_manager}) or [""],
					)
				},
				fields=["name", "full_name"],
			)
		}
		rows = []
		for measure in measures:
			if self.filters.plan_status and measure.measure_status != self.filters.plan_status:
				continue
			plan = plans[measure.parent]
			rows.append(
				{
					"plan": plan.name,
					"key_account": plan.key_account,
					"customer_name": plan.customer_name,
					"account_manager": plan.account_manager,
					"account_manager_name": names.get(plan.account_manager, plan.account_manager),
					"objective": measure.objective,
					"measure": _(measure.measure)
					+ (f" ({measure.item_group})" if measure.item_group else ""),
					"target": measure.target,
					"expected": measure.expected,
					"actual": measure.actual,
					"gap": (measure.actual or 0) - (measure.expected or 0),
					"progress": measure.progress,
					"measure_status": _(measure.measure_status) if measure.measure_status else "",
					"measure_status_value": measure.measure_status,
				}
			)
		rows.sort(
			key=lambda row: (
				ORDER.get(row["measure_status_value"], 4),
				row["account_manager_name"] or "",
				row["customer_name"] or "",
			)
		)
		return rows

	def get_columns(self) -> list[dict]:
		return [
			column("plan", _("Plan"), "Link", 110, options="Key Account Plan"),
			column("customer_name", _("Customer"), width=180),
			column("account_manager_name", _("Account Manager"), width=140),
			column("objective", _("Objective"), width=160),
			column("measure", _("Measure"), width=170),
			column("target", _("Target", context="Key Account Plan Measure"), "Float", 110, precision=2),
			column("expected", _("Expected by Now"), "Float", precision=2),
			column("actual", _("Actual"), "Float", 110, precision=2),
			column("gap", _("Actual - Expected"), "Float", precision=2),
			column("progress", _("Progress"), "Percent", 90),
			column("measure_status", _("Status"), width=100),
		]

	def get_chart(self, rows) -> dict | None:
		if not rows:
			return None
		counts = {status: 0 for status in rules.STATUSES[::-1]}
		for row in rows:
			if row["measure_status_value"] in counts:
				counts[row["measure_status_value"]] += 1
		return {
			"data": {
				"labels": [_(status) for status in counts],
				"datasets": [{"name": _("Measures"), "values": list(counts.values())}],
			},
			"type": "bar",
			"colors": ["#5e64ff"],
			"fieldtype": "Int",
		}

	def get_summary(self, rows) -> list[dict]:
		behind = sum(row["measure_status_value"] in (rules.BEHIND, rules.AT_RISK) for row in rows)
		plans = len({row["plan"] for row in rows})
		return [
			{"label": _("Plans"), "value": plans, "datatype": "Int"},
			{"label": _("Measures"), "value": len(rows), "datatype": "Int"},
			{
				"label": _("Measures Behind or At Risk"),
				"value": behind,
				"datatype": "Int",
				"indicator": "Red" if behind else "Green",
			},
		]
