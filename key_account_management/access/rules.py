"""Row rules beyond the four row-restricted doctypes of records.py.

- The app's child doctypes: Frappe lists a child table on its own (``/api/resource/<child>?parent=``,
  ``frappe.client.get_list``, reports) with the child's own ``permission_query_conditions``, never the
  parent's; every child table of the app gets the rules of its parents here (rows.ChildRow does the
  same for a child row loaded on its own).
- Core doctypes that point at an app record (Workflow Action, Comment, ToDo, Version, File, ...): a row
  about a record the user may not read is hidden, in lists and in the single-document check.
- Writes: a child row saved on its own cannot move to another parent, and an amendment can only be
  made from a record the user may read.

Every rule is SQL over the parent's own rules (records.py, and any other app's hooks), so lists, counts, reports, exports and
link search all take the same road through Frappe's permission engine.
"""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management.access import records
from key_account_management.access.tables import app_child_doctypes, scrub
from key_account_management.plan.permissions import plan_query

APP = "key_account_management"

# the app's own row-restricted doctypes (records.py); restricted_doctypes() adds those the app
# restricts elsewhere (its permission_query_conditions hooks on ERPNext doctypes: Opportunity, Contact, ...)
ROW_RULES = {
	"Key Account Profile": records.profile_query,
	"Buying Center Role": records.buying_center_role_query,
	"Visit Record": records.visit_record_query,
	"Hospitality Request": records.hospitality_request_query,
	"Key Account Plan": plan_query,
}

# every child doctype of the app (from its DocType files): each follows its parent's row rule
CHILD_DOCTYPES = app_child_doctypes()

# core doctype -> (field naming the doctype, field naming the document) of the record a row is about
REFERENCES = {
	"Workflow Action": ("reference_doctype", "reference_name"),
	"Comment": ("reference_doctype", "reference_name"),
	"Communication": ("reference_doctype", "reference_name"),
	"ToDo": ("reference_type", "reference_name"),
	"Version": ("ref_doctype", "docname"),
	"File": ("attached_to_doctype", "attached_to_name"),
	"Activity Log": ("reference_doctype", "reference_name"),
	"DocShare": ("share_doctype", "share_name"),
	"Document Follow": ("ref_doctype", "ref_docname"),
	"Tag Link": ("document_type", "document_name"),
	"Notification Log": ("document_type", "document_name"),
	"View Log": ("reference_doctype", "reference_name"),
	"Energy Point Log": ("reference_doctype", "reference_name"),
}


def _user(user: str | None) -> str:
	return user or frappe.session.user


def _request_cache() -> dict:
	"""A cache that lives as long as the request (frappe.local is reset between requests)."""
	cache = getattr(frappe.local, "kam_privacy_cache", None)
	if cache is None:
		cache = frappe.local.kam_privacy_cache = {}
	return cache


def restricted_doctypes() -> list[str]:
	"""The non-child doctypes the app puts a row rule on (its permission_query_conditions hooks: its own
	doctypes, and ERPNext's it restricts, such as Opportunity or Contact)."""
	cache = _request_cache()
	if "restricted" not in cache:
		hooks = frappe.get_hooks("permission_query_conditions", app_name=APP) or {}
		cache["restricted"] = [
			doctype
			for doctype in hooks
			if doctype not in REFERENCES
			and doctype not in CHILD_DOCTYPES
			and frappe.db.exists("DocType", doctype)
		]
	return cache["restricted"]


def row_condition(doctype: str, user: str) -> str:
	"""Every row rule on ``doctype`` for ``user`` (all apps' hooks, as DatabaseQuery applies them)."""
	from frappe.model.db_query import DatabaseQuery

	query = DatabaseQuery(doctype, user=user)
	return query.get_permission_query_conditions()


def readable_rows(doctype: str, user: str) -> str | None:
	"""SQL selecting the names of ``doctype`` that ``user`` may read, or None when all of them."""
	condition = row_condition(doctype, user)
	if not condition:
		return None
	return f"select `tab{doctype}`.name from `tab{doctype}` where {condition}"


def can_read(doctype: str, name: str | None, user: str | None = None) -> bool:
	"""Whether ``user`` may read the stored record ``doctype`` ``name`` by the row rules (one query)."""
	user = _user(user)
	rows = readable_rows(doctype, user)
	if rows is None:
		return True
	if not name:
		return False
	return bool(frappe.db.sql(f"select 1 from ({rows}) readable where readable.name = %s", name))


# ---------------------------------------------------------------------------------------------------------
# child doctypes


def parents_of(child: str) -> list[str]:
	"""The doctypes with a table of ``child`` (DocType fields and custom fields)."""
	cache = _request_cache().setdefault("parents", {})
	if child not in cache:
		table_types = ("Table", "Table MultiSelect")
		parents = frappe.get_all(
			"DocField", filters={"fieldtype": ("in", table_types), "options": child}, pluck="parent"
		)
		parents += frappe.get_all(
			"Custom Field", filters={"fieldtype": ("in", table_types), "options": child}, pluck="dt"
		)
		cache[child] = sorted(set(parents))
	return cache[child]


