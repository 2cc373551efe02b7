"""Permission rows on ERPNext's doctypes that the app's roles need for their daily work.

Installed by install.py (after_install and after_migrate), removed by before_uninstall. A row an admin
widened keeps the admin's extra rights: install only ever sets the rights listed here.
"""

from __future__ import annotations

import frappe
from frappe.permissions import setup_custom_perms

from key_account_management.access.roles import APP_ROLES, KEY_ACCOUNT_DIRECTOR, KEY_ACCOUNT_MANAGER
from key_account_management.commercial.doctypes import DOCUMENTS as COMMERCIAL_DOCUMENTS
from key_account_management.commercial.doctypes import RIGHTS as COMMERCIAL_RIGHTS

CONTACT_RIGHTS = ("read", "write", "create", "report", "print", "email")

# doctype -> role -> rights at permission level 0
GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
	# request company and currency, report filters, currency formatting
	"Company": {role: ("read",) for role in APP_ROLES},
	"Currency": {role: ("read",) for role in APP_ROLES},
	# reports and link fields name customers; the profile carries what a manager needs to know
	"Customer": {KEY_ACCOUNT_MANAGER: ("select",), KEY_ACCOUNT_DIRECTOR: ("select",)},
	# row-level: only those of the user's accounts (contacts.py)
	"Contact": {KEY_ACCOUNT_MANAGER: CONTACT_RIGHTS, KEY_ACCOUNT_DIRECTOR: CONTACT_RIGHTS},
	"Address": {KEY_ACCOUNT_MANAGER: CONTACT_RIGHTS, KEY_ACCOUNT_DIRECTOR: CONTACT_RIGHTS},
	# the account plan's period and its item-group measures
	"Fiscal Year": {KEY_ACCOUNT_MANAGER: ("select", "read"), KEY_ACCOUNT_DIRECTOR: ("select", "read")},
	"Item Group": {KEY_ACCOUNT_MANAGER: ("select", "read"), KEY_ACCOUNT_DIRECTOR: ("select", "read")},
	# the forms of the account's documents read these settings (rounding, stock UOM)
	**{
		settings: {KEY_ACCOUNT_MANAGER: ("read",), KEY_ACCOUNT_DIRECTOR: ("read",)}
		for settings in ("Accounts Settings", "Stock Settings", "Selling Settings")
	},
	# the account's documents, read-only, row-level: only those of the user's accounts (commercial/)
	**{
		doctype: {KEY_ACCOUNT_MANAGER: COMMERCIAL_RIGHTS, KEY_ACCOUNT_DIRECTOR: COMMERCIAL_RIGHTS}
		for doctype in COMMERCIAL_DOCUMENTS
	},
}
RIGHTS = ("select", "read", "write", "create", "delete", "report", "export", "print", "email", "share")
# the rights of a permission row that decide what it grants (for comparing with the standard rows)
ROW_KEYS = ("role", "permlevel", "if_owner", *RIGHTS, "submit", "cancel", "amend")


def install_permissions() -> None:
	for doctype, roles in GRANTS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		for role, rights in roles.items():
			grant(doctype, role, rights)
		frappe.clear_cache(doctype=doctype)


def grant(doctype: str, role: str, rights: tuple[str, ...]) -> None:
	"""Make sure ``role`` has ``rights`` on ``doctype`` (level 0, not only as owner)."""
	setup_custom_perms(doctype)
	key = {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0}
	name = frappe.db.get_value("Custom DocPerm", key)
	if name:
		missing = {right: 1 for right in rights if not frappe.db.get_value("Custom DocPerm", name, right)}
		if missing:
			frappe.db.set_value("Custom DocPerm", name, missing)
		return
	row = frappe.get_doc(
		{
			"doctype": "Custom DocPerm",
			"parent": doctype,
			"parenttype": "DocType",
			"parentfield": "permissions",
			**key,
			**{right: 0 for right in RIGHTS},
			**{right: 1 for right in rights},
		}
	)
	row.insert(ignore_permissions=True)


def remove_permissions() -> None:
	"""Remove every permission row of the app's roles on ERPNext's doctypes, and give a doctype back to
	its standard permissions when the rows left are just the copy Frappe made of them."""
	for doctype in GRANTS:
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": ("in", APP_ROLES)})
		if frappe.db.exists("DocType", doctype) and only_standard_rows_left(doctype):
			frappe.db.delete("Custom DocPerm", {"parent": doctype})
		frappe.clear_cache(doctype=doctype)


def only_standard_rows_left(doctype: str) -> bool:
	def rows(perm_doctype: str) -> list[tuple]:
		return sorted(
			tuple(row.get(key) or 0 for key in ROW_KEYS)
			for row in frappe.get_all(perm_doctype, filters={"parent": doctype}, fields=list(ROW_KEYS))
		)

	return rows("Custom DocPerm") == rows("DocPerm")
