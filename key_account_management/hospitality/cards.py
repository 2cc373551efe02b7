"""The hospitality number cards of the Key Accounts workspace, which no plain count can express
(docs/DOMAIN.md §6). Their paths before the app took one package per capability
(``key_account_management.dashboards.*``) resolve through moved_methods.py."""

from __future__ import annotations

import frappe
from frappe.utils import flt, getdate, today

from key_account_management.access.hierarchy import requester_superiors
from key_account_management.core.hospitality_flow import COMMITTED_STATES, LEVEL_OF_STATE, SETTLED
from key_account_management.hospitality.approvers import can_act_at_level
from key_account_management.hospitality.policy import get_account_budgets, get_policy


@frappe.whitelist()
@frappe.read_only()
def hospitality_pending_my_approval(filters=None) -> dict:
	"""Requests waiting at a level the current user may approve (not their own)."""
	user = frappe.session.user
	pending = frappe.get_list(
		"Hospitality Request",
		filters={"workflow_state": ("in", list(LEVEL_OF_STATE))},
		fields=["name", "workflow_state", "key_account", "requested_by", "owner"],
		# read from the index kam_pending alone (db_indexes.py): the default order, on modified, reads rows
		order_by="name",
		limit_page_length=0,
	)
	# the line above each requester waiting at Manager level, read once per requester rather than per request
	superiors = {
		requester: requester_superiors(requester)
		for requester in {
			row.requested_by or row.owner
			for row in pending
			if LEVEL_OF_STATE[row.workflow_state] == "Manager"
		}
	}
	mine = [
		row.name
		for row in pending
		if (row.requested_by or row.owner) != user
		and can_act_at_level(
			user,
			LEVEL_OF_STATE[row.workflow_state],
			row.requested_by or row.owner,
			superiors.get(row.requested_by or row.owner),
		)[0]
	]
	return {
		"value": len(mine),
		"fieldtype": "Int",
		"route": ["List", "Hospitality Request"],
		"route_options": {"name": ["in", mine]},
	}


@frappe.whitelist()
@frappe.read_only()
def hospitality_spend_vs_budget(filters=None) -> dict:
	"""This year's approved and settled hospitality of the key-account company, in its currency, against
	the yearly budgets of the accounts with spend.

	``value`` is the spend (so any desk shows a money figure); ``kam_currency``, ``kam_budget`` and
	``kam_percent`` let the app's number card show "spend of budget" in the company's currency
	(public/js/workspace_cards.js)."""
	from key_account_management.company import company_currency, default_company

	company = default_company()
	year = getdate(today()).year
	conditions = {
		"workflow_state": ("in", list(COMMITTED_STATES)),
		"planned_date": ("between", [f"{year}-01-01", f"{year}-12-31"]),
	}
	if company:
		# one company's money in one currency: amounts of different companies do not add up
		conditions["company"] = company
	spent = frappe.get_list(
		"Hospitality Request",
		filters=conditions,
		fields=[
			"customer",
			"company",
			"workflow_state",
			"conversion_rate",
			"approved_amount",
			"actual_amount",
		],
		# read from the index kam_committed_spend alone (db_indexes.py): not in the default order, on
		# modified, which reads every row
		order_by="planned_date",
		limit_page_length=0,
	)
	total_spent = sum(
		flt(row.conversion_rate or 1)
		* flt(row.actual_amount if row.workflow_state == SETTLED else row.approved_amount)
		for row in spent
	)
	policy = get_policy()
	accounts = {(row.customer, row.company) for row in spent}
	budgets = get_account_budgets(accounts, policy).values()
	total_budget = sum(flt(b) for b in budgets if b)
	result = {
		"value": flt(total_spent, 2),
		"fieldtype": "Currency",
		"kam_currency": company_currency(company),
		"route": ["query-report", "Hospitality Spend"],
		"route_options": {"company": company} if company else {},
	}
	if total_budget:
		result["kam_budget"] = flt(total_budget, 2)
		result["kam_percent"] = flt(total_spent / total_budget * 100, 1)
	return result
