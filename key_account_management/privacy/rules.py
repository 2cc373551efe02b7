"""Row rules beyond the four row-restricted doctypes of permissions.py.

- The app's child doctypes: Frappe lists a child table on its own (``/api/resource/<child>?parent=``,
  ``frappe.client.get_list``, reports) with the child's own ``permission_query_conditions``, never the
  parent's; each child of a row-restricted parent gets the parent's rule here.
- Core doctypes that point at an app record (Workflow Action, Comment, ToDo, Version, File, ...): a row
  about a record the user may not read is hidden, in lists and in the single-document check.
- Writes: a child row saved on its own cannot move to another parent, and an amendment can only be
  made from a record the user may read.

Every rule is SQL over the parent's own rule (permissions.py), so lists, counts, reports, exports and
link search all take the same road through Frappe's permission engine.
"""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management import permissions as access

# the app's row-restricted doctypes and their rule (SQL over `tab<doctype>`, "" = no restriction)
ROW_RULES = {
	"Key Account Profile": access.profile_query,
	"Buying Center Role": access.buying_center_role_query,
	"Visit Record": access.visit_record_query,
	"Hospitality Request": access.hospitality_request_query,
}

# child doctype -> its parent; a test checks this against the DocType definitions
CHILD_PARENTS = {
	"Key Account Team Member": "Key Account Profile",
	"Key Account Class History": "Key Account Profile",
	"Key Account Playbook Item": "Key Account Profile",
	"Relationship Stage History": "Key Account Profile",
	"Visit Attendee": "Visit Record",
	"Visit Customer Attendee": "Visit Record",
	"Hospitality Recipient": "Hospitality Request",
	"Hospitality Participant": "Hospitality Request",
	"Hospitality Approval": "Hospitality Request",
	"Hospitality Limit Check": "Hospitality Request",
}

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


def readable_rows(doctype: str, user: str) -> str | None:
	"""SQL selecting the names of ``doctype`` that ``user`` may read, or None when all of them."""
	condition = ROW_RULES[doctype](user)
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


def child_query(child: str, user: str | None = None) -> str:
	parent = CHILD_PARENTS[child]
	rows = readable_rows(parent, _user(user))
	if rows is None:
		return ""
	return (
		f"(`tab{child}`.parenttype = {frappe.db.escape(parent)} and `tab{child}`.parent in ({rows}))"
	)


def _child_rule(child: str):
	def query(user: str | None = None) -> str:
		return child_query(child, user)

	query.__doc__ = f"permission_query_conditions of {child}: the rows of {CHILD_PARENTS[child]}s the user reads"
	return query


key_account_team_member_query = _child_rule("Key Account Team Member")
key_account_class_history_query = _child_rule("Key Account Class History")
key_account_playbook_item_query = _child_rule("Key Account Playbook Item")
relationship_stage_history_query = _child_rule("Relationship Stage History")
visit_attendee_query = _child_rule("Visit Attendee")
visit_customer_attendee_query = _child_rule("Visit Customer Attendee")
hospitality_recipient_query = _child_rule("Hospitality Recipient")
hospitality_participant_query = _child_rule("Hospitality Participant")
hospitality_approval_query = _child_rule("Hospitality Approval")
hospitality_limit_check_query = _child_rule("Hospitality Limit Check")


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
	"""Rows of ``doctype`` about app records the user may not read are left out; others are untouched."""
	user = _user(user)
	dt_field, name_field = REFERENCES[doctype]
	column_dt = f"`tab{doctype}`.`{dt_field}`"
	column_name = f"`tab{doctype}`.`{name_field}`"
	restricted, allowed = [], []
	for parent in ROW_RULES:
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
	if doctype in ROW_RULES and name and not can_read(doctype, name, user):
		return False
	return None


def _reference_rule(doctype: str):
	def query(user: str | None = None) -> str:
		return reference_query(doctype, user)

	query.__doc__ = f"permission_query_conditions of {doctype}: rows about records the user may read"
	return query


workflow_action_query = _reference_rule("Workflow Action")
comment_query = _reference_rule("Comment")
communication_query = _reference_rule("Communication")
todo_query = _reference_rule("ToDo")
version_query = _reference_rule("Version")
file_query = _reference_rule("File")
activity_log_query = _reference_rule("Activity Log")
docshare_query = _reference_rule("DocShare")
document_follow_query = _reference_rule("Document Follow")
tag_link_query = _reference_rule("Tag Link")
notification_log_query = _reference_rule("Notification Log")
view_log_query = _reference_rule("View Log")
energy_point_log_query = _reference_rule("Energy Point Log")


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


# ---------------------------------------------------------------------------------------------------------
# what messages may name


def visible_customers(customers, user: str | None = None) -> list[str]:
	"""The ``customers`` a message may name to ``user``: those of the user's accounts, or any the user
	may read. A message about a record in someone else's account says "another customer" instead."""
	user = _user(user)
	if access.is_unrestricted(user):
		return list(customers)
	accounts = access.user_accounts(user)
	return [c for c in customers if c in accounts or frappe.has_permission("Customer", "read", c, user=user)]
