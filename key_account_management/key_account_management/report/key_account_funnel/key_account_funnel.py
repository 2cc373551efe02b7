# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""Key Account Funnel: the key accounts' opportunities stage by stage, and the weighted forecast.

Funnel view: the opportunities created in the period (small orders outside the funnel left out), how
many reached each stage and how many were won, the conversion from step to step and per ten leads beside
the 10-5-3-1 rule of thumb, and what is open at each stage now with its weighted value; for all the
accounts together or per account manager or per key account.

Forecast view: the open, pursued opportunities expected to close in the period, month by month, their
value weighted by the graded likelihood, inside and outside the funnel (small orders count here).

Opportunities are read through frappe.get_list and accounts through the permission-aware profile
listing, so a Key Account Manager sees only their accounts.
"""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import add_months, cint, flt, getdate, today

from key_account_management.core import funnel as core
from key_account_management.core import funnel_stages
from key_account_management.funnel.config import get_stages
from key_account_management.reports import column, list_profiles

VIEW_FUNNEL, VIEW_FORECAST = "Funnel", "Forecast"
BY_MANAGER, BY_ACCOUNT = "Account Manager", "Key Account"
NO_CLOSE_DATE = core.NO_CLOSE_DATE
# what each view groups the opportunities by: the report reads one row per group, with its count and
# amount, rather than every opportunity (the weighted value is exact, as a group has one likelihood)
FUNNEL_GROUP = (
	"kam_key_account",
	"kam_furthest_stage",
	"sales_stage",
	"status",
	"kam_not_pursued",
	"kam_likelihood",
)
FORECAST_GROUP = ("kam_key_account", "expected_closing", "kam_out_of_funnel", "kam_likelihood")


def execute(filters=None):
	return KeyAccountFunnel(filters).run()


class KeyAccountFunnel:
	def __init__(self, filters=None):
		self.filters = frappe._dict(filters or {})
		self.from_date = getdate(self.filters.from_date or add_months(today(), -12))
		self.to_date = getdate(self.filters.to_date or add_months(today(), 6))
		if self.from_date > self.to_date:
			frappe.throw(
				_("{0} ({1}) is after {2} ({3}).").format(
					frappe.bold(_("From Date")), self.from_date, frappe.bold(_("To Date")), self.to_date
				),
				title=_("Invalid Period"),
			)
		self.view = self.filters.view or VIEW_FUNNEL
		self.stages = get_stages()

	def run(self):
		self.accounts = {
			p.name: p
			for p in list_profiles(self.filters, ["name", "customer_name", "account_manager", "abc_class"])
			if not self.filters.key_account or p.name == self.filters.key_account
		}
		opportunities = self.get_opportunities()
		if self.view == VIEW_FORECAST:
			data = self.forecast_rows(opportunities)
			return self.forecast_columns(), data, None, self.forecast_chart(data), self.forecast_summary(data)
		data = self.funnel_rows(opportunities)
		return (
			self.funnel_columns(),
			data,
			None,
			self.funnel_chart(opportunities),
			self.summary(opportunities),
		)

	# -- reading ------------------------------------------------------------------------------------
	def get_opportunities(self) -> list[frappe._dict]:
		"""Groups of opportunities (see FUNNEL_GROUP / FORECAST_GROUP), each with ``n`` and ``amount``."""
		filters = {"kam_key_account": ("is", "set")}
		if self.filters.company:
			filters["company"] = self.filters.company
		if self.filters.grade:
			filters["kam_grade"] = self.filters.grade
		if self.view == VIEW_FORECAST:
			filters["status"] = ("in", core.OPEN_STATUSES)
			filters["kam_not_pursued"] = 0
		else:
			filters["transaction_date"] = ("between", [self.from_date, self.to_date])
			filters["kam_out_of_funnel"] = 0
		group = FORECAST_GROUP if self.view == VIEW_FORECAST else FUNNEL_GROUP
		columns = ", ".join(f"`tabOpportunity`.`{field}`" for field in group)
		rows = frappe.get_list(
			"Opportunity",
			filters=filters,
			fields=[
				*group,
				"count(`tabOpportunity`.`name`) as n",
				"sum(`tabOpportunity`.`base_opportunity_amount`) as amount",
			],
			group_by=columns,
			order_by=columns,
			limit_page_length=0,
		)
		return [row for row in rows if row.kam_key_account in self.accounts]

	def group_of(self, row) -> tuple[str | None, str | None]:
		account = self.accounts[row.kam_key_account]
		if self.filters.group_by == BY_ACCOUNT:
			return account.account_manager, account.name
		if self.filters.group_by == BY_MANAGER:
			return account.account_manager, None
		return None, None

	def grouped(self, opportunities) -> dict:
		groups = defaultdict(list)
		for row in opportunities:
			groups[self.group_of(row)].append(row)
		return dict(sorted(groups.items(), key=lambda item: (item[0][0] or "", item[0][1] or "")))

	# -- funnel ---------------------------------------------------------------------------------------
	def sequence(self, stage) -> int | None:
		# what funnel_stages.stage_sequence answers, looked up in a dict: it is asked for every row and step
		if not self.stages:
			return None
		if not hasattr(self, "_sequences"):
			self._sequences = {s.name: s.sequence for s in self.stages}
		return self._sequences.get(stage, self.stages[0].sequence)

	def funnel_rows(self, opportunities) -> list[dict]:
		data = []
		for (manager, account), rows in self.grouped(opportunities).items():
			data.extend(self.group_funnel(manager, account, rows))
		return data

	def expand(self, rows, furthest=None) -> list[tuple[int | None, bool]]:
		"""(furthest sequence, won) per opportunity, as funnel_stages.funnel_steps takes them."""
		if furthest is None:
			furthest = [self.sequence(row.kam_furthest_stage) for row in rows]
		items = []
		for row, sequence in zip(rows, furthest):
			items.extend([(sequence, row.status == core.WON_STATUS)] * row.n)
		return items

	def group_funnel(self, manager, account, rows) -> list[dict]:
		furthest = [self.sequence(row.kam_furthest_stage) for row in rows]
		now_at = [
			self.sequence(row.sales_stage)
			if funnel_stages.is_open(row.status) and not cint(row.kam_not_pursued)
			else None
			for row in rows
		]
		steps = funnel_stages.funnel_steps(self.expand(rows, furthest), self.stages)
		milestones = {stage.name: stage.milestone for stage in self.stages}
		result = []
		for index, step in enumerate(steps):
			is_won = step.step == core.WON
			if is_won:
				reached = [row for row in rows if row.status == core.WON_STATUS]
				current = []
			else:
				sequence = self.stages[index].sequence
				reached = [row for row, reached_at in zip(rows, furthest) if reached_at >= sequence]
				current = [row for row, at in zip(rows, now_at) if at == sequence]
			result.append(
				{
					"account_manager": manager,
					"key_account": account,
					"stage": _(step.step),
					"milestone": _(milestones[step.step]) if step.step in milestones else None,
					"reached": step.reached,
					"reached_value": sum(flt(row.amount) for row in reached),
					"open_count": None if is_won else sum(row.n for row in current),
					"open_value": None if is_won else sum(flt(row.amount) for row in current),
					"weighted": None
					if is_won
					else sum(funnel_stages.weighted(row.amount, row.kam_likelihood) for row in current),
					"conversion": step.conversion_to_next,
					"per_ten_leads": step.per_ten_leads,
					"rule_of_thumb": step.rule_of_thumb,
				}
			)
		return result

	def group_columns(self) -> list[dict]:
		columns = []
		if self.filters.group_by in (BY_MANAGER, BY_ACCOUNT):
			columns.append(column("account_manager", _("Account Manager"), "Link", 160, options="User"))
		if self.filters.group_by == BY_ACCOUNT:
			columns.append(
				column("key_account", _("Key Account"), "Link", 160, options="Key Account Profile")
			)
		return columns

	def funnel_columns(self) -> list[dict]:
		return [
			*self.group_columns(),
			column("stage", _("Stage")),
			column("milestone", _("Key Milestone"), width=220),
			column("reached", _("Reached"), "Int", 90),
			column("reached_value", _("Value Reached"), "Currency", 130),
			column("conversion", _("Conversion to Next (%)"), "Percent"),
			column("per_ten_leads", _("Per 10 Leads"), "Float", 100, precision=1),
			column("rule_of_thumb", _("Rule of Thumb (10-5-3-1)"), "Int"),
			column("open_count", _("Open Now"), "Int", 90),
			column("open_value", _("Open Value"), "Currency", 130),
			column("weighted", _("Weighted Forecast"), "Currency", 140),
		]

	def funnel_chart(self, opportunities) -> dict:
		steps = funnel_stages.funnel_steps(self.expand(opportunities), self.stages)
		return {
			"data": {
				"labels": [_(step.step) for step in steps],
				"datasets": [{"name": _("Reached"), "values": [step.reached for step in steps]}],
			},
			"type": "bar",
			"colors": ["#5e64ff"],
			"barOptions": {"spaceRatio": 0.2},
		}

	# -- forecast -------------------------------------------------------------------------------------
	def forecast_rows(self, opportunities) -> list[dict]:
		data = []
		for (manager, account), rows in self.grouped(opportunities).items():
			months: dict[str, list] = defaultdict(list)
			for row in rows:
				close = getdate(row.expected_closing) if row.expected_closing else None
				if close is None:
					months[NO_CLOSE_DATE].append(row)
				elif self.from_date <= close <= self.to_date:
					months[funnel_stages.month_of(close)].append(row)
			for month in sorted(months, key=lambda m: (m == NO_CLOSE_DATE, m)):
				inside = [row for row in months[month] if not cint(row.kam_out_of_funnel)]
				outside = [row for row in months[month] if cint(row.kam_out_of_funnel)]
				in_weighted = sum(funnel_stages.weighted(r.amount, r.kam_likelihood) for r in inside)
				out_weighted = sum(funnel_stages.weighted(r.amount, r.kam_likelihood) for r in outside)
				data.append(
					{
						"account_manager": manager,
						"key_account": account,
						"month": _(month) if month == NO_CLOSE_DATE else month,
						"opportunities": sum(r.n for r in months[month]),
						"value": sum(flt(r.amount) for r in months[month]),
						"weighted_funnel": in_weighted,
						"outside_count": sum(r.n for r in outside),
						"weighted_outside": out_weighted,
						"weighted": in_weighted + out_weighted,
					}
				)
		return data

	def forecast_columns(self) -> list[dict]:
		return [
			*self.group_columns(),
			column("month", _("Expected Close (Month)"), width=150),
			column("opportunities", _("Opportunities"), "Int", 110),
			column("value", _("Opportunity Value"), "Currency", 130),
			column("weighted_funnel", _("Weighted, in the Funnel"), "Currency", 150),
			column("outside_count", _("Small Orders"), "Int", 100),
			column("weighted_outside", _("Weighted, Small Orders"), "Currency", 150),
			column("weighted", _("Weighted Forecast"), "Currency", 150),
		]

	def forecast_chart(self, data) -> dict:
		months = sorted({row["month"] for row in data}, key=lambda m: (m == _(NO_CLOSE_DATE), m))
		inside, outside = defaultdict(float), defaultdict(float)
		for row in data:
			inside[row["month"]] += row["weighted_funnel"]
			outside[row["month"]] += row["weighted_outside"]
		return {
			"data": {
				"labels": months,
				"datasets": [
					{"name": _("Weighted, in the Funnel"), "values": [inside[m] for m in months]},
					{"name": _("Weighted, Small Orders"), "values": [outside[m] for m in months]},
				],
			},
			"type": "bar",
			"barOptions": {"stacked": 1},
			"colors": ["#5e64ff", "#ffa00a"],
		}

	def forecast_summary(self, data) -> list[dict]:
		return [
			{
				"label": _("Open Opportunities"),
				"value": sum(row["opportunities"] for row in data),
				"datatype": "Int",
				"indicator": "Blue",
			},
			{
				"label": _("Weighted Forecast"),
				"value": sum(row["weighted"] for row in data),
				"datatype": "Currency",
				"indicator": "Green",
			},
		]

	def summary(self, opportunities) -> list[dict]:
		won = sum(r.n for r in opportunities if r.status == core.WON_STATUS)
		total = sum(r.n for r in opportunities)
		return [
			{
				"label": _("Opportunities"),
				"value": total,
				"datatype": "Int",
				"indicator": "Blue",
			},
			{"label": _("Won"), "value": won, "datatype": "Int", "indicator": "Green"},
			{
				"label": _("Won per 10 Leads"),
				"value": flt(won * 10 / total, 1) if total else 0,
				"datatype": "Float",
				"indicator": "Orange",
			},
		]
