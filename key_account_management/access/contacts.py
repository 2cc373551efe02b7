"""Row-level access to ERPNext's Contact and Address for the app's roles.

A Key Account Manager reads, creates and edits the contacts and addresses linked to the customers of the
accounts they manage or are on the team of (and those they made themselves); a Key Account Director
those of every key account. Nobody else is touched: a user who reads Contacts through any other role
(System Manager, Sales User, ...) keeps exactly what ERPNext gives, and a user without the app's roles
keeps ERPNext's "own records only" rule.

Registered in hooks.py for both permission_query_conditions (lists, link search, reports, REST) and
has_permission (forms and single-document API).
"""

from __future__ import annotations

import frappe

from key_account_management.access.records import accounts_subquery, is_new
from key_account_management.access.roles import KEY_ACCOUNT_DIRECTOR, KEY_ACCOUNT_MANAGER

SCOPED_ROLES = {KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR}


def reads_through_other_roles(doctype: str, user: str) -> bool:
	"""Whether a role outside the app gives ``user`` read (not only as owner) on ``doctype``."""
	from frappe.permissions import get_valid_perms

	return any(
		perm.read and not perm.if_owner and perm.role not in SCOPED_ROLES
		for perm in get_valid_perms(doctype, user)
	)


def customer_scope(doctype: str, user: str) -> str | None:
	"""SQL selecting the customers whose ``doctype`` records the user may see, or None when the app's
	roles are not what gives the user access (then Frappe's own rules decide)."""
	if user == "Administrator":
		return None
	roles = set(frappe.get_roles(user))
	if not roles & SCOPED_ROLES or reads_through_other_roles(doctype, user):
		return None
	if KEY_ACCOUNT_DIRECTOR in roles:
		return "(select kam_all.name from `tabKey Account Profile` kam_all)"
	# a profile is named after its customer (autoname field:customer)
	return accounts_subquery(user)


def linked_query(doctype: str, user: str | None = None) -> str:
	user = user or frappe.session.user
	scope = customer_scope(doctype, user)
	if scope is None:
		return ""
	return f"""(`tab{doctype}`.owner = {frappe.db.escape(user)} or `tab{doctype}`.name in (
		select kam_dl.parent from `tabDynamic Link` kam_dl
		where kam_dl.parenttype = {frappe.db.escape(doctype)} and kam_dl.link_doctype = 'Customer'
			and kam_dl.link_name in {scope}))"""


def linked_has_permission(doctype: str, doc, ptype=None, user=None) -> bool | None:
	user = user or frappe.session.user
	scope = customer_scope(doctype, user)
	if scope is None:
		return None
	if is_new(doc):
		# a new contact may name only the user's own accounts' customers
		customers = {
			link.get("link_name")
			for link in doc.get("links") or []
			if link.get("link_doctype") == "Customer" and link.get("link_name")
		}
		if not customers:
			return None
		allowed = frappe.db.sql_list(
			f"select kam_c.name from `tabCustomer` kam_c where kam_c.name in %(customers)s and kam_c.name in {scope}",
			{"customers": tuple(customers)},
		)
		return None if set(allowed) == customers else False
	if doc.get("owner") == user:
		return None
	# the stored links decide, not the ones a client just sent
	linked = frappe.db.sql(
		f"""select 1 from `tabDynamic Link` kam_dl
		where kam_dl.parenttype = %(doctype)s and kam_dl.parent = %(name)s
			and kam_dl.link_doctype = 'Customer' and kam_dl.link_name in {scope} limit 1""",
		{"doctype": doctype, "name": doc.get("name")},
	)
	return None if linked else False


def contact_query(user: str | None = None) -> str:
	return linked_query("Contact", user)


def contact_has_permission(doc, ptype=None, user=None) -> bool | None:
	return linked_has_permission("Contact", doc, ptype, user)


def address_query(user: str | None = None) -> str:
	return linked_query("Address", user)


def address_has_permission(doc, ptype=None, user=None) -> bool | None:
	return linked_has_permission("Address", doc, ptype, user)
