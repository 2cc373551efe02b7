"""The approval trail and the transitions of a hospitality request, for its controller (docs/DOMAIN.md
§6, the approval line).

The Workflow offers the actions; these functions decide. A change of state is checked against the one
:func:`core.hospitality_flow.next_state` gives, by the user the level belongs to (``approvers.py``), and
recorded in the approval trail (Hospitality Approval rows, one per step, numbered by round).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, now_datetime, today

from key_account_management.core import hospitality as core
from key_account_management.core import hospitality_flow as flow
from key_account_management.hospitality.approvers import (
	HospitalityApprovalError,
	can_act_at_level,
	can_manage_request,
	check_line,
	is_requester,
)
from key_account_management.hospitality.policy import evaluate, get_policy
from key_account_management.hospitality.request import (
	refresh_limits_for_actual,
	throw_problems,
	validate_settlement_values,
)
from key_account_management.messages import translate


def apply_transition(doc, old_state: str, new_state: str) -> None:
	"""Check and record the action that moves ``doc`` from ``old_state`` to ``new_state``."""
	action = flow.action_of(old_state, new_state)
	if action == flow.ACTION_SUBMIT:
		submit_for_approval(doc, new_state)
	elif action == flow.ACTION_REJECT:
		decline(doc, old_state, flow.TRAIL_REJECTED)
	elif action == flow.ACTION_SEND_BACK:
		decline(doc, old_state, flow.TRAIL_SENT_BACK)
	elif action == flow.ACTION_APPROVE:
		approve(doc, old_state, new_state)
	elif action == flow.ACTION_SETTLE:
		settle(doc, new_state)
	else:
		frappe.throw(
			_("A request cannot go from {0} to {1}.").format(_(old_state), _(new_state)),
			HospitalityApprovalError,
			title=_("Not Allowed"),
		)


def submit_for_approval(doc, new_state: str) -> None:
	if not is_requester(doc):
		frappe.throw(
			_("Only the requester {0} can submit this request for approval.").format(doc.requested_by),
			HospitalityApprovalError,
		)
	throw_problems(doc, True, breaks_limit=bool(doc.breaks_limit), title=_("Cannot Submit"))
	expected = flow.next_state(flow.DRAFT, flow.ACTION_SUBMIT, route(doc))
	if new_state != expected:
		frappe.throw(
			_("Levels cannot be skipped: this request needs {0} approval first (levels: {1}).").format(
				_(flow.LEVEL_OF_STATE[expected]), doc.approval_route
			),
			title=_("Not Allowed"),
		)
	check_line(doc, route(doc))
	doc.approval_round = (doc.approval_round or 0) + 1
	doc.rejection_reason = doc.rejection_reason_by = None
	add_trail(doc, "", flow.TRAIL_SUBMITTED, doc.justification if doc.breaks_limit else None)
	add_skipped(doc)


def approve(doc, old_state: str, new_state: str) -> None:
	level = flow.LEVEL_OF_STATE[old_state]
	check_approver(doc, level)
	levels = route(doc)
	expected = flow.next_state(old_state, flow.ACTION_APPROVE, levels, approved_so_far(doc))
	if new_state != expected:
		target = flow.LEVEL_OF_STATE.get(new_state)
		if target and target not in levels:
			message = _("{0} approval is not required for this request (levels: {1}).").format(
				_(target), doc.approval_route
			)
		else:
			message = _(
				"Levels cannot be skipped: after {0} approval the request goes to {1}, not {2} (levels: {3})."
			).format(_(level), _(expected), _(new_state), doc.approval_route)
		frappe.throw(message, HospitalityApprovalError, title=_("Not Allowed"))
	add_trail(doc, level, flow.TRAIL_APPROVED)
	# a reason written at this level and not used is not the next approver's
	doc.rejection_reason = doc.rejection_reason_by = None
	if new_state == flow.APPROVED:
		doc.approved_amount = (
			flt(doc.actual_amount) if flt(doc.actual_amount) > 0 else flt(doc.estimated_amount)
		)


def decline(doc, old_state: str, trail_action: str) -> None:
	"""Reject the request, or send it back to Draft, with the reason this approver wrote."""
	level = flow.LEVEL_OF_STATE[old_state]
	check_approver(doc, level)
	reason = (doc.rejection_reason or "").strip()
	if not reason or not core.same_user(doc.rejection_reason_by, frappe.session.user):
		# another approver's reason (an earlier level's, left in the field) is not this one's
		frappe.throw(
			_("Write the reason in 'Reason (Reject / Send Back)' before you {0} the request.").format(
				_("reject") if trail_action == flow.TRAIL_REJECTED else _("send back")
			),
			title=_("Reason Required"),
		)
	add_trail(doc, level, trail_action, reason)


def settle(doc, new_state: str) -> None:
	"""Settle the request, or send it back for re-approval when the actual amount is more than the
	tolerance above the approved one."""
	if not can_manage_request(frappe.session.user, doc):
		frappe.throw(
			_("Only the requester, the account's team or a Key Account Director can settle the request."),
			HospitalityApprovalError,
		)
	validate_settlement_values(doc)
	policy = get_policy()
	if core.needs_reapproval(doc.approved_amount, doc.actual_amount, policy.tolerance_percent):
		result = refresh_limits_for_actual(doc, policy)
		expected = flow.next_state(flow.APPROVED, flow.ACTION_SETTLE, reapproval_route=result.route)
		if new_state != expected:
			frappe.throw(
				_(
					"The actual amount {0} is more than {1}% above the approved {2}: the request goes back to {3} for re-approval."
				).format(
					flt(doc.actual_amount),
					policy.tolerance_percent,
					flt(doc.approved_amount),
					_(expected),
				),
				title=_("Re-approval Needed"),
			)
		if result.breaks_limit and not (doc.settlement_note or doc.justification or "").strip():
			frappe.throw(
				_("The actual amount breaks a limit: explain it in the Settlement Note before settling."),
				title=_("Justification Required"),
			)
		check_line(doc, result.route)
		doc.approval_round = (doc.approval_round or 0) + 1
		_amount, percent = core.variance(doc.approved_amount, doc.actual_amount)
		add_trail(
			doc,
			"",
			flow.TRAIL_REAPPROVAL,
			_("Actual {0} is {1}% above the approved {2}.").format(
				flt(doc.actual_amount), round(percent or 0, 1), flt(doc.approved_amount)
			),
		)
		add_skipped(doc)
		return
	if new_state != flow.next_state(flow.APPROVED, flow.ACTION_SETTLE):
		frappe.throw(
			_("The actual amount is within the approved amount and tolerance: settle the request."),
			title=_("Not Allowed"),
		)
	doc.settled_on = today()
	add_trail(doc, "", flow.TRAIL_SETTLED, doc.settlement_note)


def route(doc) -> tuple[str, ...]:
	"""The levels the request requires, as its last evaluation stored them."""
	levels = tuple(level.strip() for level in (doc.approval_route or "").split(",") if level.strip())
	if not levels:
		frappe.throw(_("The approval levels of this request are not set; save it as a draft first."))
	return levels


def approved_so_far(doc) -> dict[str, str]:
	"""Level -> approver of the approvals of the current round."""
	return {
		row.level: row.approver
		for row in doc.approvals
		if row.action == flow.TRAIL_APPROVED and (row.approval_round or 0) == (doc.approval_round or 0)
	}


def check_approver(doc, level: str) -> None:
	"""Separation of duties (core.hospitality_flow.can_approve) and the level's role, for the current
	user."""
	user = frappe.session.user
	allowed, reason = flow.can_approve(level, route(doc), approved_so_far(doc), user, doc.requested_by)
	if not allowed:
		frappe.throw(
			_("Not allowed: {0}.").format(translate(reason)),
			HospitalityApprovalError,
			title=_("Not Allowed"),
		)
	allowed, reason = can_act_at_level(user, level, doc.requested_by)
	if not allowed:
		frappe.throw(reason, HospitalityApprovalError, title=_("Not Allowed"))


def add_trail(doc, level: str, action: str, comment: str | None = None) -> None:
	doc.append(
		"approvals",
		{
			"approval_round": doc.approval_round,
			"level": level,
			"action": action,
			"approver": frappe.session.user,
			# fetch_from runs before validate, where the rows are added: fill the name here
			"approver_name": frappe.utils.get_fullname(frappe.session.user),
			"approved_on": now_datetime(),
			"comment": comment,
		},
	)


def add_skipped(doc) -> None:
	"""Record the levels the requester's rank skips (core.hospitality_flow.requester_line)."""
	for level in doc.flags.skipped_levels or ():
		add_trail(
			doc,
			level,
			flow.TRAIL_SKIPPED,
			_(
				"{0} is a Key Account Director: the {1} level is below them and is skipped; their superior approves at Director level."
			).format(doc.requested_by, _(level)),
		)


def set_next_approval_state(doc) -> None:
	"""The state the next Submit / Approve / Settle leads to; the workflow's transitions follow it."""
	state = doc.workflow_state
	target = None
	if state == flow.DRAFT and doc.approval_route:
		target = flow.next_state(state, flow.ACTION_SUBMIT, route(doc))
	elif state in flow.LEVEL_OF_STATE:
		target = flow.next_state(state, flow.ACTION_APPROVE, route(doc), approved_so_far(doc))
	elif state == flow.APPROVED and flt(doc.actual_amount) > 0:
		policy = get_policy()
		reapproval = None
		if core.needs_reapproval(doc.approved_amount, doc.actual_amount, policy.tolerance_percent):
			reapproval = evaluate(doc, amount=flt(doc.actual_amount), policy=policy).route
		target = flow.next_state(state, flow.ACTION_SETTLE, reapproval_route=reapproval)
	doc.next_approval_state = target or ""
