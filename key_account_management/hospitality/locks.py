"""What may change in a hospitality request in which state, for its controller (docs/DOMAIN.md §6).

The approvers approve the values a request holds when it leaves Draft: from then on they are locked,
the settlement is recorded only once it is approved, and the values the controller computes (the
approval trail, the amounts in company currency, the limit checks) come from the database, never from
the client. Every save compares the stored request with the one being saved, so a direct save and
``apply_workflow`` go through the same checks.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cstr, flt, getdate

from key_account_management.access.roles import SYSTEM_MANAGER
from key_account_management.core.hospitality_flow import APPROVED, DRAFT, LEVEL_OF_STATE
from key_account_management.hospitality.approvers import (
	HospitalityApprovalError,
	can_manage_request,
	is_requester,
)
from key_account_management.hospitality.request import validate_settlement_values

# what the approvers approve: frozen once the request leaves Draft
BUSINESS_FIELDS = (
	"key_account",
	"request_type",
	"planned_date",
	"company",
	"business_purpose",
	"currency",
	"conversion_rate",
	"estimated_amount",
	"justification",
)
SETTLEMENT_FIELDS = ("actual_amount", "receipt", "settlement_note")
# set by the controller only: whatever the client sends is replaced by the stored value
PROTECTED_FIELDS = (
	"requested_by",
	"approval_round",
	"approved_amount",
	"settled_on",
	"base_actual_amount",
	"variance_amount",
	"variance_percent",
	"any_official",
	"breaks_limit",
	"approval_route",
	"base_estimated_amount",
	"rejection_reason_by",
)
FLOAT_FIELDS = {"conversion_rate", "estimated_amount", "actual_amount"}


def restore_protected(doc, before) -> None:
	"""Computed values and the approval trail come from the database, never from the client."""
	if before is None:
		for fieldname in PROTECTED_FIELDS:
			if fieldname != "requested_by":
				doc.set(fieldname, None)
		doc.approval_round = 0
		doc.set("approvals", [])
		doc.set("limit_checks", [])
		for fieldname in (*SETTLEMENT_FIELDS, "rejection_reason"):
			if doc.get(fieldname):
				doc.flags.new_with_settlement = True
		return
	for fieldname in PROTECTED_FIELDS:
		doc.set(fieldname, before.get(fieldname))
	doc.set("approvals", [row.as_dict() for row in before.approvals])
	if (before.workflow_state or DRAFT) != DRAFT:
		doc.set("limit_checks", [row.as_dict() for row in before.limit_checks])
		# keep the computed columns of the recipients as approved
		stored = {row.name: row for row in before.recipients}
		for row in doc.recipients:
			if row.name in stored:
				for fieldname in ("buying_role", "is_official", "actual_amount", "contact_name"):
					row.set(fieldname, stored[row.name].get(fieldname))


def validate_changes(doc, before, old_state: str, new_state: str) -> None:
	"""Business values change only in Draft and by the requester; the settlement only once approved and
	by those who manage the request; a rejection reason only while pending; nothing with an action."""
	changed = changed_fields(doc, before, BUSINESS_FIELDS) + changed_tables(doc, before)
	settlement_changed = changed_fields(doc, before, SETTLEMENT_FIELDS)
	if before is None:
		if new_state != DRAFT:
			frappe.throw(
				_("A new request starts as Draft; submit it for approval once it is saved."),
				HospitalityApprovalError,
				title=_("Not Allowed"),
			)
		if doc.flags.new_with_settlement:
			frappe.throw(
				_(
					"The actual amount, receipt and settlement are recorded after the event, once the request is approved."
				),
				title=_("Settlement Before Approval"),
			)
		return

	def labels(fieldnames):
		return ", ".join(_(doc.meta.get_label(f) or f) for f in fieldnames)

	if old_state != new_state and (changed or settlement_changed):
		frappe.throw(
			_("Save your changes ({0}) first, then choose the workflow action.").format(
				labels(changed + settlement_changed)
			),
			title=_("Unsaved Changes"),
		)

	if changed:
		if old_state != DRAFT:
			frappe.throw(
				_(
					"{0} cannot be changed once the request is {1}: the approvers approved these values. Ask the approver to send it back to Draft to change it."
				).format(labels(changed), _(old_state)),
				title=_("Request Locked"),
			)
		if not is_requester(doc) and SYSTEM_MANAGER not in frappe.get_roles():
			frappe.throw(
				_("Only the requester {0} can change this request.").format(doc.requested_by),
				HospitalityApprovalError,
			)

	if settlement_changed:
		if old_state != APPROVED:
			frappe.throw(
				_(
					"The actual amount and receipt are recorded after the event, once the request is approved; it is {0}."
				).format(_(old_state)),
				title=_("Settlement Before Approval"),
			)
		if not can_manage_request(frappe.session.user, doc):
			frappe.throw(
				_(
					"Only the requester, the account's team or a Key Account Director can record the settlement."
				),
				HospitalityApprovalError,
			)
		if doc.actual_amount not in (None, ""):
			validate_settlement_values(doc)

	if (
		cstr(doc.rejection_reason).strip() != cstr(before.rejection_reason).strip()
		or doc.flags.rejection_reason_written
	):
		if old_state not in LEVEL_OF_STATE:
			frappe.throw(
				_("A reason for rejecting or sending back can only be written while the request is pending.")
			)
		# whose words these are: a rejection records only the reason its approver wrote
		doc.rejection_reason_by = frappe.session.user if cstr(doc.rejection_reason).strip() else None


def changed_fields(doc, before, fieldnames) -> list[str]:
	"""The fields of ``fieldnames`` whose value differs from the stored request's."""
	if before is None:
		return []
	changed = []
	for fieldname in fieldnames:
		old, new = before.get(fieldname), doc.get(fieldname)
		if fieldname in FLOAT_FIELDS:
			same = abs(flt(old) - flt(new)) < 1e-9
		elif fieldname == "planned_date":
			same = (getdate(old) if old else None) == (getdate(new) if new else None)
		else:
			same = cstr(old).strip() == cstr(new).strip()
		if not same:
			changed.append(fieldname)
	return changed


def changed_tables(doc, before) -> list[str]:
	"""The tables (recipients, participants) whose rows differ from the stored request's."""
	if before is None:
		return []
	changed = []
	if [(r.contact, flt(r.amount)) for r in before.recipients] != [
		(r.contact, flt(r.amount)) for r in doc.recipients
	]:
		changed.append("recipients")
	if [(r.user, cstr(r.role_in_event)) for r in before.participants] != [
		(r.user, cstr(r.role_in_event)) for r in doc.participants
	]:
		changed.append("participants")
	return changed
