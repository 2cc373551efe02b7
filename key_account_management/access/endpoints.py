"""Core endpoints that act on a record they are given without checking the caller may, wrapped with
that check for the doctypes the app restricts (read by hooks.py, without frappe: keep it plain).

path of the core method -> (argument naming the doctype, argument naming the document(s), permission
the caller needs on the record, what a refused caller gets: "raise" a PermissionError, or "none" the
answer of a record that does not exist). Other doctypes go to the core method unchanged. An argument
written "=Doctype" is that doctype itself (a method made for one doctype only).
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
	# ERPNext's endpoints on the account's documents (commercial/, docs/DOMAIN.md §12): a GL or stock
	# ledger preview, a payment or discounting drafted from any document, whether it has references
	"erpnext.controllers.stock_controller.show_accounting_ledger_preview": (
		"doctype",
		"docname",
		"read",
		"raise",
	),
	"erpnext.controllers.stock_controller.show_stock_ledger_preview": ("doctype", "docname", "read", "raise"),
	"erpnext.accounts.doctype.journal_entry.journal_entry.get_payment_entry_against_invoice": (
		"dt",
		"dn",
		"read",
		"raise",
	),
	"erpnext.accounts.doctype.journal_entry.journal_entry.get_payment_entry_against_order": (
		"dt",
		"dn",
		"read",
		"raise",
	),
	"erpnext.accounts.doctype.sales_invoice.sales_invoice.create_invoice_discounting": (
		"=Sales Invoice",
		"source_name",
		"read",
		"raise",
	),
	"erpnext.accounts.doctype.unreconcile_payment.unreconcile_payment.doc_has_references": (
		"doctype",
		"docname",
		"read",
		"raise",
	),
	# ERPNext closes or reopens a Sales Order / Delivery Note for anyone who calls these (no check)
	"erpnext.selling.doctype.sales_order.sales_order.update_status": (
		"=Sales Order",
		"name",
		"write",
		"raise",
	),
	"erpnext.stock.doctype.delivery_note.delivery_note.update_delivery_note_status": (
		"=Delivery Note",
		"docname",
		"write",
		"raise",
	),
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
