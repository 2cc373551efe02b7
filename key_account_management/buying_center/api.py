"""The buying center's whitelisted reads for the desk: one account's chart and coverage (the profile
form), one contact's roles (the Contact form) (docs/DOMAIN.md §4)."""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management.buying_center.members import members_by_account
from key_account_management.core.buying_center import coverage, org_chart


@frappe.whitelist()
@frappe.read_only()
def get_buying_center(key_account: str) -> dict:
	"""Chart and coverage of one account, for the profile form."""
	if not isinstance(key_account, str) or not key_account:
		frappe.throw(_("key_account must be the name of a Key Account Profile."))
	frappe.get_doc("Key Account Profile", key_account).check_permission("read")
	members = members_by_account([key_account]).get(key_account, [])
	result = coverage(members)
	return {
		"chart": org_chart(members),
		"coverage": {
			"covered": result.covered,
			"coverage_percent": result.coverage_percent,
			"insider_present": result.insider_present,
			"support_score": result.support_score,
			"support_ratio": result.support_ratio,
			"flags": result.flags,
		},
	}


@frappe.whitelist()
@frappe.read_only()
def get_contact_roles(contact: str) -> list[dict]:
	"""The buying-center roles a contact holds, for the Contact form."""
	if not isinstance(contact, str) or not contact:
		frappe.throw(_("contact must be the name of a Contact."))
	frappe.get_doc("Contact", contact).check_permission("read")
	return frappe.get_list(
		"Buying Center Role",
		filters={"contact": contact},
		fields=[
			"name",
			"key_account",
			"customer",
			"buying_role",
			"attitude",
			"influence",
			"is_insider",
			"status",
		],
		order_by="key_account",
	)
