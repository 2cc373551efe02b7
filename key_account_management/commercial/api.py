"""The profile's Commercial tab (docs/DOMAIN.md §12): one read of the account's commercial position."""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management.commercial.doctypes import DOCUMENTS
from key_account_management.commercial.position import position
from key_account_management.company import account_company, company_currency
from key_account_management.groups.members import customers_of


@frappe.whitelist()
@frappe.read_only()
def get_commercial_position(key_account: str) -> dict:
	"""Credit limit, receivables, overdue, open orders and the last twelve months of the account, in its
	company's currency, for a user who may read its profile; with the account's documents the user may
	open (each doctype with its list filters)."""
	if not isinstance(key_account, str) or not key_account:
		frappe.throw(_("Key Account must be the name of a Key Account Profile."), title=_("Key Account"))
	frappe.has_permission("Key Account Profile", "read", doc=key_account, throw=True)
	company = account_company(key_account)
	customers = customers_of(key_account)
	figures = position(customers, company) if company else {}
	return {
		"company": company,
		"currency": company_currency(company),
		"customers": customers,
		**figures,
		"documents": documents(customers),
	}


def documents(customers: list[str]) -> list[dict]:
	"""The account's document types the user may open, with the filters of their list."""
	found = []
	for doctype, (field, party_type) in DOCUMENTS.items():
		if not customers or not frappe.has_permission(doctype, "read"):
			continue
		filters = {field: ("in", customers)}
		if party_type:
			filters[party_type[0]] = party_type[1]
		found.append({"doctype": doctype, "filters": filters})
	return found
