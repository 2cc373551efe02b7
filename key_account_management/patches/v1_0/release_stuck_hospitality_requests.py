"""Hospitality requests waiting where nobody may act move on, as the approval line now says (issue 26,
docs/DOMAIN.md §6, hospitality: the approval line).

Before the line ran upward from the requester, a Key Account Director's request went to Pending Manager,
a level below them that nobody may sign for a director, and a request could wait at a level only its
requester may sign. Each pending request is read again with the capability's rule
(``core.hospitality_flow.requester_line``, ``hospitality.approvers.line_gap``):

- its levels still to sign change (a director's Manager level is skipped): the skipped levels are
  recorded in the approval trail as a submit records them and the request goes to the level that is
  next, whose approver may act;
- nobody other than the requester (and those who signed earlier levels of the round) can sign the
  levels still to sign: the request is sent back to Draft, and the trail and the timeline say whom to
  set as the Employee's Reports To (or whom to give a role), or to submit again;
- otherwise it is left as it is.

Idempotent: a request moved is pending where someone may act, or a Draft, and is left alone next time.
"""

import frappe
from frappe import _
from frappe.workflow.doctype.workflow_action.workflow_action import process_workflow_actions

from key_account_management.core import hospitality_flow as flow
from key_account_management.core.hospitality import LEVELS
from key_account_management.hospitality.approval import add_skipped, add_trail, set_next_approval_state
from key_account_management.hospitality.approvers import approval_line, line_gap
from key_account_management.hospitality.workflow import DOCTYPE


def execute():
	requests = frappe.get_all(
		DOCTYPE,
		filters={"workflow_state": ("in", list(flow.PENDING.values()))},
		fields=["name", "requested_by", "workflow_state", "approval_route", "approval_round"],
		order_by="name",
	)
	if not requests:
		return
	signed = signatures(requests)
	lines: dict[str, frappe._dict] = {}
	for request in requests:
		levels = tuple(level.strip() for level in (request.approval_route or "").split(",") if level.strip())
		if not levels or not request.requested_by:
			continue
		if request.requested_by not in lines:
			lines[request.requested_by] = approval_line(request.requested_by, LEVELS)
		release(request, levels, lines[request.requested_by], signed.get(request.name, {}))


def signatures(requests: list[frappe._dict]) -> dict[str, dict[str, str]]:
	"""Request -> level -> approver of the approvals of each request's current round."""
	rounds = {request.name: request.approval_round or 0 for request in requests}
	signed: dict[str, dict[str, str]] = {}
	for row in frappe.get_all(
		"Hospitality Approval",
		filters={"parenttype": DOCTYPE, "parent": ("in", list(rounds)), "action": flow.TRAIL_APPROVED},
		fields=["parent", "level", "approver", "approval_round"],
		order_by="parent, idx",
	):
		if (row.approval_round or 0) == rounds[row.parent]:
			signed.setdefault(row.parent, {})[row.level] = row.approver
	return signed


def release(request: frappe._dict, levels: tuple[str, ...], line: frappe._dict, approved: dict) -> None:
	"""Move one pending request as the approval line from its requester up says, if it must move."""
	route, skipped = flow.requester_line(levels, line.director)
	level = flow.next_level(route, approved)
	if not level:
		return
	ahead = [step for step in route if step not in approved]
	if line_gap(line, ahead, approved.values()) is None:
		if ahead == [step for step in levels if step not in approved] and (
			flow.PENDING[level] == request.workflow_state
		):
			return
		doc = frappe.get_doc(DOCTYPE, request.name)
		count = len(doc.approvals)
		doc.flags.skipped_levels = [step for step in skipped if step not in approved]
		add_skipped(doc)
		write(doc, count, flow.PENDING[level], route)
		return
	waiting_at = _(flow.LEVEL_OF_STATE[request.workflow_state])
	gap = line_gap(line, route)
	if gap:
		message = (
			_(
				"Sent back to Draft by the upgrade: nobody other than {0} may approve this request at {1} level."
			).format(line.requester, waiting_at)
			+ " "
			+ gap
		)
	else:
		message = _(
			"Sent back to Draft by the upgrade: after the approvals already given, nobody other than {0} may approve this request at {1} level (one person approves one level). Submit it again to start a new round of approvals."
		).format(line.requester, waiting_at)
	doc = frappe.get_doc(DOCTYPE, request.name)
	count = len(doc.approvals)
	add_trail(doc, flow.LEVEL_OF_STATE[request.workflow_state], flow.TRAIL_SENT_BACK, message)
	write(doc, count, flow.DRAFT, route)
	doc.add_comment("Comment", message)


def write(doc, count: int, state: str, route) -> None:
	"""Store the new state, levels and trail rows (from row ``count`` on) without the controller, which
	checks an action by the user who takes it: here nobody takes one, the rule moved."""
	doc.workflow_state = state
	doc.approval_route = ", ".join(route)
	set_next_approval_state(doc)
	for row in doc.approvals[count:]:
		row.db_insert()
	frappe.db.set_value(
		DOCTYPE,
		doc.name,
		{
			"workflow_state": doc.workflow_state,
			"approval_route": doc.approval_route,
			"next_approval_state": doc.next_approval_state,
		},
	)
	# the desk's Workflow Actions follow the new state, as a save would have them
	process_workflow_actions(doc, "on_update")
