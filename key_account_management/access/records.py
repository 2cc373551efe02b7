"""Row-level access: a Key Account Manager works only on the accounts they manage or are on the team of
(docs/DOMAIN.md §1).

Registered in hooks.py as both permission_query_conditions (lists, reports, link search, number
cards, exports, REST) and has_permission (forms and single-document API), so every road through
Frappe's permission engine gives the same answer. Directors and System Managers see everything.
"""

from __future__ import annotations

import frappe

from key_account_management.access.hierarchy import subordinate_users
from key_account_management.access.roles import HOSPITALITY_APPROVER, UNRESTRICTED_ROLES


def is_unrestricted(user: str, extra_roles: set[str] | None = None) -> bool:
	if user == "Administrator":
		return True
	return bool((UNRESTRICTED_ROLES | (extra_roles or set())) & set(frappe.get_roles(user)))


def is_new(doc) -> bool:
	# Document.insert sets creation before it checks "create", so ask the document itself
	return doc.is_new() if hasattr(doc, "is_new") else not doc.get("creation")


def accounts_subquery(user: str) -> str:
	"""SQL selecting the names of the profiles ``user`` works on (escaped, never interpolated raw).

	The two ways onto an account are two index lookups in a derived table: MariaDB reads the user's
	accounts once and joins the documents to them, where "manager = user or on the team" would have it
	test every profile (and a bare UNION in the IN would be re-run for every document)."""
	escaped = frappe.db.escape(user)
	return f"""(select kam_accounts.name from (
		select kap.name from `tabKey Account Profile` kap where kap.account_manager = {escaped}
		union
		select kap.name from `tabKey Account Team Member` kat
		inner join `tabKey Account Profile` kap on kap.name = kat.parent
		where kat.parenttype = 'Key Account Profile' and kat.user = {escaped}) kam_accounts)"""


def user_accounts(user: str | None = None) -> set[str]:
	user = user or frappe.session.user
	return set(frappe.db.sql_list(accounts_subquery(user)))


def profile_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_unrestricted(user):
		return ""
	return f"`tabKey Account Profile`.name in {accounts_subquery(user)}"


def key_account_query(doctype: str, user: str | None = None, extra_roles: set[str] | None = None) -> str:
	user = user or frappe.session.user
	if is_unrestricted(user, extra_roles):
		return ""
	return f"`tab{doctype}`.key_account in {accounts_subquery(user)}"


def buying_center_role_query(user: str | None = None) -> str:
	return key_account_query("Buying Center Role", user)


def visit_record_query(user: str | None = None) -> str:
	return key_account_query("Visit Record", user)


def visit_month_query(user: str | None = None) -> str:
	"""Key Account Visit Month: only directors and System Managers read it (its permissions); should a
	role be given it, the rows of its accounts, never the every-account rows."""
	user = user or frappe.session.user
	if is_unrestricted(user):
		return ""
	return f"{key_account_query('Key Account Visit Month', user)} and `tabKey Account Visit Month`.every_account = 0"


def profile_has_permission(doc, ptype=None, user=None) -> bool | None:
	user = user or frappe.session.user
	if is_unrestricted(user):
		return None
	if is_new(doc):
		# not saved yet: the role permission decides; the controller checks the manager is on the account
		return None
	return doc.name in user_accounts(user)


def stored_value(doc, fieldname: str):
	"""``(True, value)`` of ``fieldname`` as the database holds it for ``doc``, ``(False, None)`` when the
	document is not stored (yet).

	Permission checks judge the stored record as well as the one being saved: a document sent with
	another account than the one it is stored under (a PUT, ``set_value``, a document posted as JSON)
	must not move into, or out of, an account the user may not work on."""
	name = doc.get("name")
	if not name or not isinstance(name, str | int):
		return False, None
	# the database, not get_doc_before_save(): that is the state before this object's last save
	row = frappe.db.get_value(doc.get("doctype"), name, ["name", fieldname], as_dict=True)
	if not row:
		return False, None
	return True, row.get(fieldname)


def key_account_has_permission(
	doc, ptype=None, user=None, extra_roles: set[str] | None = None
) -> bool | None:
	user = user or frappe.session.user
	if is_unrestricted(user, extra_roles):
		return None
	accounts = user_accounts(user)
	stored, stored_account = stored_value(doc, "key_account")
	if stored and stored_account not in accounts:
		# whatever the document now says, the record on file belongs to an account the user is not on
		return False
	if not doc.get("key_account"):
		# a blank new form; saving it needs an account, which is checked again then
		return None if is_new(doc) and not stored else False
	return doc.get("key_account") in accounts


def buying_center_role_has_permission(doc, ptype=None, user=None) -> bool | None:
	return key_account_has_permission(doc, ptype, user)


def visit_record_has_permission(doc, ptype=None, user=None) -> bool | None:
	return key_account_has_permission(doc, ptype, user)


def visit_month_has_permission(doc, ptype=None, user=None) -> bool | None:
	return key_account_has_permission(doc, ptype, user)


# finance approvers read every request they may have to approve
HOSPITALITY_READERS = {HOSPITALITY_APPROVER}


# what the requester's superiors, who approve at Manager level, may do with their reports' requests
SUPERIOR_RIGHTS = {"read", "write", "print", "email"}


def hospitality_request_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	condition = key_account_query("Hospitality Request", user, HOSPITALITY_READERS)
	if not condition:
		return condition
	subordinates = subordinate_users(user)
	if not subordinates:
		return condition
	# the Manager level belongs to the requester's superior (hospitality.can_act_at_level), who reads
	# the requests of the people below them whatever accounts those are on
	names = ", ".join(frappe.db.escape(name) for name in sorted(subordinates))
	return f"({condition} or `tabHospitality Request`.requested_by in ({names}))"


def hospitality_request_has_permission(doc, ptype=None, user=None) -> bool | None:
	user = user or frappe.session.user
	allowed = key_account_has_permission(doc, ptype, user, HOSPITALITY_READERS)
	if allowed is not False or (ptype or "read") not in SUPERIOR_RIGHTS:
		return allowed
	# the requester on file, never the one a client sends
	name = doc.get("name")
	requester = (
		frappe.db.get_value("Hospitality Request", name, "requested_by") if isinstance(name, str) else None
	)
	if requester and requester in subordinate_users(user):
		return None
	return allowed
