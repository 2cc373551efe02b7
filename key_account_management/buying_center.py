"""Frappe side of the buying center: read the roles, ask the core, write coverage back."""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management.core.buying_center import Member, coverage, org_chart


def members_by_account(accounts: list[str] | None = None) -> dict[str, list[Member]]:
	"""All roles of the given accounts (or every account) in one query.

	Plain rows rather than the ORM's dicts: the daily job reads every account's roles, and building a
	dict per row cost more than the query."""
	condition, values = "", {}
	if accounts:
		condition, values = "where key_account in %(accounts)s", {"accounts": tuple(accounts)}
	grouped: dict[str, list[Member]] = {}
	for (
		name,
		key_account,
		contact,
		contact_name,
		buying_role,
		influence,
		attitude,
		is_insider,
		status,
		reports_to,
	) in frappe.db.sql(
		f"""select name, key_account, contact, contact_name, buying_role, influence, attitude, is_insider,
			status, reports_to
		from `tabBuying Center Role` {condition} order by creation""",
		values,
	):
		grouped.setdefault(key_account, []).append(
			Member(
				name,
				contact,
				buying_role,
				influence,
				attitude,
				bool(is_insider),
				status != "Left the Company",
				reports_to,
				contact_name or contact,
			)
		)
	return grouped


def refresh_profile_coverage(key_account: str) -> None:
	result = coverage(members_by_account([key_account]).get(key_account, []))
	frappe.db.set_value(
		"Key Account Profile",
		key_account,
		{
			"coverage_percent": result.coverage_percent,
			"support_score": result.support_score,
			"buying_center_flags": "\n".join(result.flags),
		},
		update_modified=False,
	)


@frappe.whitelist()
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
