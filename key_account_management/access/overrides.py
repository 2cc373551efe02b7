"""Core whitelisted endpoints that answer without Frappe's permission checks, wrapped.

Registered in hooks.py (``override_whitelisted_methods``), so ``/api/method/<core method>`` and every
``frappe.call`` of the desk reach these instead. Each wrapper does what the core method does, with the
permission check that Frappe v15 leaves out:

- ``frappe.client.get_count`` counts with ``frappe.db.count``: no permission check at all, any filter
  (a count oracle on every field of every doctype). Here it counts what ``frappe.get_list`` would list.
- ``frappe.desk.listview.get_group_by_count`` groups "assigned to" over every record of the doctype.
- ``frappe.desk.form.linked_with.get`` / ``get_submitted_linked_docs`` call ``has_permission`` without
  acting on the answer and read the linked records with ``frappe.get_all``: any record's links, with
  their list-view fields. Here the record must be readable and only readable links are returned.
- The list endpoints (``frappe.client.get_list`` / ``get_value``, ``frappe.desk.reportview.*``) drop
  unreadable fields from what they return but not from filters, sort and grouping: guard.check_query
  refuses those for the app's doctypes before the core method runs.
- Endpoints that act on any record they are given (endpoints.py GUARDED: like, unlock, bulk
  actions, link title, ...) first check the caller's permission on the record, for the doctypes the
  app restricts; ERPNext's customer contact lookup returns only readable contacts and addresses.

For the rest the core method runs unchanged.
"""

from __future__ import annotations

import functools
import inspect

import frappe
from frappe import _
from frappe.client import get_list as core_get_list
from frappe.client import get_value as core_get_value
from frappe.desk import reportview
from frappe.desk.form import linked_with
from frappe.desk.listview import get_group_by_count as core_get_group_by_count
from frappe.model.db_query import check_parent_permission
from frappe.utils import get_safe_filters

from key_account_management.access.endpoints import GUARDED, wrapper_name
from key_account_management.access.guard import check_query, parse_json_value
from key_account_management.access.rules import CHILD_DOCTYPES, parents_of, restricted_doctypes


def _child_parent(doctype: str, filters) -> str | None:
	"""The parent doctype a count of a child table is about: the parenttype the filters name, else the
	one parent of an app child table."""
	filters = parse_json_value(filters)
	if isinstance(filters, dict):
		value = filters.get("parenttype")
		return value if isinstance(value, str) else None
	for condition in filters or []:
		if isinstance(condition, list | tuple) and len(condition) >= 3:
			field, operator, value = condition[-3], condition[-2], condition[-1]
			if field == "parenttype" and operator == "=" and isinstance(value, str):
				return value
	parents = parents_of(doctype) if doctype in CHILD_DOCTYPES else []
	return parents[0] if len(parents) == 1 else None


# ---------------------------------------------------------------------------------------------------------
# counts


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""frappe.client.get_count, counting only what the user may list (debug and cache are ignored: the
	first would print the query, the second share a count between users)."""
	if not isinstance(doctype, str) or not doctype:
		frappe.throw(_("doctype must be the name of a DocType."))
	filters = get_safe_filters(filters)
	if isinstance(filters, str):
		filters = {"name": filters}
	parent_doctype = None
	if frappe.is_table(doctype):
		parent_doctype = _child_parent(doctype, filters)
		check_parent_permission(parent_doctype, doctype)
	check_query(doctype, filters=filters, parent_doctype=parent_doctype)
	rows = frappe.get_list(
		doctype,
		filters=filters,
		fields=[f"count(distinct `tab{doctype}`.`name`) as total_count"],
		parent_doctype=parent_doctype,
		order_by=None,
		limit_page_length=None,
	)
	return rows[0].get("total_count") if rows else 0


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""frappe.desk.listview.get_group_by_count; "assigned to" counts the ToDos of listable records."""
	if not isinstance(doctype, str) or not isinstance(field, str):
		frappe.throw(_("doctype and field must be names."))
	filters = frappe.parse_json(current_filters)
	check_query(doctype, filters=filters, fields_to_group=[field])
	if field != "assigned_to":
		return core_get_group_by_count(doctype, current_filters, field)
	listed = frappe.get_list(
		doctype, filters=filters, fields=[f"`tab{doctype}`.`name`"], order_by=None, run=False
	)
	return frappe.db.sql(
		f"""select todo.allocated_to as name, count(*) as count
		from `tabToDo` todo
		inner join `tabUser` user on user.name = todo.allocated_to
		where todo.status != 'Cancelled' and user.user_type = 'System User'
			and todo.reference_type = %(doctype)s and todo.reference_name in ({listed})
		group by todo.allocated_to
		order by count desc
		limit 50""",
		{"doctype": doctype},
		as_dict=True,
	)


