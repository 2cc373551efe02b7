"""The profile's whitespace panel (docs/DOMAIN.md §11): the account's own row, for those who may
read the profile."""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management.whitespace.cells import account_whitespace


@frappe.whitelist()
@frappe.read_only()
def get_account_whitespace(key_account: str) -> dict:
	"""The account's cells per item group at the settings' level, with its totals."""
	if not isinstance(key_account, str) or not key_account:
		frappe.throw(_("key_account must be the name of a Key Account Profile."))
	frappe.has_permission("Key Account Profile", "read", doc=key_account, throw=True)
	profile = frappe.db.get_value("Key Account Profile", key_account, ["name", "company"], as_dict=True)
	if not profile:
		frappe.throw(
			_("Key Account Profile {0} does not exist.").format(
				frappe.bold(frappe.utils.escape_html(key_account))
			),
			frappe.DoesNotExistError,
		)
	return account_whitespace(profile) or {"no_company": True}
