# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""A hospitality or gift request, approved before the spend (DOMAIN.md §6).

The Workflow only offers the actions; this controller decides. Every save compares the stored state with
the requested one, so ``apply_workflow`` and a direct save of ``workflow_state`` go through the same
checks: who may act at the level, in which order, what may change in which state.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, flt, getdate, now_datetime, today

from key_account_management import hospitality as h
from key_account_management.access.html import bold
from key_account_management.access.rules import visible_customers
from key_account_management.core import hospitality as core
from key_account_management.messages import translate

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
		settled_on: DF.Date | None
		settlement_note: DF.SmallText | None
		variance_amount: DF.Currency
		variance_percent: DF.Percent
		workflow_state: DF.Link | None
	# end: auto-generated types

	# -----------------------------------------------------------------------------------------------------
	# hooks

	def before_insert(self):
		self.requested_by = frappe.session.user

	def validate(self):
		self._user = frappe.session.user
		before = None if self.is_new() else self.get_doc_before_save()
		old_state = (before.workflow_state if before else None) or h.DRAFT
		new_state = self.workflow_state or h.DRAFT
		self.workflow_state = new_state
		if self.is_new() and not self.requested_by:
			self.requested_by = self._user

		self.restore_protected(before)
		self.set_missing_values()
		if old_state == h.DRAFT:
			self.validate_draft(before)
			self.refresh_policy()

		self.validate_changes(before, old_state, new_state)
		if old_state != new_state:
			self.apply_transition(old_state, new_state)
		self.set_next_approval_state()
		self.set_settlement_values()

	def on_trash(self):
		if (self.workflow_state or h.DRAFT) != h.DRAFT:
			frappe.throw(
				_(
					"Request {0} is {1}: only a draft can be deleted; submitted requests stay as the audit trail."
				).format(self.name, _(self.workflow_state)),
				title=_("Cannot Delete"),
			)

	# -----------------------------------------------------------------------------------------------------
	# values

	def restore_protected(self, before):
		"""Computed values and the approval trail come from the database, never from the client."""
		if before is None:
			for fieldname in PROTECTED_FIELDS:
				if fieldname != "requested_by":
					self.set(fieldname, None)
			self.approval_round = 0
			self.set("approvals", [])
			self.set("limit_checks", [])
			for fieldname in (*SETTLEMENT_FIELDS, "rejection_reason"):
				if self.get(fieldname):
					self._new_with_settlement = True
			return
		for fieldname in PROTECTED_FIELDS:
			self.set(fieldname, before.get(fieldname))
		self.set("approvals", [row.as_dict() for row in before.approvals])
		if (before.workflow_state or h.DRAFT) != h.DRAFT:
			self.set("limit_checks", [row.as_dict() for row in before.limit_checks])
			# keep the computed columns of the recipients as approved
			stored = {row.name: row for row in before.recipients}
			for row in self.recipients:
				if row.name in stored:
					for fieldname in ("buying_role", "is_official", "actual_amount", "contact_name"):
						row.set(fieldname, stored[row.name].get(fieldname))

	def set_missing_values(self):
		if self.key_account:
			profile = frappe.db.get_value(
				"Key Account Profile",
				self.key_account,
				["customer", "customer_name", "account_manager", "company"],
				as_dict=True,
			)
			if not profile:
				frappe.throw(
					_("Key Account {0} does not exist; pick a Key Account Profile.").format(
						bold(self.key_account)
					)
				)
			self.customer, self.customer_name, self.account_manager = (
				profile.customer,
				profile.customer_name,
				profile.account_manager,
			)
			if (
				self.is_new()
				and profile.company
				and self.company != profile.company
				and self.company == frappe.defaults.get_user_default("Company")
			):
				# ERPNext's default company was filled in, not chosen: the key account's company it is
				self.company, self.currency = profile.company, None
		if not self.company:
			# the key account's company (its profile's, else the settings')
			from key_account_management.company import account_company

			self.company = account_company(self.key_account)
		if not self.company:
			frappe.throw(_("Company is required: set it here or in Key Account Settings."))
		self.company_currency = frappe.get_cached_value("Company", self.company, "default_currency")
		if (
			self.is_new()
			and self.currency != self.company_currency
			and self.currency == frappe.defaults.get_user_default("Currency")
			and flt(self.conversion_rate) in (0, 1)
		):
			# ERPNext's default currency at rate 1 was filled in, not chosen: the company's it is
			self.currency = None
		self.currency = self.currency or self.company_currency
		if self.currency == self.company_currency:
			self.conversion_rate = 1
		if flt(self.conversion_rate) <= 0:
			frappe.throw(
				_("Exchange Rate to Company Currency must be greater than zero (from {0} to {1}).").format(
					self.currency, self.company_currency
				)
			)
		for row in self.recipients:
			row.currency = self.currency
		for row in self.limit_checks:
			row.company_currency = self.company_currency

	def validate_draft(self, before=None):
		"""A request being written: amounts, recipients of the account's customer, planned date.

		A planned date being written (a new request, or a changed date) cannot be in the past; a draft
		whose unchanged date has passed since can still be saved, so it can be corrected or completed
		first: submitting it for approval needs the date ahead again."""
		problems = core.validate_request(
			self.estimated_amount,
			[(row.contact, row.amount) for row in self.recipients],
			self.planned_date,
			today(),
			is_new=before is None or bool(self.changed_fields(before, ("planned_date",))),
			justification=self.justification,
			breaks_limit=False,
		)
		if problems:
			frappe.throw("<br>".join(translate(problem) for problem in problems), title=_("Invalid Request"))
		if (
			self.planned_date
			and getdate(self.planned_date) < getdate(today())
			and (self.workflow_state or h.DRAFT) == h.DRAFT
		):
			frappe.msgprint(
				_(
					"The planned date {0} has passed: move it to the day of the event before submitting the request for approval."
				).format(frappe.format(self.planned_date, {"fieldtype": "Date"})),
				indicator="orange",
				alert=True,
			)
		contacts = [row.contact for row in self.recipients]
		links = frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Contact", "parent": ("in", contacts), "link_doctype": "Customer"},
			fields=["parent", "link_name"],
		)
		customers_of: dict[str, set[str]] = {}
		for link in links:
			customers_of.setdefault(link.parent, set()).add(link.link_name)
		for row in self.recipients:
			if self.customer not in customers_of.get(row.contact, set()):
				# name only the other customers the user works on or may read
				others = ", ".join(sorted(visible_customers(customers_of.get(row.contact, set()))))
				frappe.throw(
					_(
						"Row {0}: recipient {1} is not a contact of customer {2}{3}. Pick a contact of {2}, or link the contact to it first."
					).format(
						row.idx,
						bold(row.contact_name or row.contact),
						bold(self.customer),
						_(" (it belongs to {0})").format(bold(others)) if others else "",
					),
					title=_("Recipient of Another Customer"),
				)
		users = [row.user for row in self.participants]
		if len(users) != len(set(users)):
			frappe.throw(_("A participant is listed more than once; keep one row per person."))

	def refresh_policy(self):
		"""Officials, buying-center roles, limit checks and approval levels, from the current data."""
		result = h.evaluate(self)
		roles: dict[str, list[str]] = {}
		for role in frappe.get_all(
			"Buying Center Role",
			filters={
				"key_account": self.key_account,
				"contact": ("in", [r.contact for r in self.recipients]),
			},
			fields=["contact", "buying_role"],
			order_by="buying_role",
		):
			roles.setdefault(role.contact, []).append(_(role.buying_role))
		names = {}
		for row in self.recipients:
			row.is_official = int(row.contact in result.officials)
			row.buying_role = ", ".join(roles.get(row.contact, []))
			row.contact_name = row.contact_name or frappe.db.get_value("Contact", row.contact, "full_name")
			names[row.contact] = row.contact_name or row.contact
		self.any_official = int(result.any_official)
		self.breaks_limit = int(result.breaks_limit)
		self.approval_route = ", ".join(result.route)
		self.base_estimated_amount = flt(self.estimated_amount) * flt(self.conversion_rate)
		self.set("limit_checks", [])
		for row in h.limit_check_rows(result.checks, names):
			self.append("limit_checks", {**row, "company_currency": self.company_currency})
		return result

	# -----------------------------------------------------------------------------------------------------
	# what may change in which state

	def validate_changes(self, before, old_state, new_state):
		changed = self.changed_fields(before, BUSINESS_FIELDS) + self.changed_tables(before)
		settlement_changed = self.changed_fields(before, SETTLEMENT_FIELDS)
		if before is None:
			if new_state != h.DRAFT:
				frappe.throw(
					_("A new request starts as Draft; submit it for approval once it is saved."),
					h.HospitalityApprovalError,
					title=_("Not Allowed"),
				)
			if getattr(self, "_new_with_settlement", False):
				frappe.throw(
					_(
						"The actual amount, receipt and settlement are recorded after the event, once the request is approved."
					),
					title=_("Settlement Before Approval"),
				)
			return

		if old_state != new_state and (changed or settlement_changed):
			frappe.throw(
				_("Save your changes ({0}) first, then choose the workflow action.").format(
					", ".join(_(self.meta.get_label(f) or f) for f in changed + settlement_changed)
				),
				title=_("Unsaved Changes"),
			)

		if changed:
			if old_state != h.DRAFT:
				frappe.throw(
					_(
						"{0} cannot be changed once the request is {1}: the approvers approved these values. Ask the approver to send it back to Draft to change it."
					).format(", ".join(_(self.meta.get_label(f) or f) for f in changed), _(old_state)),
					title=_("Request Locked"),
				)
			if not self.is_requester() and "System Manager" not in frappe.get_roles():
				frappe.throw(
					_("Only the requester {0} can change this request.").format(self.requested_by),
					h.HospitalityApprovalError,
				)

		if settlement_changed:
			if old_state != h.APPROVED:
				frappe.throw(
					_(
						"The actual amount and receipt are recorded after the event, once the request is approved; it is {0}."
					).format(_(old_state)),
					title=_("Settlement Before Approval"),
				)
			if not h.can_manage_request(self._user, self):
				frappe.throw(
					_(
						"Only the requester, the account's team or a Key Account Director can record the settlement."
					),
					h.HospitalityApprovalError,
				)
			if self.actual_amount not in (None, ""):
				self.validate_settlement_values()

		if (
			cstr(self.rejection_reason).strip() != cstr(before.rejection_reason).strip()
			or self.flags.rejection_reason_written
		):
			if old_state not in h.LEVEL_OF_STATE:
				frappe.throw(
					_(
						"A reason for rejecting or sending back can only be written while the request is pending."
					)
				)
			# whose words these are: a rejection records only the reason its approver wrote
			self.rejection_reason_by = self._user if cstr(self.rejection_reason).strip() else None

	def changed_fields(self, before, fieldnames) -> list[str]:
		if before is None:
			return []
		changed = []
		for fieldname in fieldnames:
			old, new = before.get(fieldname), self.get(fieldname)
			if fieldname in FLOAT_FIELDS:
				same = abs(flt(old) - flt(new)) < 1e-9
			elif fieldname == "planned_date":
				same = (getdate(old) if old else None) == (getdate(new) if new else None)
			else:
				same = cstr(old).strip() == cstr(new).strip()
			if not same:
				changed.append(fieldname)
		return changed

	def changed_tables(self, before) -> list[str]:
		if before is None:
			return []
		changed = []
		if [(r.contact, flt(r.amount)) for r in before.recipients] != [
			(r.contact, flt(r.amount)) for r in self.recipients
		]:
			changed.append("recipients")
		if [(r.user, cstr(r.role_in_event)) for r in before.participants] != [
			(r.user, cstr(r.role_in_event)) for r in self.participants
		]:
			changed.append("participants")
		return changed

	# -----------------------------------------------------------------------------------------------------
	# transitions

	def apply_transition(self, old_state, new_state):
		if old_state == h.DRAFT and new_state in h.LEVEL_OF_STATE:
			self.submit_for_approval(new_state)
		elif old_state in h.LEVEL_OF_STATE and new_state == h.REJECTED:
			self.decline(old_state, h.TRAIL_REJECTED)
		elif old_state in h.LEVEL_OF_STATE and new_state == h.DRAFT:
			self.decline(old_state, h.TRAIL_SENT_BACK)
		elif old_state in h.LEVEL_OF_STATE and new_state in (*h.LEVEL_OF_STATE, h.APPROVED):
			self.approve(old_state, new_state)
		elif old_state == h.APPROVED and new_state in (h.SETTLED, *h.LEVEL_OF_STATE):
			self.settle(new_state)
		else:
			frappe.throw(
				_("A request cannot go from {0} to {1}.").format(_(old_state), _(new_state)),
				h.HospitalityApprovalError,
				title=_("Not Allowed"),
			)

	def submit_for_approval(self, new_state):
		if not self.is_requester():
			frappe.throw(
				_("Only the requester {0} can submit this request for approval.").format(self.requested_by),
				h.HospitalityApprovalError,
			)
		problems = core.validate_request(
			self.estimated_amount,
			[(row.contact, row.amount) for row in self.recipients],
			self.planned_date,
			today(),
			is_new=True,
			justification=self.justification,
			breaks_limit=bool(self.breaks_limit),
		)
		if problems:
			frappe.throw("<br>".join(translate(problem) for problem in problems), title=_("Cannot Submit"))
		route = self.route()
		expected = h.PENDING[route[0]]
		if new_state != expected:
			frappe.throw(
				_("Levels cannot be skipped: this request needs {0} approval first (levels: {1}).").format(
					_(route[0]), self.approval_route
				),
				title=_("Not Allowed"),
			)
		self.approval_round = (self.approval_round or 0) + 1
		self.rejection_reason = self.rejection_reason_by = None
		self.add_trail("", h.TRAIL_SUBMITTED, self.justification if self.breaks_limit else None)

	def approve(self, old_state, new_state):
		level = h.LEVEL_OF_STATE[old_state]
		self.check_approver(level)
		route = self.route()
		approved = {**self.approved_so_far(), level: self._user}
		following = core.next_level(route, approved)
		expected = h.PENDING[following] if following else h.APPROVED
		if new_state != expected:
			target = h.LEVEL_OF_STATE.get(new_state)
			if target and target not in route:
				message = _("{0} approval is not required for this request (levels: {1}).").format(
					_(target), self.approval_route
				)
			else:
				message = _(
					"Levels cannot be skipped: after {0} approval the request goes to {1}, not {2} (levels: {3})."
				).format(_(level), _(expected), _(new_state), self.approval_route)
			frappe.throw(message, h.HospitalityApprovalError, title=_("Not Allowed"))
		self.add_trail(level, h.TRAIL_APPROVED)
		# a reason written at this level and not used is not the next approver's
		self.rejection_reason = self.rejection_reason_by = None
		if new_state == h.APPROVED:
			self.approved_amount = (
				flt(self.actual_amount) if flt(self.actual_amount) > 0 else flt(self.estimated_amount)
			)

	def decline(self, old_state, trail_action):
		level = h.LEVEL_OF_STATE[old_state]
		self.check_approver(level)
		reason = (self.rejection_reason or "").strip()
		if not reason or not h.same_user(self.rejection_reason_by, self._user):
			# another approver's reason (an earlier level's, left in the field) is not this one's
			frappe.throw(
				_("Write the reason in 'Reason (Reject / Send Back)' before you {0} the request.").format(
					_("reject") if trail_action == h.TRAIL_REJECTED else _("send back")
				),
				title=_("Reason Required"),
			)
		self.add_trail(level, trail_action, reason)

	def settle(self, new_state):
		if not h.can_manage_request(self._user, self):
			frappe.throw(
				_("Only the requester, the account's team or a Key Account Director can settle the request."),
				h.HospitalityApprovalError,
			)
		self.validate_settlement_values()
		policy = h.get_policy()
		if core.needs_reapproval(self.approved_amount, self.actual_amount, policy.tolerance_percent):
			result = self.refresh_limits_for_actual(policy)
			expected = h.PENDING[result.route[0]]
			if new_state != expected:
				frappe.throw(
					_(
						"The actual amount {0} is more than {1}% above the approved {2}: the request goes back to {3} for re-approval."
					).format(
						flt(self.actual_amount),
						policy.tolerance_percent,
						flt(self.approved_amount),
						_(expected),
					),
					title=_("Re-approval Needed"),
				)
			if result.breaks_limit and not (self.settlement_note or self.justification or "").strip():
				frappe.throw(
					_("The actual amount breaks a limit: explain it in the Settlement Note before settling."),
					title=_("Justification Required"),
				)
			self.approval_round = (self.approval_round or 0) + 1
			_amount, percent = core.variance(self.approved_amount, self.actual_amount)
			self.add_trail(
				"",
				h.TRAIL_REAPPROVAL,
				_("Actual {0} is {1}% above the approved {2}.").format(
					flt(self.actual_amount), round(percent or 0, 1), flt(self.approved_amount)
				),
			)
			return
		if new_state != h.SETTLED:
			frappe.throw(
				_("The actual amount is within the approved amount and tolerance: settle the request."),
				title=_("Not Allowed"),
			)
		self.settled_on = today()
		self.add_trail("", h.TRAIL_SETTLED, self.settlement_note)

	def refresh_limits_for_actual(self, policy):
		result = h.evaluate(self, amount=flt(self.actual_amount), policy=policy)
		names = {row.contact: row.contact_name or row.contact for row in self.recipients}
		self.breaks_limit = int(result.breaks_limit)
		self.approval_route = ", ".join(result.route)
		self.set("limit_checks", [])
		for row in h.limit_check_rows(result.checks, names):
			self.append("limit_checks", {**row, "company_currency": self.company_currency})
		return result

	def validate_settlement_values(self):
		policy = h.get_policy()
		state = self.get_doc_before_save().workflow_state if not self.is_new() else self.workflow_state
		problems = core.validate_settlement(
			state, self.actual_amount, bool(self.receipt), policy.receipt_required_above
		)
		if self.planned_date and getdate(self.planned_date) > getdate(today()):
			problems.append(
				_("The actual amount is recorded after the event, which is planned on {0}.").format(
					frappe.format(self.planned_date, {"fieldtype": "Date"})
				)
			)
		if problems:
			frappe.throw("<br>".join(translate(problem) for problem in problems), title=_("Cannot Settle"))

	# -----------------------------------------------------------------------------------------------------
	# approvals

	def is_requester(self) -> bool:
		return h.same_user(self._user if hasattr(self, "_user") else frappe.session.user, self.requested_by)

	def route(self) -> tuple[str, ...]:
		route = tuple(level.strip() for level in (self.approval_route or "").split(",") if level.strip())
		if not route:
			frappe.throw(_("The approval levels of this request are not set; save it as a draft first."))
		return route

	def approved_so_far(self) -> dict[str, str]:
		return {
			row.level: row.approver
			for row in self.approvals
			if row.action == h.TRAIL_APPROVED and (row.approval_round or 0) == (self.approval_round or 0)
		}

	def check_approver(self, level):
		"""Separation of duties (core.can_approve) and the level's role, for the current user."""
		user = frappe.session.user
		allowed, reason = core.can_approve(
			level, self.route(), self.approved_so_far(), user, self.requested_by
		)
		if not allowed:
			frappe.throw(
				_("Not allowed: {0}.").format(translate(reason)),
				h.HospitalityApprovalError,
				title=_("Not Allowed"),
			)
		allowed, reason = h.can_act_at_level(user, level, self.requested_by)
		if not allowed:
			frappe.throw(reason, h.HospitalityApprovalError, title=_("Not Allowed"))

	def add_trail(self, level, action, comment=None):
		self.append(
			"approvals",
			{
				"approval_round": self.approval_round,
				"level": level,
				"action": action,
				"approver": frappe.session.user,
				# fetch_from runs before validate, where the rows are added: fill the name here
				"approver_name": frappe.utils.get_fullname(frappe.session.user),
				"approved_on": now_datetime(),
				"comment": comment,
			},
		)

	def set_next_approval_state(self):
		"""The state the next Submit / Approve / Settle leads to; the workflow's transitions follow it."""
		state = self.workflow_state
		target = ""
		if state == h.DRAFT and self.approval_route:
			target = h.PENDING[self.route()[0]]
		elif state in h.LEVEL_OF_STATE:
			approved = {**self.approved_so_far(), h.LEVEL_OF_STATE[state]: "?"}
			following = core.next_level(self.route(), approved)
			target = h.PENDING[following] if following else h.APPROVED
		elif state == h.APPROVED and flt(self.actual_amount) > 0:
			policy = h.get_policy()
			if core.needs_reapproval(self.approved_amount, self.actual_amount, policy.tolerance_percent):
				result = h.evaluate(self, amount=flt(self.actual_amount), policy=policy)
				target = h.PENDING[result.route[0]]
			else:
				target = h.SETTLED
		self.next_approval_state = target

	def set_settlement_values(self):
		if flt(self.actual_amount) > 0:
			self.base_actual_amount = flt(self.actual_amount) * flt(self.conversion_rate)
			self.variance_amount, percent = core.variance(self.estimated_amount, self.actual_amount)
			self.variance_percent = percent
			estimate = flt(self.estimated_amount)
			for row in self.recipients:
				row.actual_amount = flt(row.amount) * flt(self.actual_amount) / estimate if estimate else None
		else:
			self.base_actual_amount = self.variance_amount = self.variance_percent = None
