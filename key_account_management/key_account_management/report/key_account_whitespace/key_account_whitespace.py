# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""Key Account Whitespace: the user's accounts × item groups, Bought / Lost / In pipeline / White,
largest potential first (docs/DOMAIN.md §11). Read from the item group rollups, never the ledger."""

from frappe import _
from frappe.utils import escape_html

from key_account_management.company import company_currency
from key_account_management.core import whitespace as rules
from key_account_management.reports import ScriptReport, account_columns, column, list_profiles
from key_account_management.settings import get_settings
from key_account_management.whitespace import levels
from key_account_management.whitespace.cells import Whitespace

FIELDS = ["name", "customer_name", "account_manager", "abc_class", "company"]


def status_labels() -> dict[str, str]:
	"""The statuses in the user's language (asked per request, not at import)."""
	return {
		rules.BOUGHT: _("Bought", context="Whitespace"),
		rules.LOST: _("Lost", context="Whitespace"),
		rules.IN_PIPELINE: _("In pipeline", context="Whitespace"),
		rules.WHITE: _("White", context="Whitespace"),
	}


def execute(filters=None):
	return KeyAccountWhitespace(filters).run()


class KeyAccountWhitespace(ScriptReport):
	def run(self):
		self.company = self.filters.company or get_settings().company
		level = levels.current_level(self.filters.item_group_level)
		profiles = [
			profile
			for profile in list_profiles(self.filters, FIELDS)
			if not profile.company or profile.company == self.company
		]
		self.labels = status_labels()
		self.currency = company_currency(self.company)
		self.whitespace = Whitespace([p.name for p in profiles], self.company, level)
		self.groups = list(self.whitespace.groups)
		summaries = {p.name: self.whitespace.summary(p.name) for p in profiles}
		by_name = {p.name: p for p in profiles}
		data = [self.to_row(by_name[name], summaries[name]) for name in rules.by_potential(summaries)]
		return self.get_columns(), data, None, self.get_chart(), self.get_summary(summaries)

	def to_row(self, profile, summary) -> dict:
		row = {
			"key_account": profile.name,
			"customer_name": profile.customer_name,
			"account_manager": profile.account_manager,
			"abc_class": profile.abc_class,
			"revenue_recent": summary.recent,
			"revenue_before": summary.before,
			"open_amount": summary.open_amount,
			"potential": summary.potential,
			# the amounts are in the company's currency
			"currency": self.currency,
			**{f"count_{key}": summary.counts[status] for key, status in self.count_keys()},
		}
		cells, white = self.whitespace.cells[profile.name], self.labels[rules.WHITE]
		for index, group in enumerate(self.groups):
			cell = cells.get(group)
			row[f"ig_{index}"] = self.labels[cell.status] if cell else white
		return row

	@staticmethod
	def count_keys():
		return [
			("bought", rules.BOUGHT),
			("pipeline", rules.IN_PIPELINE),
			("lost", rules.LOST),
			("white", rules.WHITE),
		]

	def get_columns(self):
		columns = [
			*account_columns(160, 160),
			column("revenue_recent", _("Revenue (12 Months)"), "Currency", 140, options="currency"),
			column("revenue_before", _("Revenue (Previous 12 Months)"), "Currency", 140, options="currency"),
			column("open_amount", _("Open Opportunities"), "Currency", 140, options="currency"),
			column("potential", _("Potential"), "Currency", 140, options="currency"),
			column("count_bought", _("Bought", context="Whitespace"), "Int", 80),
			column("count_pipeline", _("In pipeline", context="Whitespace"), "Int", 80),
			column("count_lost", _("Lost", context="Whitespace"), "Int", 80),
			column("count_white", _("White", context="Whitespace"), "Int", 80),
		]
		columns += [
			column(f"ig_{index}", escape_html(group), "Data", 110) for index, group in enumerate(self.groups)
		]
		return columns

	def get_chart(self):
		counts = {group: dict.fromkeys(rules.STATUSES, 0) for group in self.groups}
		for cells in self.whitespace.cells.values():
			for group, cell in cells.items():
				counts[group][cell.status] += 1
		for group in self.groups:
			counts[group][rules.WHITE] = len(self.whitespace.cells) - sum(
				counts[group][status] for status in (rules.BOUGHT, rules.IN_PIPELINE, rules.LOST)
			)
		colours = {
			rules.BOUGHT: "#29cd42",
			rules.IN_PIPELINE: "#5e64ff",
			rules.LOST: "#e24c4c",
			rules.WHITE: "#b8c2cc",
		}
		return {
			"data": {
				"labels": self.groups,
				"datasets": [
					{"name": self.labels[status], "values": [counts[group][status] for group in self.groups]}
					for status in rules.STATUSES
				],
			},
			"type": "bar",
			"barOptions": {"stacked": 1},
			"colors": [colours[status] for status in rules.STATUSES],
		}

	def get_summary(self, summaries):
		return [
			{"label": _("Accounts Listed"), "value": len(summaries), "datatype": "Int", "indicator": "Blue"},
			{
				"label": _("Potential"),
				"value": sum(s.potential for s in summaries.values()),
				"datatype": "Currency",
				"currency": self.currency,
				"indicator": "Green",
			},
			{
				"label": _("Lost Item Groups"),
				"value": sum(s.counts[rules.LOST] for s in summaries.values()),
				"datatype": "Int",
				"indicator": "Red",
			},
			{
				"label": _("White Item Groups"),
				"value": sum(s.counts[rules.WHITE] for s in summaries.values()),
				"datatype": "Int",
				"indicator": "Grey",
			},
		]
