"""The approval line of a hospitality request: its states, the actions that move it, which state comes
next and who may sign a level (docs/DOMAIN.md §6, hospitality: the approval line).

A request is written as a Draft, submitted to the first level its amount, officials and limits require
(``core.hospitality.required_levels``), approved level by level in the order Manager → Director →
Finance, and settled once the event has happened; a settlement more than the tolerance above the
approved amount goes back through the levels the actual amount requires. Every level may reject the
request or send it back to Draft.

:func:`next_state` is the one place that says which state an action leads to: the request's controller,
the state it stores for the Workflow's conditions and the Workflow's transitions themselves
(:func:`transitions`) all read it. Nothing here imports frappe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from key_account_management.core.hospitality import LEVEL_LIST, LEVELS, ordered_levels, same_user
from key_account_management.core.messages import Message

# the states (Workflow State names, shown translated)
DRAFT, APPROVED, REJECTED, SETTLED = "Draft", "Approved", "Rejected", "Settled"
PENDING = {level: f"Pending {level}" for level in LEVELS}
LEVEL_OF_STATE = {state: level for level, state in PENDING.items()}
STATES = (DRAFT, *PENDING.values(), APPROVED, REJECTED, SETTLED)
# what counts as spent in the limits, the budget card and the report
COMMITTED_STATES = (APPROVED, SETTLED)

# the actions (Workflow Action names, shown translated)
ACTION_SUBMIT = "Submit for Approval"
ACTION_APPROVE = "Approve"
ACTION_REJECT = "Reject"
ACTION_SEND_BACK = "Send Back"
ACTION_SETTLE = "Settle"
ACTIONS = (ACTION_SUBMIT, ACTION_APPROVE, ACTION_REJECT, ACTION_SEND_BACK, ACTION_SETTLE)
# the actions whose next state depends on the request (its levels, its approvals, its actual amount)
ROUTED_ACTIONS = (ACTION_SUBMIT, ACTION_APPROVE, ACTION_SETTLE)

# what the approval trail records (Hospitality Approval.action)
TRAIL_SUBMITTED = "Submitted"
TRAIL_APPROVED = "Approved"
TRAIL_REJECTED = "Rejected"
TRAIL_SENT_BACK = "Sent Back"
TRAIL_REAPPROVAL = "Sent for Re-approval"
TRAIL_SETTLED = "Settled"
TRAIL_SKIPPED = "Skipped"

# the order the shipped Workflow lists the next states of one state and action (as it always has)
NEXT_STATE_ORDER = (SETTLED, *PENDING.values(), APPROVED, REJECTED, DRAFT)


# ---------------------------------------------------------------------------------------------------------
# Which state comes next


def next_level(required: Sequence[str], approved_so_far: Iterable[str]) -> str | None:
	"""The first required level not yet approved, or None when the request is fully approved.

	``approved_so_far`` may be the level names or a level -> approver mapping (its keys are used).
	"""
	approved = set(approved_so_far)
	for level in ordered_levels(required):
		if level not in approved:
			return level
	return None


def next_state(
	state: str,
	action: str,
	route: Sequence[str] = (),
	approved: Iterable[str] = (),
	reapproval_route: Sequence[str] | None = None,
) -> str | None:
	"""The state ``action`` takes a request in ``state`` to, or None when the action does not apply.

	- ``route``: the levels the request requires (``required_levels``), read on Submit and Approve;
	- ``approved``: the levels approved so far in this round (names, or a level -> approver mapping);
	- ``reapproval_route``: on Settle, the levels the actual amount requires when it is more than the
	  tolerance above the approved amount, None (or empty) when it is within it.

	Submit goes to the first required level; Approve at a level goes to the next required level not yet
	approved, or to Approved after the last; an Approve at a level that is not the request's next one
	does not apply (levels are signed in order). Reject and Send Back apply at every pending level.
	Settle goes to Settled, or back to the first level of the re-approval.
	"""
	if state == DRAFT:
		if action != ACTION_SUBMIT:
			return None
		first = next_level(route, ())
		return PENDING[first] if first else None
	if state in LEVEL_OF_STATE:
		level = LEVEL_OF_STATE[state]
		if action == ACTION_REJECT:
			return REJECTED
		if action == ACTION_SEND_BACK:
			return DRAFT
		if action != ACTION_APPROVE:
			return None
		approved = set(approved)
		if next_level(route, approved) != level:
			return None
		following = next_level(route, approved | {level})
		return PENDING[following] if following else APPROVED
	if state == APPROVED and action == ACTION_SETTLE:
		first = next_level(reapproval_route or (), ())
		return PENDING[first] if first else SETTLED
	return None


def action_of(old_state: str, new_state: str) -> str | None:
	"""The action a change from ``old_state`` to ``new_state`` is, or None when no action makes it.

	Any change from a pending level to another one, or to Approved, is an Approve, also one that skips or
	goes back a level: :func:`next_state` then says where the Approve goes instead."""
	if old_state == DRAFT and new_state in LEVEL_OF_STATE:
		return ACTION_SUBMIT
	if old_state in LEVEL_OF_STATE:
		if new_state == REJECTED:
			return ACTION_REJECT
		if new_state == DRAFT:
			return ACTION_SEND_BACK
		if new_state in LEVEL_OF_STATE or new_state == APPROVED:
			return ACTION_APPROVE
	if old_state == APPROVED and (new_state == SETTLED or new_state in LEVEL_OF_STATE):
		return ACTION_SETTLE
	return None


def all_routes() -> list[tuple[str, ...]]:
	"""Every set of levels a request can require: each non-empty combination of LEVELS, in order."""
	return [route for size in range(1, len(LEVELS) + 1) for route in combinations(LEVELS, size)]


def transitions() -> list[tuple[str, str, str]]:
	"""Every (state, action, next state) :func:`next_state` can give, for any route, approvals and
	re-approval: the Workflow's transitions, by state, then action, then NEXT_STATE_ORDER."""
	routes = all_routes()
	found = []
	for state in STATES:
		for action in ACTIONS:
			targets = set()
			for route in routes:
				for count in range(len(route) + 1):
					for reapproval in (None, *routes):
						target = next_state(state, action, route, route[:count], reapproval)
						if target:
							targets.add(target)
			found.extend((state, action, target) for target in sorted(targets, key=NEXT_STATE_ORDER.index))
	return found


