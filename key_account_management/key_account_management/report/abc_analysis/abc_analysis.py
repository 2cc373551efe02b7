# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import cint, getdate, today

from key_account_management.access.records import is_unrestricted, user_accounts
from key_account_management.classification.groups import map_groups
from key_account_management.classification.rollup_read import basis_values
from key_account_management.core.abc_classification import class_counts, classify
from key_account_management.core.periods import calendar_months
from key_account_management.reports import column
from key_account_management.settings import get_settings

CHART_CUSTOMERS = 30  # a Pareto chart of 50,000 bars says nothing; the head of the curve does


def execute(filters=None):
	return ABCAnalysis(filters).run()


class ABCAnalysis:
	def __init__(self, filters=None):
		self.filters = frappe._dict(filters or {})
		self.settings = get_settings()
		self.company = self.filters.company or self.settings.company
		self.basis = self.filters.basis or self.settings.basis
		months = cint(self.filters.period_months) or self.settings.period_months
		if months < 1:
			frappe.throw(_("Period (Months) must be at least 1."))
		# whole calendar months, as the reclassification reads them
		self.from_date, self.to_date = calendar_months(getdate(self.filters.to_date or today()), months)

	def run(self):
		if not self.company:
			return self.get_columns(), [], None, None, None
		values = basis_values(self.basis, self.company, self.from_date, self.to_date)
		# with "classify groups as one" a group ranks as one row, its members' values in it (§13)
		values, _members = map_groups(self.settings, values, self.company, self.to_date)
		self.classes = classify(values, self.settings.a_threshold, self.settings.b_threshold)
		data = self.get_data()
		return self.get_columns(), data, None, self.get_chart(), self.get_summary()

	def get_data(self):
		previous = dict(
			frappe.db.sql(
				"select name, kam_abc_class from `tabCustomer` where ifnull(kam_abc_class, '') != ''"
			)
		)
		names = dict(frappe.db.sql("select name, customer_name from `tabCustomer`"))
		wanted = self.filters.abc_class
		# the ranking is company-wide; a key account manager sees the rows of their own accounts
		user = frappe.session.user
		visible = None if is_unrestricted(user) else user_accounts(user)
		self.visible = visible
		# every amount is in the company's currency: each row says which (the column's "options")
		currency = frappe.get_cached_value("Company", self.company, "default_currency")
		data = []
		for row in sorted(self.classes.values(), key=lambda c: c.rank):
			if wanted and row.abc_class != wanted:
				continue
			if visible is not None and row.customer not in visible:
				continue
			data.append(
				{
					"rank": row.rank,
					"customer": row.customer,
					"customer_name": names.get(row.customer),
					"basis_value": row.value,
					"share": row.share,
					"cumulative_share": row.cumulative_share,
					"abc_class": row.abc_class,
					"previous_class": previous.get(row.customer),
					"currency": currency,
				}
			)
		return data

	def get_columns(self):
		currency = (
			frappe.get_cached_value("Company", self.company, "default_currency") if self.company else None
		)
		return [
			column("rank", _("Rank"), "Int", 70),
			column("customer", _("Customer"), "Link", 180, options="Customer"),
			column("customer_name", _("Customer Name"), width=180),
			column("basis_value", _(self.basis), "Currency", 150, options=currency and "currency"),
			column("share", _("Share %"), "Percent", 100),
			column("cumulative_share", _("Cumulative Share %"), "Percent", 150),
			column("abc_class", _("Class"), width=70),
			column("previous_class", _("Previous Class")),
		]

	def get_chart(self):
		ranked = sorted(self.classes.values(), key=lambda c: c.rank)
		if getattr(self, "visible", None) is not None:
			# shares stay company-wide, but a manager's chart names only their own customers
			ranked = [c for c in ranked if c.customer in self.visible]
		head = ranked[:CHART_CUSTOMERS]
		if not head:
			return None
		return {
			"data": {
				"labels": [row.customer for row in head],
				"datasets": [
					{
						"name": _("Share %"),
						"chartType": "bar",
						"values": [round(row.share, 2) for row in head],
					},
					{
						"name": _("Cumulative Share %"),
						"chartType": "line",
						"values": [round(row.cumulative_share, 2) for row in head],
					},
				],
			},
			"type": "axis-mixed",
			"colors": ["#5e64ff", "#ff5858"],
			"axisOptions": {"xIsSeries": 1},
			"title": _("Pareto of the top {0} customers").format(len(head)),
		}

	def get_summary(self):
		counts = class_counts({c.customer: c.abc_class for c in self.classes.values()})
		total = sum(max(c.value, 0) for c in self.classes.values())
		colours = {"A": "Green", "B": "Blue", "C": "Orange"}
		summary = [
			{
				"value": counts[c],
				"label": _("Class {0} Customers").format(c),
				"datatype": "Int",
				"indicator": colours[c],
			}
			for c in ("A", "B", "C")
		]
		summary.append(
			{
				"value": total,
				"label": _("Total {0} (positive)").format(_(self.basis)),
				"datatype": "Currency",
				"currency": frappe.get_cached_value("Company", self.company, "default_currency"),
			}
		)
		return summary
