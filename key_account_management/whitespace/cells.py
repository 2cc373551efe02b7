"""The whitespace of many accounts at once, read from the item group rollups and the open
opportunities, never from the ledger (docs/DOMAIN.md §11).

Set-based: one read of the rollups for all the accounts' customers (a group account covers its
members, groups/members.py), one read of their open opportunities' items, then the cells in Python.
"""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe.utils import flt, getdate, today

from key_account_management.company import company_currency
from key_account_management.core import whitespace as rules
from key_account_management.core.funnel import OPEN_STATUSES
from key_account_management.groups.members import customers_by_profile
from key_account_management.whitespace import levels, rollup


class Whitespace:
	"""Cells per account and item group (at ``level``) in ``company``."""

	def __init__(self, accounts: list[str], company: str, level: int, as_of=None):
		self.accounts, self.company, self.level = list(accounts), company, level
		self.as_of = getdate(as_of or today())
		self.before_start, self.recent_start, self.end = rules.windows(self.as_of)
		self.groups = levels.columns(level)
		self.bucket = levels.buckets(level)
		self.cells: dict[str, dict[str, rules.Cell]] = {name: {} for name in self.accounts}
		self.open_without_group: dict[str, float] = defaultdict(float)
		self.read_revenue()
		self.read_opportunities()

	def cell(self, account: str, item_group: str) -> rules.Cell:
		group = self.bucket.get(item_group, item_group)
		cells = self.cells[account]
		if group not in cells:
			cells[group] = rules.Cell()
			if group not in self.groups:  # a group no longer in the tree: shown after the others
				self.groups.append(group)
		return cells[group]

	def read_revenue(self) -> None:
		covered = customers_by_profile(self.accounts)
		accounts_of = defaultdict(list)
		for account, customers in covered.items():
			for customer in dict.fromkeys(customers):
				accounts_of[customer].append(account)
		if not accounts_of:
			return
		amounts = rollup.revenue_split(
			self.company, list(accounts_of), self.before_start, self.recent_start, self.end
		)
		for (customer, item_group), (recent, before) in amounts.items():
			for account in accounts_of[customer]:
				cell = self.cell(account, item_group)
				cell.recent += recent
				cell.before += before

	def read_opportunities(self) -> None:
		"""Open, pursued opportunities of the accounts: their items' amounts by item group, the whole
		amount of one without items (in the account's open amount, in no cell)."""
		if not self.accounts:
			return
		params = {"accounts": tuple(self.accounts), "open": OPEN_STATUSES, "company": self.company}
		where = """o.kam_key_account in %(accounts)s and o.status in %(open)s
			and ifnull(o.kam_not_pursued, 0) = 0 and o.company = %(company)s"""
		for account, item_group, amount in frappe.db.sql(
			f"""select o.kam_key_account, oi.item_group, sum(oi.base_amount)
			from `tabOpportunity` o
			inner join `tabOpportunity Item` oi on oi.parent = o.name and oi.parenttype = 'Opportunity'
			where {where} group by o.kam_key_account, oi.item_group""",
			params,
		):
			if item_group:
				self.cell(account, item_group).open_amount += flt(amount)
			else:
				self.open_without_group[account] += flt(amount)
		for account, amount in frappe.db.sql(
			f"""select o.kam_key_account, sum(o.base_opportunity_amount) from `tabOpportunity` o
			where {where} and not exists (select 1 from `tabOpportunity Item` oi
				where oi.parent = o.name and oi.parenttype = 'Opportunity')
			group by o.kam_key_account""",
			params,
		):
			self.open_without_group[account] += flt(amount)

	def summary(self, account: str) -> rules.Summary:
		"""The account's totals; the groups it has no cell in are White."""
		cells = self.cells[account]
		summary = rules.summarize(cells.values(), self.open_without_group.get(account, 0.0))
		summary.counts[rules.WHITE] += len(self.groups) - len(cells)
		return summary

	def row(self, account: str) -> dict:
		"""One account's whitespace as the profile panel and the plan's review show it."""
		summary = self.summary(account)
		return {
			"level": self.level,
			"from_date": str(self.before_start),
			"recent_from": str(self.recent_start),
			"to_date": str(self.end),
			"company": self.company,
			"currency": company_currency(self.company),
			"cells": [
				{
					"item_group": group,
					"recent": round(cell.recent, 2),
					"before": round(cell.before, 2),
					"open_amount": round(cell.open_amount, 2),
					"status": cell.status,
					"potential": round(cell.potential, 2),
				}
				for group in self.groups
				for cell in [self.cells[account].get(group) or rules.Cell()]
			],
			"open_without_group": round(self.open_without_group.get(account, 0.0), 2),
			"totals": {
				"recent": round(summary.recent, 2),
				"before": round(summary.before, 2),
				"open_amount": round(summary.open_amount, 2),
				"potential": round(summary.potential, 2),
				"counts": summary.counts,
			},
		}


def account_company(profile: dict) -> str | None:
	"""The company an account's figures are read in: the profile's, else the settings'."""
	from key_account_management.settings import get_settings

	return profile.get("company") or get_settings().company


def account_whitespace(profile) -> dict | None:
	"""One account's whitespace row (the profile panel, the plan's review), None without a company.
	The caller has checked that the user may read the account."""
	from key_account_management.whitespace.levels import current_level

	company = account_company(profile) if profile else None
	if not company:
		return None
	return Whitespace([profile["name"]], company, current_level()).row(profile["name"])
