"""What the app's script reports share."""

from __future__ import annotations

import frappe


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
