"""What the app's script reports share."""

from __future__ import annotations

import frappe
from frappe import _


class ScriptReport:
	"""A script report over the filters the desk sends (a dict, or None)."""

	def __init__(self, filters=None):
		self.filters = frappe._dict(filters or {})


def list_profiles(filters: dict, fields: list[str]) -> list[frappe._dict]:
	"""The Key Account Profiles the user may see, narrowed by the reports' manager and class filters.

	Through frappe.get_list, so row-level access applies to every report that starts from profiles."""
	conditions = {
		fieldname: filters.get(fieldname)
		for fieldname in ("account_manager", "abc_class")
		if filters.get(fieldname)
	}
	return frappe.get_list(
		"Key Account Profile", filters=conditions, fields=fields, order_by="name", limit_page_length=0
	)


def column(fieldname: str, label: str, fieldtype: str = "Data", width: int = 120, **extra) -> dict:
	"""A script report column. ``label`` comes translated: its ``_()`` literal stays at the call site, where
	the translation extraction reads it. ``extra``: options, precision."""
	return {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, **extra, "width": width}


def account_columns(key_width: int = 160, name_width: int = 180) -> list[dict]:
	"""The key account, customer name, account manager and class columns that open the account reports."""
	return [
		column("key_account", _("Key Account"), "Link", key_width, options="Key Account Profile"),
		column("customer_name", _("Customer Name"), width=name_width),
		column("account_manager", _("Account Manager"), "Link", 150, options="User"),
		column("abc_class", _("Class"), width=60),
	]
