"""Every active plan's actuals, set-based (docs/DOMAIN.md §10).

One read per source for all the plans at once — the monthly rollups (net revenue, gross profit, item
groups bought, last year's monthly shape), the item group rollups of the item groups that measures name, won
opportunities, completed visits, the profiles' levels (share of wallet, coverage, health) — then each
measure's actual, expected-by-now, progress and status, written in a few batched statements."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import frappe
from frappe.utils import getdate, now_datetime, today

from key_account_management.core import plan as rules
from key_account_management.core.periods import add_months, month_start
from key_account_management.db_utils import bulk_update, chunks
from key_account_management.groups.members import group_customers
from key_account_management.whitespace.rollup import monthly as item_group_months

ACTIVE = "Active"
# worst first: a plan takes the status of its worst measure
SEVERITY = {rules.AT_RISK: 0, rules.BEHIND: 1, rules.ON_TRACK: 2, rules.ACHIEVED: 3}


def refresh(plan_names: list[str] | None = None, as_of: date | str | None = None) -> int:
	"""Recompute the actuals of the named plans (all active plans without names); returns how many.
	Only the measure rows whose figures moved are written (most do not from one night to the next);
	every plan gets its refresh time."""
	stored: dict[str, dict] = {}
	measure_updates, plan_updates = compute(plan_names, as_of, stored)
	moved = {name: values for name, values in measure_updates.items() if moved_from(stored.get(name), values)}
	bulk_update("Key Account Plan Measure", moved)
	bulk_update("Key Account Plan", plan_updates)
	return len(plan_updates)


MEASURE_FIGURES = ("actual", "expected", "progress", "measure_status")


def moved_from(stored: dict | None, values: dict) -> bool:
	"""Whether a measure row's computed figures differ from what it holds (amounts to the cent)."""
	if stored is None:
		return True
	for field, value in values.items():
		held = stored.get(field)
		if isinstance(value, int | float) and not isinstance(value, bool):
			if held is None or abs(float(held) - float(value)) >= 0.005:
				return True
		elif (held or None) != (value or None):
			return True
	return False


def refresh_document(doc) -> None:
	"""Recompute a saved plan's actuals, write them, and set them on ``doc`` too, so that the form that
	saved it shows them at once (the batched statements write the rows, not the document in memory)."""
	measure_updates, plan_updates = compute([doc.name])
	bulk_update("Key Account Plan Measure", measure_updates)
	bulk_update("Key Account Plan", plan_updates)
	doc.update(plan_updates.get(doc.name, {}))
	for row in doc.measures:
		row.update(measure_updates.get(row.name, {}))


def compute(
	plan_names: list[str] | None = None, as_of: date | str | None = None, stored: dict | None = None
) -> tuple[dict, dict]:
	"""(measure row -> its actual, expected, progress and status; plan -> its status, measures behind and
	refresh time) for the named plans, all active plans without names. ``stored``, when given, gets
	each measure row's figures as they are held now."""
	as_of = getdate(as_of or today())
	plans = load_plans(plan_names)
	if not plans:
		return {}, {}
	measures = load_measures(list(plans))
	if stored is not None:
		stored.update(
			{row.name: {f: row.get(f) for f in MEASURE_FIGURES} for rows in measures.values() for row in rows}
		)
	facts = Facts(plans, measures, as_of)
	measure_updates, plan_updates = {}, {}
	stamp = now_datetime()
	for plan_name, plan in plans.items():
		statuses = []
		for row in measures.get(plan_name, ()):
			values = evaluate(row, plan, facts, as_of)
			measure_updates[row.name] = values
			statuses.append(values["measure_status"])
		plan_updates[plan_name] = {
			"plan_status": min(statuses, key=SEVERITY.get) if statuses else None,
			"measures_behind": sum(status in (rules.BEHIND, rules.AT_RISK) for status in statuses),
			"refreshed_on": stamp,
		}
	return measure_updates, plan_updates


def load_plans(plan_names: list[str] | None) -> dict[str, frappe._dict]:
	fields = "name, key_account, customer, company, period_start, period_end"
	if plan_names is None:
		rows = frappe.db.sql(
			f"select {fields} from `tabKey Account Plan` where status = %s", (ACTIVE,), as_dict=True
		)
	else:
		rows = []
		for chunk in chunks(list(plan_names), 1000):
			rows += frappe.db.sql(
				f"select {fields} from `tabKey Account Plan` where name in %(names)s",
				{"names": tuple(chunk)},
				as_dict=True,
			)
	return {row.name: row for row in rows if row.period_start and row.period_end}


def load_measures(plan_names: list[str]) -> dict[str, list]:
	measures = defaultdict(list)
	for chunk in chunks(plan_names, 1000):
		for row in frappe.db.sql(
			"""select name, parent, measure, item_group, target, done, done_date,
				actual, expected, progress, measure_status
			from `tabKey Account Plan Measure`
			where parenttype = 'Key Account Plan' and parent in %(plans)s order by parent, idx""",
			{"plans": tuple(chunk)},
			as_dict=True,
		):
			measures[row.parent].append(row)
	return measures


