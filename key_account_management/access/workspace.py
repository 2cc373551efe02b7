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
