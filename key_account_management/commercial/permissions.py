"""The account's people read its ERPNext documents, and only those (docs/DOMAIN.md §12, docs/SECURITY.md).

Install gives Key Account Manager and Key Account Director read, report, print and export (never write,
create, submit, cancel, delete or import) on Quotation, Sales Order, Delivery Note, Sales Invoice and
Payment Entry (access/grants.py). Registered in hooks.py, these rules then keep a user whose read of
one of those doctypes comes *only* from the app's roles to the documents of their accounts' customers
(a group account's members included, groups/members.py): permission_query_conditions for lists,
counts, reports, exports and link search, has_permission for forms, REST, print and docinfo, and a row
rule on every child table of those documents (a child table listed on its own follows only its own
rule). A manager's accounts are those they manage or are on the team of; a director's are every key
account. A user who also holds a role ERPNext lets read the doctype (Sales User, Accounts User, ...)
keeps exactly what ERPNext gives them: the rules answer "" / None for them.
"""

from __future__ import annotations

import frappe

from key_account_management.access.records import stored_value, user_accounts
from key_account_management.access.roles import KEY_ACCOUNT_DIRECTOR, KEY_ACCOUNT_MANAGER
from key_account_management.commercial.doctypes import CHILD_TABLES, DOCUMENTS, RIGHTS, scrub
from key_account_management.groups.members import customers_by_profile

APP_READERS = frozenset({KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR})


def other_readers(doctype: str) -> set[str]:
	"""Roles that read ``doctype`` by ERPNext's (or an administrator's) permission rows: level 0, not only
	as owner. Sales Invoice's "All" reads level 1 only and reads nothing by itself."""
	return {
		perm.role
		for perm in frappe.get_meta(doctype).permissions
		if not perm.permlevel and perm.read and not perm.if_owner
	} - APP_READERS


def is_restricted(doctype: str, user: str | None = None) -> bool:
	"""Whether ``user`` reads ``doctype`` only through the app's roles."""
	user = user or frappe.session.user
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return bool(roles & APP_READERS) and not roles & other_readers(doctype)


def account_customers(user: str | None = None) -> list[str]:
	"""The customers of the accounts ``user`` works on (every key account's for a director)."""
	user = user or frappe.session.user
	if KEY_ACCOUNT_DIRECTOR in frappe.get_roles(user):
		profiles = frappe.get_all("Key Account Profile", pluck="name", order_by="name")
	else:
		profiles = sorted(user_accounts(user))
	return sorted({c for customers in customers_by_profile(profiles).values() for c in customers})


def document_condition(doctype: str, user: str) -> str:
	"""SQL: the ``doctype`` documents of the user's accounts' customers."""
	field, party_type = DOCUMENTS[doctype]
	customers = account_customers(user)
	if not customers:
		return "1=0"
	names = ", ".join(frappe.db.escape(customer) for customer in customers)
	condition = f"`tab{doctype}`.`{field}` in ({names})"
	if party_type:
		condition = f"(`tab{doctype}`.`{party_type[0]}` = {frappe.db.escape(party_type[1])} and {condition})"
	return condition


def document_query(doctype: str, user: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_restricted(doctype, user):
		return ""
	return document_condition(doctype, user)


def document_has_permission(doc, ptype=None, user=None) -> bool | None:
	"""Read, print, export: a document of one of the user's accounts' customers, as stored and as sent.
	Anything else the app's roles never do (their permission rows do not grant it either)."""
	user = user or frappe.session.user
	doctype = doc.get("doctype")
	if doctype not in DOCUMENTS or not is_restricted(doctype, user):
		return None
	if (ptype or "read") not in RIGHTS:
		return False
	field, party_type = DOCUMENTS[doctype]
	customers = set(account_customers(user))

	def ours(values) -> bool:
		if party_type and values.get(party_type[0]) != party_type[1]:
			return False
		return values.get(field) in customers

	if not ours(doc):
		return False
	stored, _party = stored_value(doc, field)
	if stored:
		stored_row = frappe.db.get_value(
			doctype, doc.get("name"), [field, *([party_type[0]] if party_type else [])], as_dict=True
		)
		return ours(stored_row or {})
	return True


def document_has_website_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""has_website_permission of the documents ERPNext's portal rule opens: Frappe grants when every
	app's rule says yes, and ERPNext's says yes to any customer the user may list (all of them, for a
	manager who may select customers). A user restricted here may print only their accounts' documents;
	for anyone else this rule says yes and ERPNext's decides."""
	user = user or frappe.session.user
	if doc.get("doctype") not in DOCUMENTS or not is_restricted(doc.get("doctype"), user):
		return True
	return bool(document_has_permission(doc, "read", user))


def parents_of(child: str) -> list[str]:
	"""The documents of DOCUMENTS with a table of ``child``."""
	return [
		doctype
		for doctype in DOCUMENTS
		if any(df.options == child for df in frappe.get_meta(doctype).get_table_fields())
	]


def child_query(child: str, user: str | None = None) -> str:
	"""Rows of ``child`` under a document the user may not read are left out; rows of other parents (a
	POS Invoice's taxes, a Purchase Invoice's schedule) are ERPNext's to decide."""
	user = user or frappe.session.user
	restricted = [parent for parent in parents_of(child) if is_restricted(parent, user)]
	if not restricted:
		return ""
	column_type, column_parent = f"`tab{child}`.`parenttype`", f"`tab{child}`.`parent`"
	allowed = [
		f"({column_type} = {frappe.db.escape(parent)} and {column_parent} in "
		f"(select `tab{parent}`.name from `tab{parent}` where {document_condition(parent, user)}))"
		for parent in restricted
	]
	names = ", ".join(frappe.db.escape(parent) for parent in restricted)
	return f"(ifnull({column_type}, '') not in ({names}) or {' or '.join(allowed)})"


def _document_rule(doctype: str):
	def query(user: str | None = None) -> str:
		return document_query(doctype, user)

	query.__doc__ = f"permission_query_conditions of {doctype}: the user's accounts' documents"
	return query


def _child_rule(child: str):
	def query(user: str | None = None) -> str:
		return child_query(child, user)

	query.__doc__ = f"permission_query_conditions of {child}: rows of documents the user may read"
	return query


for _doctype in DOCUMENTS:
	globals()[f"{scrub(_doctype)}_query"] = _document_rule(_doctype)
for _child in CHILD_TABLES:
	globals()[f"{scrub(_child)}_query"] = _child_rule(_child)
