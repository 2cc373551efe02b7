"""A hospitality request's own values, for its controller (docs/DOMAIN.md §6, policy and limits).

Each function takes the Hospitality Request document: the key account's customer, company and currency
filled in, a draft's amounts, recipients and participants checked, the policy's verdict (officials,
buying-center roles, limit checks, approval levels) written on it, and the settlement's figures.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, getdate, today

from key_account_management.access.html import bold
from key_account_management.access.rules import visible_customers
from key_account_management.core import hospitality as core
from key_account_management.core.hospitality_flow import DRAFT
from key_account_management.hospitality.policy import Policy, evaluate, get_policy, limit_check_rows
from key_account_management.messages import translate


def set_missing_values(doc) -> None:
	"""The requester's name; the key account's customer and manager; the company (the account's) and its
	currency; the rate."""
	if doc.requested_by and not doc.requested_by_name:
		# requested_by is set in before_insert, after Frappe fetched the link's fields: the list shows the name
		doc.requested_by_name = frappe.db.get_value("User", doc.requested_by, "full_name")
	if doc.key_account:
		profile = frappe.db.get_value(
			"Key Account Profile",
			doc.key_account,
			["customer", "customer_name", "account_manager", "company"],
			as_dict=True,
		)
		if not profile:
			frappe.throw(
				_("Key Account {0} does not exist; pick a Key Account Profile.").format(bold(doc.key_account))
			)
		doc.customer, doc.customer_name, doc.account_manager = (
			profile.customer,
			profile.customer_name,
			profile.account_manager,
		)
		if (
			doc.is_new()
			and profile.company
			and doc.company != profile.company
			and doc.company == frappe.defaults.get_user_default("Company")
		):
			# ERPNext's default company was filled in, not chosen: the key account's company it is
			doc.company, doc.currency = profile.company, None
	if not doc.company:
		# the key account's company (its profile's, else the settings')
		from key_account_management.company import account_company

		doc.company = account_company(doc.key_account)
	if not doc.company:
		frappe.throw(_("Company is required: set it here or in Key Account Settings."))
	doc.company_currency = frappe.get_cached_value("Company", doc.company, "default_currency")
	if (
		doc.is_new()
		and doc.currency != doc.company_currency
		and doc.currency == frappe.defaults.get_user_default("Currency")
		and flt(doc.conversion_rate) in (0, 1)
	):
		# ERPNext's default currency at rate 1 was filled in, not chosen: the company's it is
		doc.currency = None
	doc.currency = doc.currency or doc.company_currency
	if doc.currency == doc.company_currency:
		doc.conversion_rate = 1
	if flt(doc.conversion_rate) <= 0:
		frappe.throw(
			_("Exchange Rate to Company Currency must be greater than zero (from {0} to {1}).").format(
				doc.currency, doc.company_currency
			)
		)
	for row in doc.recipients:
		row.currency = doc.currency
	for row in doc.limit_checks:
		row.company_currency = doc.company_currency


def throw_problems(doc, date_written: bool, breaks_limit: bool, title: str) -> None:
	"""The request's amounts, recipients, planned date and justification checked by the rules
	(core/hospitality.py); every problem in one message, in the user's language."""
	problems = core.validate_request(
		doc.estimated_amount,
		[(row.contact, row.amount) for row in doc.recipients],
		doc.planned_date,
		today(),
		is_new=date_written,
		justification=doc.justification,
		breaks_limit=breaks_limit,
	)
	if problems:
		frappe.throw("<br>".join(translate(problem) for problem in problems), title=title)


def validate_draft(doc, date_written: bool) -> None:
	"""A request being written: amounts, recipients of the account's customer, planned date.

	A planned date being written (``date_written``: a new request, or a changed date) cannot be in the
	past; a draft whose unchanged date has passed since can still be saved, so it can be corrected or
	completed first: submitting it for approval needs the date ahead again."""
	throw_problems(doc, date_written, breaks_limit=False, title=_("Invalid Request"))
	if (
		doc.planned_date
		and getdate(doc.planned_date) < getdate(today())
		and (doc.workflow_state or DRAFT) == DRAFT
	):
		frappe.msgprint(
			_(
				"The planned date {0} has passed: move it to the day of the event before submitting the request for approval."
			).format(frappe.format(doc.planned_date, {"fieldtype": "Date"})),
			indicator="orange",
			alert=True,
		)
	validate_recipients(doc)
	users = [row.user for row in doc.participants]
	if len(users) != len(set(users)):
		frappe.throw(_("A participant is listed more than once; keep one row per person."))


def validate_recipients(doc) -> None:
	"""Every recipient is a contact of the request's customer."""
	contacts = [row.contact for row in doc.recipients]
	links = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "parent": ("in", contacts), "link_doctype": "Customer"},
		fields=["parent", "link_name"],
	)
	customers_of: dict[str, set[str]] = {}
	for link in links:
		customers_of.setdefault(link.parent, set()).add(link.link_name)
	for row in doc.recipients:
		if doc.customer not in customers_of.get(row.contact, set()):
			# name only the other customers the user works on or may read
			others = ", ".join(sorted(visible_customers(customers_of.get(row.contact, set()))))
			frappe.throw(
				_(
					"Row {0}: recipient {1} is not a contact of customer {2}{3}. Pick a contact of {2}, or link the contact to it first."
				).format(
					row.idx,
					bold(row.contact_name or row.contact),
					bold(doc.customer),
					_(" (it belongs to {0})").format(bold(others)) if others else "",
				),
				title=_("Recipient of Another Customer"),
			)


