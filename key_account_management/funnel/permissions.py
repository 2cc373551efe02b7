"""Row-level access on ERPNext's Opportunity: a Key Account Manager works only on their accounts'.

Registered in hooks.py as permission_query_conditions (lists, reports, link search, number cards and
charts, REST) and has_permission (forms and single-document API) for Opportunity.

Only users who reach Opportunity through the Key Account Manager role alone are restricted: ERPNext
lets a Sales User or Sales Manager see every opportunity, and a user who also holds one of those roles
(or is a Director or System Manager) keeps that. A restricted manager sees the opportunities whose Key
Account is one they manage or are on the team of; an opportunity of no key account is not theirs.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.permissions import get_doctype_roles

from key_account_management.access.records import accounts_subquery, is_new, is_unrestricted, user_accounts
from key_account_management.access.roles import KEY_ACCOUNT_MANAGER

DOCTYPE = "Opportunity"
MANAGER_ROLE = KEY_ACCOUNT_MANAGER


def is_restricted(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_unrestricted(user):
		return False
	roles = set(frappe.get_roles(user))
	if MANAGER_ROLE not in roles:
		return False
	other_readers = set(get_doctype_roles(DOCTYPE, "read")) - {MANAGER_ROLE}
	return not roles & other_readers


def opportunity_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_restricted(user):
		return ""
	return f"`tabOpportunity`.`kam_key_account` in {accounts_subquery(user)}"


def opportunity_has_permission(doc, ptype=None, user=None) -> bool | None:
	user = user or frappe.session.user
	if not is_restricted(user):
		return None
	account = doc.get("kam_key_account")
	if not account:
		# a blank new form: saving it needs one of the manager's accounts (checked in validate)
		return None if is_new(doc) else False
	return account in user_accounts(user)


def check_can_save(doc) -> None:
	"""From Opportunity.validate: a restricted manager saves only opportunities of their accounts, and
	cannot move one in from (or take one over from) an account that is not theirs."""
	user = frappe.session.user
	if not is_restricted(user):
		return
	mine = user_accounts(user)
	before = doc.get_doc_before_save()
	accounts = [doc.get("kam_key_account")] + ([before.get("kam_key_account")] if before else [])
	if any(account not in mine for account in accounts):
		frappe.throw(
			_("You can only work on opportunities of the key accounts you manage or are on the team of."),
			frappe.PermissionError,
			title=_("Not Your Account"),
		)
