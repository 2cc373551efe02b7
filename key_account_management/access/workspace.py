"""Who sees which number card of the Key Accounts workspace.

Frappe shows a number card to everyone who has any permission row on its document type, the bare
"select" included: a Hospitality Approver (who may select Key Account Profiles for the request's link)
would see the account cards, counted over no account of theirs. Charts carry their roles in their own
definition (Dashboard Chart "roles"); number cards have no such field in Frappe 15, hence this hook.
"""

from __future__ import annotations

import frappe

from key_account_management.access.roles import (
	HOSPITALITY_APPROVER,
	KEY_ACCOUNT_DIRECTOR,
	KEY_ACCOUNT_MANAGER,
	SYSTEM_MANAGER,
)

ACCOUNT_ROLES = frozenset({KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR})
HOSPITALITY_ROLES = ACCOUNT_ROLES | {HOSPITALITY_APPROVER}

CARD_ROLES: dict[str, frozenset[str]] = {
	"A Accounts": ACCOUNT_ROLES,
	"Accounts at Risk": ACCOUNT_ROLES,
	"Plans Behind Target": ACCOUNT_ROLES,
	"Visits Overdue": ACCOUNT_ROLES,
	"Follow-ups Overdue": ACCOUNT_ROLES,
	"Hospitality Pending My Approval": HOSPITALITY_ROLES,
	"Hospitality Spend vs Budget": HOSPITALITY_ROLES,
}


def number_card_has_permission(doc, ptype=None, user=None) -> bool | None:
	"""Deny the app's cards to users without one of the card's roles; leave every other card alone."""
	roles = CARD_ROLES.get(doc.get("name"))
	if roles is None or doc.get("module") != "Key Account Management":
		return None
	user = user or frappe.session.user
	user_roles = set(frappe.get_roles(user))
	if user == "Administrator" or SYSTEM_MANAGER in user_roles or user_roles & roles:
		return None
	return False


WIDGET_DOCTYPES = ("Number Card", "Dashboard Chart")


@frappe.whitelist()
@frappe.read_only()
def widget_docs(names: str | list) -> list:
	"""The workspace's number cards and charts in one request, where the desk asks for each in its own
	(``frappe.desk.form.load.getdoc``): the ones the user may read, as that method gives them; a card or
	chart left out is asked for on its own, and refused as before."""
	pairs = frappe.parse_json(names) if isinstance(names, str) else names
	docs = []
	for pair in (pairs or [])[:50]:
		if not isinstance(pair, list | tuple) or len(pair) != 2 or pair[0] not in WIDGET_DOCTYPES:
			continue
		doctype, name = pair
		if not isinstance(name, str) or not frappe.db.exists(doctype, name):
			continue
		doc = frappe.get_doc(doctype, name)
		if doc.has_permission("read"):
			doc.apply_fieldlevel_read_permissions()
			docs.append(doc)
	frappe.clear_messages()
	return docs