# ---------------------------------------------------------------------------------------------------------
# linked documents


def _check_read(doctype, name) -> None:
	if not isinstance(doctype, str) or not isinstance(name, str | int) or not doctype:
		frappe.throw(_("Pass a doctype and a document name."))
	if not frappe.db.exists(doctype, name):
		raise frappe.DoesNotExistError(_("{0} {1} not found").format(_(doctype), name))
	check_doc_permission(doctype, name, "read")


def check_doc_permission(doctype: str, name, ptype: str = "read") -> None:
	"""frappe.has_permission on a stored record, a child row judged on its parent *document* (Frappe's
	own check of a child row given by name falls back to the parent doctype)."""
	if frappe.is_table(doctype):
		row = frappe.db.get_value(doctype, name, ["parenttype", "parent"], as_dict=True)
		if (
			not row
			or not row.parenttype
			or not row.parent
			or not frappe.db.exists(row.parenttype, row.parent)
		):
			raise frappe.PermissionError
		frappe.has_permission(row.parenttype, ptype, doc=row.parent, throw=True)
		return
	frappe.has_permission(doctype, ptype, doc=name, throw=True)


def _readable(doctype: str, names: list) -> set:
	"""The ``names`` of ``doctype`` the user may list (row rules, shares and user permissions)."""
	if not names:
		return set()
	try:
		return set(
			frappe.get_list(
				doctype,
				filters={"name": ("in", list(names))},
				pluck="name",
				limit_page_length=None,
				order_by=None,
			)
		)
	except frappe.PermissionError:
		frappe.clear_last_message()
		return set()


@frappe.whitelist()
def get_linked_docs(doctype: str, docname: str):
	"""frappe.desk.form.linked_with.get: the links of a record the user may read, with the linked
	records the user may read, and of those only the fields the user may read."""
	_check_read(doctype, docname)
	results = linked_with.get(doctype, docname)
	visible = {}
	for linked_doctype, rows in (results or {}).items():
		readable = _readable(linked_doctype, [row.get("name") for row in rows])
		if not readable:
			continue
		allowed = set(frappe.model.get_permitted_fields(linked_doctype)) | {"name", "modified", "docstatus"}
		visible[linked_doctype] = [
			{key: value for key, value in row.items() if key in allowed}
			for row in rows
			if row.get("name") in readable
		]
	return visible


@frappe.whitelist()
def get_submitted_linked_docs(doctype: str, name: str) -> dict:
	"""frappe.desk.form.linked_with.get_submitted_linked_docs, of a readable record, readable links only."""
	_check_read(doctype, name)
	result = linked_with.get_submitted_linked_docs(doctype, name)
	by_doctype: dict[str, list] = {}
	for row in result.get("docs", []):
		by_doctype.setdefault(row["doctype"], []).append(row["name"])
	readable = {dt: _readable(dt, names) for dt, names in by_doctype.items()}
	docs = [row for row in result.get("docs", []) if row["name"] in readable.get(row["doctype"], ())]
	return {"docs": docs, "count": len(docs)}


# ---------------------------------------------------------------------------------------------------------
# list endpoints: the core method, after the query guard


@frappe.whitelist()
def get_list(
	doctype,
	fields=None,
	filters=None,
	group_by=None,
	order_by=None,
	limit_start=None,
	limit_page_length=20,
	parent=None,
	debug: bool = False,
	as_dict: bool = True,
	or_filters=None,
):
	check_query(
		doctype,
		filters=filters,
		or_filters=or_filters,
		order_by=order_by,
		group_by=group_by,
		parent_doctype=parent,
	)
	return core_get_list(
		doctype,
		fields=fields,
		filters=filters,
		group_by=group_by,
		order_by=order_by,
		limit_start=limit_start,
		limit_page_length=limit_page_length,
		parent=parent,
		debug=debug,
		as_dict=as_dict,
		or_filters=or_filters,
	)


