"""What a list query may ask about the app's records: filters, sort and grouping on readable fields only.

Frappe's list engine (DatabaseQuery) removes the fields a user may not read from what a query
*returns*, but filters, ``or_filters``, ``order_by`` and ``group_by`` may still name them: a count, a
group-by or a sort on a field then tells its value one question at a time. For the app's doctypes
(and their child tables), the endpoints wrapped in overrides.py refuse a query that names a field
outside the caller's permission levels (or, for a user who may only *select* the doctype, outside
what select shows).
"""

from __future__ import annotations

import json
import re

import frappe
from frappe import _
from frappe.model import child_table_fields, default_fields, get_permitted_fields, optional_fields

from key_account_management.access.rules import CHILD_DOCTYPES, ROW_RULES, parents_of

APP_DOCTYPES = frozenset(ROW_RULES) | frozenset(CHILD_DOCTYPES)
ALWAYS_ALLOWED = frozenset(default_fields) | frozenset(optional_fields) | frozenset(child_table_fields)
IDENTIFIER = re.compile(r"`?(?:tab(?P<table>[^`.]+)`?\.)?`?(?P<field>[A-Za-z_][A-Za-z0-9_]*)`?")
SORT_WORDS = frozenset({"asc", "desc", "null", "nulls", "first", "last", "is", "not"})


def is_app_doctype(doctype) -> bool:
	return isinstance(doctype, str) and doctype in APP_DOCTYPES


def parse_json_value(value):
	"""``value`` read as JSON when it is a string of JSON, else ``value`` as it is (a request argument
	arrives either way)."""
	if isinstance(value, str):
		try:
			return json.loads(value)
		except ValueError:
			return value
	return value


def filter_fields(doctype: str, filters) -> list[tuple[str, str]]:
	"""(doctype, fieldname) of every condition in ``filters`` (dict, list of lists, JSON)."""
	filters = parse_json_value(filters)
	found: list[tuple[str, str]] = []
	if not filters:
		return found
	if isinstance(filters, dict):
		return [(doctype, str(key)) for key in filters]
	if not isinstance(filters, list | tuple):
		return [(doctype, "name")]
	for condition in filters:
		if isinstance(condition, dict):
			found += [(doctype, str(key)) for key in condition]
		elif isinstance(condition, list | tuple) and condition:
			if len(condition) >= 4:
				found.append((str(condition[0]), str(condition[1])))
			else:
				found.append((doctype, str(condition[0])))
		elif isinstance(condition, str):
			# a raw condition: Frappe's own validation refuses it; name it so it is judged here too
			found += expression_fields(doctype, condition)
	return found


def expression_fields(doctype: str, expression) -> list[tuple[str, str]]:
	"""(doctype, fieldname) of the columns an ``order_by`` / ``group_by`` expression names."""
	if not expression or not isinstance(expression, str):
		return []
	found = []
	for match in IDENTIFIER.finditer(expression):
		field = match.group("field")
		if field.lower() in SORT_WORDS or expression[match.end() : match.end() + 1] == "(":
			# a sort keyword or a function name (count(...)), not a column
			continue
		found.append((match.group("table") or doctype, field))
	return found


def permitted(doctype: str, parent_doctype: str | None, user: str | None = None) -> set[str]:
	fields = set(get_permitted_fields(doctype, parenttype=parent_doctype, user=user))
	return fields | ALWAYS_ALLOWED


def check_query(
	doctype,
	*,
	filters=None,
	or_filters=None,
	order_by=None,
	group_by=None,
	fields_to_group=(),
	parent_doctype: str | None = None,
) -> None:
	"""Refuse a query on an app doctype that filters, sorts or groups on a field the user may not read."""
	if not is_app_doctype(doctype) or frappe.session.user == "Administrator":
		return
	named = filter_fields(doctype, filters) + filter_fields(doctype, or_filters)
	named += expression_fields(doctype, order_by) + expression_fields(doctype, group_by)
	named += [(doctype, str(field)) for field in fields_to_group or ()]
	if not parent_doctype and doctype in CHILD_DOCTYPES and len(parents_of(doctype)) == 1:
		parent_doctype = parents_of(doctype)[0]
	allowed: dict[str, set[str]] = {}
	for table, field in named:
		if field in ALWAYS_ALLOWED or field == "assigned_to":
			continue
		if table not in allowed:
			if not frappe.db.exists("DocType", table):
				raise_not_permitted(field)
			# the queried doctype itself, or a child table of it named in a filter
			parent = (parent_doctype if frappe.is_table(doctype) else None) if table == doctype else doctype
			allowed[table] = permitted(table, parent)
		if field not in allowed[table]:
			raise_not_permitted(field)


def raise_not_permitted(field: str) -> None:
	frappe.throw(
		_("You cannot filter, sort or group by {0}: it is not a field you may read.").format(
			frappe.utils.escape_html(str(field))
		),
		frappe.PermissionError,
	)
