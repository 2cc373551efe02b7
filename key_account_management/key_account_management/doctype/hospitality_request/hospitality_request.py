# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""A hospitality or gift request, approved before the spend (docs/DOMAIN.md §6).

The Workflow only offers the actions; this controller decides, through the modules of
``key_account_management.hospitality`` that take the document: ``request`` (its values and the policy's
verdict), ``locks`` (what may change in which state) and ``approval`` (the transitions and the approval
trail). Every save compares the stored state with the requested one, so ``apply_workflow`` and a direct
save of ``workflow_state`` go through the same checks: who may act at the level, in which order, what
may change in which state.
"""

import frappe
from frappe import _
from frappe.model.document import Document

from key_account_management.core.hospitality_flow import DRAFT
from key_account_management.hospitality import approval, locks, request


class HospitalityRequest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_management.key_account_management.doctype.hospitality_approval.hospitality_approval import (
			HospitalityApproval,
		)
		from key_account_management.key_account_management.doctype.hospitality_limit_check.hospitality_limit_check import (
			HospitalityLimitCheck,
		)
		from key_account_management.key_account_management.doctype.hospitality_participant.hospitality_participant import (
			HospitalityParticipant,
		)
		from key_account_management.key_account_management.doctype.hospitality_recipient.hospitality_recipient import (
			HospitalityRecipient,
		)

		account_manager: DF.Link | None
		actual_amount: DF.Currency
		any_official: DF.Check
		approval_round: DF.Int
		approval_route: DF.Data | None
		approvals: DF.Table[HospitalityApproval]
		approved_amount: DF.Currency
		base_actual_amount: DF.Currency
		base_estimated_amount: DF.Currency
		breaks_limit: DF.Check
		business_purpose: DF.SmallText
		company: DF.Link
		company_currency: DF.Link | None
		conversion_rate: DF.Float
		currency: DF.Link
		customer: DF.Link | None
		customer_name: DF.Data | None
		estimated_amount: DF.Currency
		justification: DF.SmallText | None
		key_account: DF.Link
		limit_checks: DF.Table[HospitalityLimitCheck]
		next_approval_state: DF.Data | None
		participants: DF.Table[HospitalityParticipant]
		planned_date: DF.Date
		receipt: DF.Attach | None
		recipients: DF.Table[HospitalityRecipient]
		rejection_reason: DF.SmallText | None
		rejection_reason_by: DF.Link | None
		request_type: DF.Literal["Meal", "Entertainment", "Gift", "Travel/Hosting", "Reception/Site Visit"]
		requested_by: DF.Link | None
		requested_by_name: DF.Data | None
		settled_on: DF.Date | None
		settlement_note: DF.SmallText | None
		variance_amount: DF.Currency
		variance_percent: DF.Percent
		workflow_state: DF.Link | None
	# end: auto-generated types

	def before_insert(self):
		self.requested_by = frappe.session.user

	def validate(self):
		before = None if self.is_new() else self.get_doc_before_save()
		old_state = (before.workflow_state if before else None) or DRAFT
		new_state = self.workflow_state or DRAFT
		self.workflow_state = new_state
		if self.is_new() and not self.requested_by:
			self.requested_by = frappe.session.user

		locks.restore_protected(self, before)
		request.set_missing_values(self)
		if old_state == DRAFT:
			date_written = before is None or bool(locks.changed_fields(self, before, ("planned_date",)))
			request.validate_draft(self, date_written)
			request.refresh_policy(self)

		locks.validate_changes(self, before, old_state, new_state)
		if old_state != new_state:
			approval.apply_transition(self, old_state, new_state)
		approval.set_next_approval_state(self)
		request.set_settlement_values(self)

	def on_trash(self):
		if (self.workflow_state or DRAFT) != DRAFT:
			frappe.throw(
				_(
					"Request {0} is {1}: only a draft can be deleted; submitted requests stay as the audit trail."
				).format(self.name, _(self.workflow_state)),
				title=_("Cannot Delete"),
			)