@frappe.whitelist()
def get_value(doctype, fieldname, filters=None, as_dict=True, debug=False, parent=None):
	check_query(doctype, filters=filters, parent_doctype=parent)
	return core_get_value(doctype, fieldname, filters=filters, as_dict=as_dict, debug=debug, parent=parent)


def _check_form_query() -> None:
	"""The reportview endpoints read their arguments from the request's form_dict."""
	form = frappe.local.form_dict
	stats = parse_json_value(form.get("stats")) if form.get("stats") else ()
	check_query(
		form.get("doctype"),
		filters=form.get("filters"),
		or_filters=form.get("or_filters"),
		order_by=form.get("order_by"),
		group_by=form.get("group_by"),
		fields_to_group=[s.get("name") if isinstance(s, dict) else s for s in stats or ()],
		parent_doctype=form.get("parent_doctype"),
	)


@frappe.whitelist()
@frappe.read_only()
def reportview_get():
	_check_form_query()
	return reportview.get()


@frappe.whitelist()
@frappe.read_only()
def reportview_get_list():
	_check_form_query()
	return reportview.get_list()


@frappe.whitelist()
@frappe.read_only()
def reportview_get_count() -> int:
	_check_form_query()
	return reportview.get_count()


@frappe.whitelist()
@frappe.read_only()
def reportview_export_query():
	_check_form_query()
	return reportview.export_query()


@frappe.whitelist()
@frappe.read_only()
def reportview_get_sidebar_stats(stats, doctype, filters=None):
	_check_form_query()
	return reportview.get_sidebar_stats(stats, doctype, filters)


@frappe.whitelist()
@frappe.read_only()
def reportview_get_stats(stats, doctype, filters=None):
	_check_form_query()
	return reportview.get_stats(stats, doctype, filters)


# ---------------------------------------------------------------------------------------------------------
# core endpoints that act on a record without checking the caller may (endpoints.py)


def is_restricted(doctype) -> bool:
	"""A doctype whose records the app keeps row by row: its own, their child tables, and the ERPNext
	doctypes it puts row rules on (Contact, Opportunity, ...)."""
	return isinstance(doctype, str) and (doctype in CHILD_DOCTYPES or doctype in restricted_doctypes())


def _guard(path: str):
	"""The core method at ``path``, with the check of endpoints.py GUARDED first."""
	doctype_arg, names_arg, ptype, refusal = GUARDED[path]
	core = frappe.get_attr(path)

	@functools.wraps(core)  # frappe.call passes the arguments the core method's signature names
	def wrapper(*args, **kwargs):
		bound = inspect.signature(core).bind_partial(*args, **kwargs).arguments
		doctype = doctype_arg[1:] if doctype_arg.startswith("=") else bound.get(doctype_arg)
		names = bound.get(names_arg)
		if doctype is None and names is None and bound.get("args"):
			# unlock_document(args={"doctype", "name"}), the old form
			legacy = frappe.parse_json(bound["args"]) or {}
			doctype, names = legacy.get("doctype"), legacy.get("name")
		if is_restricted(doctype):
			if isinstance(names, str) and names.startswith("["):
				names = frappe.parse_json(names)
			for name in names if isinstance(names, list) else [names]:
				try:
					if not frappe.db.exists(doctype, name):
						raise frappe.DoesNotExistError
					check_doc_permission(doctype, name, ptype)
				except (frappe.PermissionError, frappe.DoesNotExistError):
					if refusal == "none":
						frappe.clear_last_message()
						return None
					raise
		return core(*args, **kwargs)

	methods = frappe.allowed_http_methods_for_whitelisted_func.get(core)
	return frappe.whitelist(allow_guest=core in frappe.guest_methods, methods=methods)(wrapper)


for _path in GUARDED:
	try:
		globals()[wrapper_name(_path)] = _guard(_path)
	except (ImportError, AttributeError):
		# an app that is not installed (ERPNext's endpoints): nothing to wrap
		pass


@frappe.whitelist()
def get_contact_and_address(name):
	"""erpnext...delivery_trip.get_contact_and_address: a customer's primary contact and shipping address,
	for any customer name, read with SQL. Only a contact and an address the user may read are given."""
	from erpnext.stock.doctype.delivery_trip.delivery_trip import get_contact_and_address as core

	out = core(name)
	for key, doctype in (("contact_person", "Contact"), ("shipping_address", "Address")):
		row = out.get(key)
		if row and not frappe.has_permission(doctype, "read", doc=row.get("parent")):
			out.pop(key)
	return out