def refresh_policy(doc) -> frappe._dict:
	"""Officials, buying-center roles, limit checks and approval levels, from the current data."""
	result = evaluate(doc)
	roles: dict[str, list[str]] = {}
	for role in frappe.get_all(
		"Buying Center Role",
		filters={
			"key_account": doc.key_account,
			"contact": ("in", [r.contact for r in doc.recipients]),
		},
		fields=["contact", "buying_role"],
		order_by="buying_role",
	):
		roles.setdefault(role.contact, []).append(_(role.buying_role))
	names = {}
	for row in doc.recipients:
		row.is_official = int(row.contact in result.officials)
		row.buying_role = ", ".join(roles.get(row.contact, []))
		row.contact_name = row.contact_name or frappe.db.get_value("Contact", row.contact, "full_name")
		names[row.contact] = row.contact_name or row.contact
	doc.any_official = int(result.any_official)
	doc.base_estimated_amount = flt(doc.estimated_amount) * flt(doc.conversion_rate)
	set_limit_checks(doc, result, names)
	return result


def refresh_limits_for_actual(doc, policy: Policy) -> frappe._dict:
	"""The limit checks and approval levels of the actual amount (a settlement above the tolerance)."""
	result = evaluate(doc, amount=flt(doc.actual_amount), policy=policy)
	names = {row.contact: row.contact_name or row.contact for row in doc.recipients}
	set_limit_checks(doc, result, names)
	return result


def set_limit_checks(doc, result: frappe._dict, names: dict[str, str]) -> None:
	"""The verdict on the request: limit checks, levels that sign (and, for the approval trail when it
	is submitted, the levels its requester's rank skips)."""
	doc.flags.skipped_levels = result.skipped
	doc.breaks_limit = int(result.breaks_limit)
	doc.approval_route = ", ".join(result.route)
	doc.set("limit_checks", [])
	for row in limit_check_rows(result.checks, names):
		doc.append("limit_checks", {**row, "company_currency": doc.company_currency})


def validate_settlement_values(doc) -> None:
	"""The actual amount and receipt of an approved request whose event has happened."""
	policy = get_policy()
	state = doc.get_doc_before_save().workflow_state if not doc.is_new() else doc.workflow_state
	problems = core.validate_settlement(
		state, doc.actual_amount, bool(doc.receipt), policy.receipt_required_above
	)
	if doc.planned_date and getdate(doc.planned_date) > getdate(today()):
		problems.append(
			_("The actual amount is recorded after the event, which is planned on {0}.").format(
				frappe.format(doc.planned_date, {"fieldtype": "Date"})
			)
		)
	if problems:
		frappe.throw("<br>".join(translate(problem) for problem in problems), title=_("Cannot Settle"))


def set_settlement_values(doc) -> None:
	"""The actual amount in company currency, its variance from the estimate, each recipient's share."""
	if flt(doc.actual_amount) > 0:
		doc.base_actual_amount = flt(doc.actual_amount) * flt(doc.conversion_rate)
		doc.variance_amount, percent = core.variance(doc.estimated_amount, doc.actual_amount)
		doc.variance_percent = percent
		estimate = flt(doc.estimated_amount)
		for row in doc.recipients:
			row.actual_amount = flt(row.amount) * flt(doc.actual_amount) / estimate if estimate else None
	else:
		doc.base_actual_amount = doc.variance_amount = doc.variance_percent = None
