"""The demo's account plans (docs/DOMAIN.md §10): one plan per key account of the demo for the current
fiscal year, some on track, some behind, some at risk.

Targets follow the account's own data, so that each plan has the status it is meant to have whenever
the demo is made: a plan is saved once with a provisional target, which gives what the period expects by
now of a target of one (the elapsed share, or last year's monthly shape); each target is then the actual
divided by the pace the plan should show (1.1 of what is expected by now is on track, 0.9 behind, 0.6 at
risk). Idempotent: an account that has a plan for the period keeps it.
"""

from __future__ import annotations

import math

import frappe
from frappe.utils import add_days, getdate, today

from key_account_management.core import plan as rules
from key_account_management.demo.data import COMPANY, PREFIX, SLIPPING
from key_account_management.plan.actuals import refresh

DOCTYPE = "Key Account Plan"
# what a target of PROVISIONAL expects by now, divided by PROVISIONAL, is the share of the period that
# counts so far (a percentage target may not exceed 100)
PROVISIONAL = 100.0
# the target of a measure whose account has no actual yet
NOTHING_YET = {
	rules.NET_REVENUE: 500_000,
	rules.GROSS_PROFIT: 150_000,
	rules.VISITS_COMPLETED: 4,
	rules.COVERAGE: 60,
}
GROW = "Grow the account's revenue and margin"
DEEPEN = "Deepen the relationship with the buying center"
MILESTONE = "Framework agreement for next year signed"
# pace of each measure: its actual against what is expected by now; None for a milestone means not done
SCENARIOS = {
	rules.ON_TRACK: {
		rules.NET_REVENUE: 1.1,
		rules.GROSS_PROFIT: 1.05,
		rules.VISITS_COMPLETED: 1.0,
		rules.COVERAGE: 1.0,
		rules.MILESTONE: True,
	},
	rules.BEHIND: {
		rules.NET_REVENUE: 0.9,
		rules.GROSS_PROFIT: 0.92,
		rules.VISITS_COMPLETED: 1.0,
		rules.COVERAGE: 0.9,
		rules.MILESTONE: False,
	},
	rules.AT_RISK: {
		rules.NET_REVENUE: 0.6,
		rules.GROSS_PROFIT: 0.65,
		rules.VISITS_COMPLETED: 0.5,
		rules.COVERAGE: 0.6,
		rules.MILESTONE: False,
	},
}
# the first eight demo accounts in turn (each manager gets every kind), then the slipping accounts
TURNS = (
	rules.BEHIND,
	rules.ON_TRACK,
	rules.ON_TRACK,
	rules.AT_RISK,
	rules.AT_RISK,
	rules.ON_TRACK,
	rules.ON_TRACK,
	rules.BEHIND,
)
STRATEGY = (
	"<p>Become the account's first supplier of motion control and automation: hold the share we have "
	"in servo motors, win the PLC retrofit of the second plant, and meet the chief engineer every "
	"quarter.</p>"
)


def make_plans(profiles: list[str]) -> int:
	"""Plans for the first accounts of ``profiles`` and the slipping accounts; returns how many were
	made. Every active plan's actuals are refreshed at the end."""
	period = current_period()
	if not period:
		return 0
	accounts = dict(zip(profiles, TURNS, strict=False))
	for name in SLIPPING:
		accounts[f"{PREFIX}{name}"] = rules.AT_RISK
	made = 0
	for account, scenario in accounts.items():
		if not frappe.db.exists("Key Account Profile", account) or has_plan(account, period):
			continue
		make_plan(account, period, scenario)
		made += 1
	refresh()
	frappe.db.commit()
	return made


def current_period() -> tuple[str, object, object] | None:
	"""The demo company's fiscal year that today falls in: (name, start, end)."""
	from erpnext.accounts.utils import get_fiscal_year

	try:
		name, start, end = get_fiscal_year(today(), company=COMPANY)[:3]
	except Exception:
		return None
	return name, getdate(start), getdate(end)


def has_plan(account: str, period: tuple) -> bool:
	"""A plan of the account over any part of the period, whatever its status (made by an earlier run, or
	by a user)."""
	_name, start, end = period
	return bool(
		frappe.db.exists(
			DOCTYPE, {"key_account": account, "period_start": ("<=", end), "period_end": (">=", start)}
		)
	)


def measures_of(account: str) -> list[str]:
	"""Four measures, five for an account whose buying center the demo drew."""
	kinds = [rules.NET_REVENUE, rules.GROSS_PROFIT, rules.VISITS_COMPLETED]
	if frappe.db.exists("Buying Center Role", {"key_account": account}):
		kinds.append(rules.COVERAGE)
	return [*kinds, rules.MILESTONE]


def make_plan(account: str, period: tuple, scenario: str) -> str:
	"""The plan, made by the account's manager, with targets set for ``scenario``."""
	fiscal_year, start, end = period
	rows = []
	for kind in measures_of(account):
		row = {
			"measure": kind,
			"objective": GROW if kind in (rules.NET_REVENUE, rules.GROSS_PROFIT) else DEEPEN,
		}
		if kind == rules.MILESTONE:
			row.update({"objective": DEEPEN, "evidence": MILESTONE})
		else:
			row["target"] = PROVISIONAL
		rows.append(row)
	manager = frappe.db.get_value("Key Account Profile", account, "account_manager")
	frappe.set_user(manager or "Administrator")
	try:
		doc = frappe.get_doc(
			{
				"doctype": DOCTYPE,
				"key_account": account,
				"fiscal_year": fiscal_year,
				"period_start": start,
				"period_end": end,
				"status": "Active",
				"strategy": STRATEGY,
				"objectives": [
					{"objective": GROW, "description": "Net revenue and gross profit over last year's."},
					{"objective": DEEPEN, "description": "Regular visits; every buying role covered."},
				],
				"measures": rows,
			}
		).insert()
		# the insert computed the provisional actuals: set the targets from them
		doc = frappe.get_doc(DOCTYPE, doc.name)
		for row in doc.measures:
			set_target(row, SCENARIOS[scenario][row.measure], start, end)
		doc.save()
	finally:
		frappe.set_user("Administrator")
	return doc.name


def set_target(row, pace, start, end) -> None:
	"""The target at which the row's actual is ``pace`` times what is expected by now."""
	if row.measure == rules.MILESTONE:
		if pace:
			row.done = 1
			row.done_date = min(add_days(start, 90), getdate(today()), end)
		return
	actual = row.actual or 0
	if row.measure in rules.CUMULATIVE:
		share = (row.expected or 0) / PROVISIONAL or 1.0
	else:
		share = 1.0  # a level: expected at its target all along
	if not actual:
		# nothing yet (an account that stopped buying, no visit this period): the usual target
		row.target = NOTHING_YET[row.measure]
		return
	target = actual / (pace * share)
	if pace >= 1 and row.measure in rules.CUMULATIVE and row.measure != rules.VISITS_COMPLETED:
		# on track, not yet achieved: late in the period the pace alone would put the target under the actual
		target = max(target, actual * 1.02)
	if row.measure == rules.VISITS_COMPLETED:
		# whole visits, rounded so that the pace stays on its side of "expected by now"
		target = max(math.floor(target) if pace >= 1 else math.ceil(target), 1)
	elif row.measure in rules.PERCENTAGES:
		target = min(max(round(target), 1), 100)
	else:
		target = max(round(target, -3), 1000)
	row.target = target