def evaluate(row, plan, facts: Facts, as_of: date) -> dict:
	start, end = getdate(plan.period_start), getdate(plan.period_end)
	target = row.target or 0
	if row.measure == rules.MILESTONE:
		done = bool(row.done)
		actual, expected = (1.0 if done else 0.0), 1.0
		status = rules.status(actual, 1.0, 0.0 if as_of <= end else 1.0, done=done, period_over=as_of > end)
		return {
			"actual": actual,
			"expected": expected,
			"progress": 100.0 if done else 0.0,
			"measure_status": status,
		}
	actual = facts.actual(row, plan, start, min(as_of, end))
	expected = rules.expected_by_now(
		row.measure, target, start, end, as_of, facts.last_year_shape(row.measure, plan, start)
	)
	return {
		"actual": round(actual, 2),
		"expected": round(expected, 2),
		"progress": rules.progress_percent(actual, target),
		"measure_status": rules.status(actual, target, expected, period_over=as_of > end),
	}


class Facts:
	"""What the measures of many plans count, read once per source."""

	def __init__(self, plans: dict, measures: dict, as_of: date):
		# a group account's plan counts all its customers (docs/DOMAIN.md §13)
		self.covered = group_customers({plan.key_account for plan in plans.values()})
		# a plan counts its customers' rows in its own company: the rollups are read company by company,
		# which their (company, customer, month) index answers (by customer alone MariaDB read the table)
		self.by_company: dict[str, set[str]] = defaultdict(set)
		for plan in plans.values():
			if plan.company:
				self.by_company[plan.company].update(self.covered.get(plan.key_account) or [plan.customer])
		self.accounts = tuple(plans[name].key_account for name in plans) or ("",)
		starts = [getdate(plan.period_start) for plan in plans.values()]
		self.earliest = add_months(month_start(min(starts)), -12)
		self.as_of = as_of
		kinds = {row.measure for rows in measures.values() for row in rows}
		self.monthly = self.read_rollups() if kinds & ROLLUP_MEASURES else {}
		self.first_month = self.read_first_months() if kinds & SHAPED_MEASURES else {}
		groups = {row.item_group for rows in measures.values() for row in rows if row.item_group}
		self.group_revenue = self.read_item_group_revenue(groups) if groups else {}
		self.won = self.read_won() if rules.WON_OPPORTUNITIES in kinds else {}
		self.visits = self.read_visits() if rules.VISITS_COMPLETED in kinds else {}
		self.levels = self.read_levels() if kinds & LEVEL_MEASURES.keys() else {}

	def read_rollups(self) -> dict:
		"""(customer, company) -> [(month, net revenue, gross profit, item groups)]."""
		monthly = defaultdict(list)
		for company, chunk in self.company_chunks():
			for customer, month, revenue, profit, groups in frappe.db.sql(
				"""select customer, month, net_revenue, gross_profit, item_groups
				from `tabKey Account Monthly Rollup`
				where company = %(company)s and customer in %(customers)s
					and month between %(start)s and %(end)s""",
				{"company": company, "customers": chunk, "start": self.earliest, "end": self.as_of},
			):
				monthly[(customer, company)].append((getdate(month), revenue or 0, profit or 0, groups or ""))
		return monthly

	def company_chunks(self):
		"""(company, a thousand of the customers its plans count) at a time."""
		for company, customers in sorted(self.by_company.items()):
			for chunk in chunks(sorted(c for c in customers if c), 1000):
				yield company, tuple(chunk)

	def read_first_months(self) -> dict:
		"""(customer, company) -> the first month of its rollups: whether it has a year of history."""
		first = {}
		for company, chunk in self.company_chunks():
			for customer, month in frappe.db.sql(
				"""select customer, min(month) from `tabKey Account Monthly Rollup`
				where company = %(company)s and customer in %(customers)s group by customer""",
				{"company": company, "customers": chunk},
			):
				first[(customer, company)] = getdate(month)
		return first

	def read_item_group_revenue(self, groups: set[str]) -> dict:
		"""(customer, company, item group named by a measure) -> [(month, net amount)], the group's
		descendants included (the item group tree)."""
		members = {}
		for group in groups:
			lft, rgt = frappe.db.get_value("Item Group", group, ["lft", "rgt"]) or (0, 0)
			for child in frappe.get_all(
				"Item Group", filters={"lft": (">=", lft), "rgt": ("<=", rgt)}, pluck="name"
			):
				members.setdefault(child, set()).add(group)
		revenue = defaultdict(list)
		if not members:
			return revenue
		# the item group rollups (whitespace/rollup.py), not the invoice rows: whole months
		for company, customers in sorted(self.by_company.items()):
			found = item_group_months(
				company, [c for c in customers if c], self.earliest, self.as_of, list(members)
			)
			for (customer, _company, item_group), entries in found.items():
				for group in members.get(item_group, ()):
					revenue[(customer, company, group)].extend(entries)
		return revenue

	def read_won(self) -> dict:
		"""key account -> [(date won, amount in the company's currency)]: converted opportunities, dated
		by their expected closing (the opportunity's date where none is set)."""
		won = defaultdict(list)
		for account, won_on, amount in frappe.db.sql(
			"""select kam_key_account, ifnull(expected_closing, transaction_date), base_opportunity_amount
			from `tabOpportunity` where status = 'Converted' and kam_key_account in %(accounts)s""",
			{"accounts": self.accounts},
		):
			if won_on:
				won[account].append((getdate(won_on), amount or 0))
		return won

	def read_visits(self) -> dict:
		visits = defaultdict(list)
		for account, visit_date in frappe.db.sql(
			"""select key_account, visit_date from `tabVisit Record`
			where status = 'Completed' and docstatus < 2 and key_account in %(accounts)s""",
			{"accounts": self.accounts},
		):
			if visit_date:
				visits[account].append(getdate(visit_date))
		return visits

	def read_levels(self) -> dict:
		return {
			row.name: row
			for row in frappe.db.sql(
				"""select name, share_of_wallet, coverage_percent, health_score
				from `tabKey Account Profile` where name in %(accounts)s""",
				{"accounts": self.accounts},
				as_dict=True,
			)
		}

	def actual(self, row, plan, start: date, until: date) -> float:
		measure = row.measure
		if measure in LEVEL_MEASURES:
			level = self.levels.get(plan.key_account)
			return float((level or {}).get(LEVEL_MEASURES[measure]) or 0)
		# the period's first month once, not per entry: with thousands of plans the date helpers were
		# half the refresh (benchmarks/account_plans.py)
		first = month_start(start)
		if measure in ROLLUP_MEASURES:
			months = [entry for entry in self.entries(self.monthly, plan) if first <= entry[0] <= until]
			if measure == rules.NET_REVENUE:
				return float(sum(entry[1] for entry in months))
			if measure == rules.GROSS_PROFIT:
				return float(sum(entry[2] for entry in months))
			return float(len({group for entry in months for group in entry[3].split("\n") if group}))
		if measure == rules.ITEM_GROUP_REVENUE:
			entries = self.entries(self.group_revenue, plan, row.item_group)
			return float(sum(amount for month, amount in entries if first <= month <= until))
		if measure == rules.WON_OPPORTUNITIES:
			return float(
				sum(amount for day, amount in self.won.get(plan.key_account, ()) if start <= day <= until)
			)
		if measure == rules.VISITS_COMPLETED:
			return float(sum(1 for day in self.visits.get(plan.key_account, ()) if start <= day <= until))
		return 0.0

	def account_customers(self, plan) -> list[str]:
		return self.covered.get(plan.key_account) or [plan.customer]

	def entries(self, source: dict, plan, *key) -> list:
		"""The rows of every customer the plan's account covers (its own for an account not a group)."""
		customers = self.account_customers(plan)
		if len(customers) == 1:
			return source.get((customers[0], plan.company, *key), ())
		return [entry for c in customers for entry in source.get((c, plan.company, *key), ())]

	def last_year_shape(self, measure: str, plan, start: date) -> list[float] | None:
		"""Last year's twelve months of the measure, for expected-by-now to follow the account's season;
		None where the account's history does not reach back a whole year (a part of a year is no shape)."""
		column = {rules.NET_REVENUE: 1, rules.GROSS_PROFIT: 2}.get(measure)
		if column is None:
			return None
		firsts = [self.first_month.get((c, plan.company)) for c in self.account_customers(plan)]
		firsts = [first for first in firsts if first]
		if not rules.has_a_year_of_history(min(firsts) if firsts else None, start):
			return None
		by_month = defaultdict(float)
		for entry in self.entries(self.monthly, plan):
			by_month[entry[0]] += float(entry[column] or 0)
		first = add_months(month_start(start), -12)
		return [float(by_month.get(add_months(first, offset), 0)) for offset in range(12)]


ROLLUP_MEASURES = frozenset({rules.NET_REVENUE, rules.GROSS_PROFIT, rules.ITEM_GROUPS_BOUGHT})
# the measures whose expected-by-now follows last year's monthly shape
SHAPED_MEASURES = frozenset({rules.NET_REVENUE, rules.GROSS_PROFIT})
LEVEL_MEASURES = {
	rules.SHARE_OF_WALLET: "share_of_wallet",
	rules.COVERAGE: "coverage_percent",
	rules.HEALTH_SCORE: "health_score",
}
