"""The app's own word when the desk opens a key account the user is not on (docs/DOMAIN.md §1).

Frappe refuses such a form with its permission log ("Not allowed via controller permission check ...");
a manager is told instead why: they open the accounts they manage and those whose team they are on.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.desk.form import load

from key_account_management.access.html import bold

PROFILE = "Key Account Profile"


@frappe.whitelist()
def getdoc(doctype: str, name: str, user: str | None = None):
	"""Frappe's form load (``frappe.desk.form.load.getdoc``); a profile the user may not read is refused
	with the app's message, which names nothing of the account but the name the user asked for."""
	if doctype == PROFILE and name and frappe.db.exists(PROFILE, name):
		if not frappe.get_doc(PROFILE, name).has_permission("read"):
			frappe.clear_messages()
			frappe.throw(
				_(
					"You cannot open {0}: a Key Account Manager opens the accounts they manage and those "
					"whose account team they are on. Its account manager or a Key Account Director can add "
					"you to the account team."
				).format(bold(name)),
				frappe.PermissionError,
				title=_("Not your account"),
			)
	return load.getdoc(doctype, name, user)