def child_query(child: str, user: str | None = None) -> str:
	"""Rows of ``child`` whose parent the user may read, by the parent's own row rule."""
	user = _user(user)
	parts, restricted = [], False
	for parent in parents_of(child):
		rows = readable_rows(parent, user)
		if rows is None:
			parts.append(f"`tab{child}`.parenttype = {frappe.db.escape(parent)}")
		else:
			restricted = True
			parts.append(
				f"(`tab{child}`.parenttype = {frappe.db.escape(parent)} and `tab{child}`.parent in ({rows}))"
			)
	if not restricted:
		return ""
	return f"({' or '.join(parts)})"


def _child_rule(child: str):
	def query(user: str | None = None) -> str:
		return child_query(child, user)

	query.__doc__ = f"permission_query_conditions of {child}: the rows of parents the user may read"
	return query


for _child in CHILD_DOCTYPES:
	globals()[f"{scrub(_child)}_query"] = _child_rule(_child)


def child_row_stays(doc, method=None) -> None:
	"""validate of a child row saved on its own (``PUT /api/resource/<child>/<name>``): Frappe checks the
	parent the row names now, so a row sent with another ``parent`` would move into that document. The
	row stays where it is stored; it is edited through its parent."""
	if doc.flags.ignore_permissions or doc.is_new():
		return
	stored = frappe.db.get_value(doc.doctype, doc.name, ["parent", "parenttype", "parentfield"], as_dict=True)
	if not stored:
		return
	if (stored.parent, stored.parenttype, stored.parentfield) != (
		doc.get("parent"),
		doc.get("parenttype"),
		doc.get("parentfield"),
	):
		frappe.throw(
			_("A row of {0} stays in the document it belongs to; change it there.").format(_(doc.doctype)),
			frappe.PermissionError,
		)


# ---------------------------------------------------------------------------------------------------------
# core doctypes about an app record


def reference_query(doctype: str, user: str | None = None) -> str:
	"""Rows of ``doctype`` about records of a row-restricted doctype the user may not read are left out;
	rows about anything else are untouched."""
	user = _user(user)
	dt_field, name_field = REFERENCES[doctype]
	column_dt = f"`tab{doctype}`.`{dt_field}`"
	column_name = f"`tab{doctype}`.`{name_field}`"
	restricted, allowed = [], []
	for parent in restricted_doctypes():
		rows = readable_rows(parent, user)
		if rows is None:
			continue
		restricted.append(frappe.db.escape(parent))
		allowed.append(f"({column_dt} = {frappe.db.escape(parent)} and {column_name} in ({rows}))")
	if not restricted:
		return ""
	# a row naming only the doctype (a notification about visits in general) is about no one record
	return (
		f"(ifnull({column_dt}, '') not in ({', '.join(restricted)}) or ifnull({column_name}, '') = ''"
		f" or {' or '.join(allowed)})"
	)


def reference_has_permission(doc, ptype=None, user=None) -> bool | None:
	"""Deny (never grant) a row about an app record the user may not read; Frappe decides the rest."""
	fields = REFERENCES.get(doc.get("doctype"))
	if not fields:
		return None
	doctype, name = doc.get(fields[0]), doc.get(fields[1])
	if name and doctype in restricted_doctypes() and not can_read(doctype, name, user):
		return False
	return None


def _reference_rule(doctype: str):
	def query(user: str | None = None) -> str:
		return reference_query(doctype, user)

	query.__doc__ = f"permission_query_conditions of {doctype}: rows about records the user may read"
	return query


for _doctype in REFERENCES:
	globals()[f"{scrub(_doctype)}_query"] = _reference_rule(_doctype)


# ---------------------------------------------------------------------------------------------------------
# amendments


def amend_only_what_you_read(doc, method=None) -> None:
	"""before_validate of the submittable app doctypes: an amendment copies the cancelled record's
	attachments and carries its name, so it starts only from a record the user may read."""
	if doc.flags.ignore_permissions or not doc.get("amended_from"):
		return
	if not frappe.has_permission(doc.doctype, "read", doc.amended_from):
		frappe.throw(
			_("You can amend only a {0} you may open.").format(_(doc.doctype)), frappe.PermissionError
		)


def sanitize_submitted_on_insert(doc, method=None) -> None:
	"""before_validate of the submittable app doctypes: Frappe sanitises HTML in what is saved, except in
	a document that is already submitted, so a record *inserted* submitted (``docstatus: 1`` in a
	POST) would keep a script in its text. Sanitised here as Frappe would for a draft."""
	if not (doc.is_new() and doc.docstatus == 1):
		return
	from frappe.utils.html_utils import sanitize_html

	for row in [doc, *doc.get_all_children()]:
		for df in row.meta.fields:
			value = row.get(df.fieldname)
			if (
				not isinstance(value, str)
				or ("<" not in value and ">" not in value)
				or df.get("ignore_xss_filter")
				or df.fieldtype in ("Attach", "Attach Image", "Barcode", "Code", "Table", "Table MultiSelect")
			):
				continue
			row.set(df.fieldname, sanitize_html(value, linkify=df.fieldtype == "Text Editor"))


# ---------------------------------------------------------------------------------------------------------
# what messages may name


def visible_customers(customers, user: str | None = None) -> list[str]:
	"""The ``customers`` a message may name to ``user``: those of the user's accounts, or any the user
	may read. A message about a record in someone else's account says "another customer" instead."""
	user = _user(user)
	if records.is_unrestricted(user):
		return list(customers)
	accounts = records.user_accounts(user)
	return [c for c in customers if c in accounts or frappe.has_permission("Customer", "read", c, user=user)]
