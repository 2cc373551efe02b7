"""The Workflow shipped with the app for Hospitality Request (docs/DOMAIN.md §6, the approval line).

The Workflow only offers the actions: its transitions are :func:`core.hospitality_flow.transitions`,
guarded by the state the controller stores for the next Submit / Approve / Settle
(``next_approval_state``); the controller decides (``approval.py``). Which roles act at which level is
written here, once.
"""

from __future__ import annotations

import frappe
from frappe.utils import cint

from key_account_management.access.roles import (
	HOSPITALITY_APPROVER,
	KEY_ACCOUNT_DIRECTOR,
	KEY_ACCOUNT_MANAGER,
	SYSTEM_MANAGER,
)
from key_account_management.core import hospitality_flow as flow

DOCTYPE = "Hospitality Request"
WORKFLOW_NAME = "Hospitality Request Approval"

# who writes, submits and settles a request
REQUESTER_ROLES = (KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR)
# who acts (approve, reject, send back) at each level
LEVEL_ROLES = {
	"Manager": (KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR),
	"Director": (KEY_ACCOUNT_DIRECTOR,),
	"Finance": (HOSPITALITY_APPROVER,),
}

WORKFLOW_STATES = (
	# state, style, roles that may edit the document in that state
	(flow.DRAFT, "", REQUESTER_ROLES),
	(flow.PENDING["Manager"], "Warning", LEVEL_ROLES["Manager"]),
	(flow.PENDING["Director"], "Warning", LEVEL_ROLES["Director"]),
	(flow.PENDING["Finance"], "Warning", LEVEL_ROLES["Finance"]),
	(flow.APPROVED, "Success", REQUESTER_ROLES),
	(flow.REJECTED, "Danger", (SYSTEM_MANAGER,)),
	(flow.SETTLED, "Primary", (SYSTEM_MANAGER,)),
)


def goes_to(state: str) -> str:
	"""The condition of a transition to ``state``: the controller stores the state the next Submit /
	Approve / Settle leads to, and the transitions follow it."""
	return f'doc.next_approval_state == "{state}"'


def workflow_transitions() -> list[dict]:
	"""One row per (transition, role): the requesters submit and settle (their own request: self
	approval allowed), the level's roles approve, reject and send back."""
	transitions: list[dict] = []
	for state, action, next_state in flow.transitions():
		by_requester = action in (flow.ACTION_SUBMIT, flow.ACTION_SETTLE)
		roles = REQUESTER_ROLES if by_requester else LEVEL_ROLES[flow.LEVEL_OF_STATE[state]]
		for role in roles:
			transitions.append(
				{
					"state": state,
					"action": action,
					"next_state": next_state,
					"allowed": role,
					"allow_self_approval": int(by_requester),
					"condition": goes_to(next_state) if action in flow.ROUTED_ACTIONS else None,
				}
			)
	return transitions


def setup_workflow() -> str:
	"""Create or update the Hospitality Request workflow, its states and actions; idempotent."""
	for state, style, _roles in WORKFLOW_STATES:
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in flow.ACTIONS:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)

	states = [
		{"state": state, "doc_status": "0", "allow_edit": role}
		for state, _style, roles in WORKFLOW_STATES
		for role in roles
	]
	transitions = workflow_transitions()
	if frappe.db.exists("Workflow", WORKFLOW_NAME):
		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		current = (
			[(s.state, s.doc_status, s.allow_edit) for s in workflow.states],
			[
				(t.state, t.action, t.next_state, t.allowed, cint(t.allow_self_approval), t.condition or None)
				for t in workflow.transitions
			],
			cint(workflow.is_active),
		)
		wanted = (
			[(s["state"], s["doc_status"], s["allow_edit"]) for s in states],
			[
				(
					t["state"],
					t["action"],
					t["next_state"],
					t["allowed"],
					t["allow_self_approval"],
					t["condition"],
				)
				for t in transitions
			],
			1,
		)
		if current == wanted and workflow.document_type == DOCTYPE:
			return workflow.name
		workflow.states = []
		workflow.transitions = []
	else:
		workflow = frappe.new_doc("Workflow")
		workflow.workflow_name = WORKFLOW_NAME
	workflow.update(
		{
			"document_type": DOCTYPE,
			"workflow_state_field": "workflow_state",
			"is_active": 1,
			"override_status": 0,
			"send_email_alert": 0,
		}
	)
	for row in states:
		workflow.append("states", row)
	for row in transitions:
		workflow.append("transitions", row)
	workflow.save(ignore_permissions=True)
	frappe.cache.hdel("workflow", DOCTYPE)
	return workflow.name


def remove_workflow() -> None:
	"""For before_uninstall: the workflow points at a DocType the uninstall removes."""
	if frappe.db.exists("Workflow", WORKFLOW_NAME):
		frappe.delete_doc("Workflow", WORKFLOW_NAME, ignore_permissions=True, force=True)
	frappe.cache.hdel("workflow", DOCTYPE)