# ---------------------------------------------------------------------------------------------------------
# The approval line from the requester up


def requester_line(
	route: Sequence[str], requester_is_director: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
	"""(the levels that sign, the levels skipped) of a request that needs ``route``, by its requester.

	The line runs upward from the requester. A Key Account Director outranks the Manager level: it is
	skipped (and the trail says so), never signed by a peer. The level they hold, Director, is signed by
	the next one above them, their superior in the Employee line, also when the route needed only the
	Manager level. Finance is a check outside the line: another Hospitality Approver signs it. A requester
	who is not a director changes nothing.
	"""
	levels = ordered_levels(route)
	if not requester_is_director or not {"Manager", "Director"} & set(levels):
		return levels, ()
	skipped = tuple(level for level in levels if level == "Manager")
	return ordered_levels({*levels, "Director"} - {"Manager"}), skipped


def assign_approvers(route: Sequence[str], candidates: Mapping[str, Iterable[str]]) -> dict[str, str] | None:
	"""One distinct person per level of ``route`` from ``candidates`` (level -> who may sign it), or None
	when no such choice exists: a request that nobody, or not enough different people, can move.

	One person never signs two levels, so three levels need three people even when each level has
	someone; users are compared as :func:`same_user` does.
	"""
	levels = ordered_levels(route)
	# with at most len(levels) levels, that many people per level are enough to find a choice
	options = {
		level: list(dict.fromkeys(str(user).strip().casefold() for user in candidates.get(level) or ()))[
			: len(levels)
		]
		for level in levels
	}

	def choose(index: int, taken: dict[str, str]) -> dict[str, str] | None:
		if index == len(levels):
			return dict(taken)
		level = levels[index]
		for user in options[level]:
			if user not in taken.values():
				found = choose(index + 1, {**taken, level: user})
				if found:
					return found
		return None

	return choose(0, {})


# ---------------------------------------------------------------------------------------------------------
# Who may sign a level


def can_approve(
	level: str,
	required: Sequence[str],
	approved_so_far: Mapping[str, str],
	approver: str,
	requester: str,
	allow_same_approver_twice: bool = False,
) -> tuple[bool, str]:
	"""Whether ``approver`` may approve ``level`` now, with an English reason when not.

	``approved_so_far`` maps each level already approved to the user who approved it. Separation of
	duties is the point: the requester may never approve their own request, levels are approved strictly
	in order, and (unless ``allow_same_approver_twice``) one person may not sign two levels, which would
	turn two checks into one.
	"""
	if level not in LEVELS:
		return False, Message("{0} is not an approval level; use {1}", level, LEVEL_LIST)
	if not (approver or "").strip():
		return False, "an approver is required"
	expected = next_level(required, approved_so_far)
	if expected is None:
		return False, "the request is already fully approved"
	if level not in required:
		return False, Message("{0} approval is not required for this request", Message(level))
	if level in approved_so_far:
		return False, Message("{0} has already approved this request", Message(level))
	if same_user(approver, requester):
		return False, "self-approval is not allowed: the requester cannot approve their own request"
	if level != expected:
		return False, Message(
			"levels cannot be skipped: {0} must approve before {1}", Message(expected), Message(level)
		)
	if not allow_same_approver_twice:
		for other_level, other_approver in approved_so_far.items():
			if same_user(approver, other_approver):
				return (
					False,
					Message(
						"{0} already approved this request at {1} level; "
						"one person cannot approve two levels of the same request",
						approver,
						Message(other_level),
					),
				)
	return True, ""


def can_approve_manager_level(
	approver: str,
	requester: str,
	requester_superiors: Iterable[str],
	approver_is_director: bool = False,
	requester_is_director: bool = False,
) -> tuple[bool, str]:
	"""Whether ``approver`` may sign the Manager level of ``requester``'s request, with a reason when not.

	The approval line of the source is specialist → key-account department manager → marketing director
	→ finance: the Manager level is the requester's superior, someone in the line above them
	(``requester_superiors``, nearest first), never a colleague at the requester's own level, however
	close they work on the account. A Key Account Director stands above every key account manager and
	may sign it too, but not for another director: directors are each other's peers.
	"""
	if not (approver or "").strip():
		return False, "an approver is required"
	if same_user(approver, requester):
		return False, "self-approval is not allowed: the requester cannot approve their own request"
	if any(same_user(approver, superior) for superior in requester_superiors or ()):
		return True, ""
	if approver_is_director and not requester_is_director:
		return True, ""
	return False, "the Manager level belongs to the requester's superior, not to a colleague"
