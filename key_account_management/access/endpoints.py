"""Core endpoints that act on a record they are given without checking the caller may, wrapped with
that check for the doctypes the app restricts (read by hooks.py, without frappe: keep it plain).

path of the core method -> (argument naming the doctype, argument naming the document(s), permission
the caller needs on the record, what a refused caller gets: "raise" a PermissionError, or "none" the
answer of a record that does not exist). Other doctypes go to the core method unchanged.
"""

from __future__ import annotations

GUARDED = {
	# writes the record's _liked_by and a Like comment on it
	"frappe.desk.like.toggle_like": ("doctype", "name", "read", "raise"),
	# removes another user's edit lock
	"frappe.model.document.unlock_document": ("doctype", "name", "write", "raise"),
	# runs the assignment rules on the records (assigns them)
	"frappe.automation.doctype.assignment_rule.assignment_rule.bulk_apply": (
		"doctype",
		"docnames",
		"write",
		"raise",
	),
	# the realtime room of a record (a child row given by name is checked on its parent doctype only)
	"frappe.realtime.can_subscribe_doc": ("doctype", "docname", "read", "raise"),
	# the record's title (a profile's title is its customer's name)
	"frappe.desk.search.get_link_title": ("doctype", "docname", "read", "none"),
	# amounts of any record named as a payment reference
	"erpnext.accounts.doctype.payment_entry.payment_entry.get_reference_details": (
		"reference_doctype",
		"reference_name",
		"read",
		"raise",
	),
	# bulk submit / cancel / update / workflow load each record without a check first: which of them
	# fail silently and which with a refusal tells a record's state
	"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs": (
		"doctype",
		"docnames",
		"read",
		"raise",
	),
	"frappe.model.workflow.bulk_workflow_approval": ("doctype", "docnames", "read", "raise"),
	# a discussion topic attached to any record
	"frappe.website.doctype.discussion_topic.discussion_topic.submit_discussion": (
		"doctype",
		"docname",
		"read",
		"raise",
	),
}


def wrapper_name(path: str) -> str:
	return "guarded_" + path.replace(".", "_")
