"""Which state a hospitality request goes to: every state x action x set of required levels
(core.hospitality_flow.next_state), the Workflow's transitions derived from it, and the action a change of
state is (docs/DOMAIN.md §6, the approval line)."""

import pytest

from key_account_management.core.hospitality_flow import (
	ACTION_APPROVE,
	ACTION_REJECT,
	ACTION_SEND_BACK,
	ACTION_SETTLE,
	ACTION_SUBMIT,
	ACTIONS,
	APPROVED,
	DRAFT,
	LEVEL_OF_STATE,
	PENDING,
	REJECTED,
	SETTLED,
	STATES,
	action_of,
	all_routes,
	assign_approvers,
	next_state,
	requester_line,
	transitions,
)

M, D, F = "Manager", "Director", "Finance"
PM, PD, PF = "Pending Manager", "Pending Director", "Pending Finance"
ROUTES = [(M,), (D,), (F,), (M, D), (M, F), (D, F), (M, D, F)]

# Submit from Draft: the first required level
SUBMIT = {
	(M,): PM,
	(D,): PD,
	(F,): PF,
	(M, D): PM,
	(M, F): PM,
	(D, F): PD,
	(M, D, F): PM,
}
# Approve at a pending level (the levels before it approved): the next required level, or Approved
APPROVE = {
	((M,), PM): APPROVED,
	((D,), PD): APPROVED,
	((F,), PF): APPROVED,
	((M, D), PM): PD,
	((M, D), PD): APPROVED,
	((M, F), PM): PF,
	((M, F), PF): APPROVED,
	((D, F), PD): PF,
	((D, F), PF): APPROVED,
	((M, D, F), PM): PD,
	((M, D, F), PD): PF,
	((M, D, F), PF): APPROVED,
}


def approved_before(route, state):
	"""The levels of ``route`` signed before the request reached ``state``."""
	level = LEVEL_OF_STATE.get(state)
	return route[: route.index(level)] if level in route else ()


def expected(state, action, route):
	if state == DRAFT and action == ACTION_SUBMIT:
		return SUBMIT[route]
	if state in LEVEL_OF_STATE:
		if action == ACTION_REJECT:
			return REJECTED
		if action == ACTION_SEND_BACK:
			return DRAFT
		if action == ACTION_APPROVE:
			return APPROVE.get((route, state))  # a level the route does not require: None
	if state == APPROVED and action == ACTION_SETTLE:
		return SETTLED  # within the tolerance (re-approval below)
	return None


def test_the_states_actions_and_routes():
	assert STATES == (DRAFT, PM, PD, PF, APPROVED, REJECTED, SETTLED)
	assert PENDING == {M: PM, D: PD, F: PF}
	assert ACTIONS == ("Submit for Approval", "Approve", "Reject", "Send Back", "Settle")
	assert all_routes() == ROUTES


@pytest.mark.parametrize("route", ROUTES, ids="+".join)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_next_state(state, action, route):
	"""Every state x action x required levels, the levels before the state approved."""
	assert next_state(state, action, route, approved_before(route, state)) == expected(state, action, route)


@pytest.mark.parametrize("route", ROUTES, ids="+".join)
def test_settle_above_the_tolerance_goes_back_to_the_first_level_the_actual_amount_needs(route):
	assert next_state(APPROVED, ACTION_SETTLE, reapproval_route=route) == SUBMIT[route]
	# the route of the approval already given does not matter
	assert next_state(APPROVED, ACTION_SETTLE, (M,), (M,), reapproval_route=route) == SUBMIT[route]
	assert next_state(APPROVED, ACTION_SETTLE, (M,), (M,), reapproval_route=()) == SETTLED


@pytest.mark.parametrize("route", ROUTES, ids="+".join)
def test_approvals_walk_the_route_to_approved(route):
	state, approved, path = next_state(DRAFT, ACTION_SUBMIT, route), {}, []
	while state != APPROVED:
		path.append(LEVEL_OF_STATE[state])
		following = next_state(state, ACTION_APPROVE, route, approved)
		approved[LEVEL_OF_STATE[state]] = f"{LEVEL_OF_STATE[state]}@example.com"
		state = following
	assert tuple(path) == route


@pytest.mark.parametrize(
	"state, route, approved",
	[
		(PD, (M, D), ()),  # Manager has not approved yet: no skipping
		(PF, (M, D, F), (M,)),  # Director has not approved yet
		(PM, (M, D), (M,)),  # Manager already approved
		(PD, (M,), (M,)),  # Director is not required
		(PM, (), ()),  # no levels
	],
)
def test_approve_out_of_order_does_not_apply(state, route, approved):
	assert next_state(state, ACTION_APPROVE, route, approved) is None


def test_approved_may_be_a_mapping_of_level_to_approver():
	assert next_state(PD, ACTION_APPROVE, (M, D, F), {M: "boss@example.com"}) == PF


def test_submit_without_levels_does_not_apply():
	assert next_state(DRAFT, ACTION_SUBMIT, ()) is None


def test_unknown_state_or_action():
	assert next_state("Cancelled", ACTION_APPROVE, (M,)) is None
	assert next_state(PM, "Escalate", (M,)) is None


def test_workflow_transitions_are_every_next_state_in_the_order_shipped():
	assert transitions() == [
		(DRAFT, ACTION_SUBMIT, PM),
		(DRAFT, ACTION_SUBMIT, PD),
		(DRAFT, ACTION_SUBMIT, PF),
		(PM, ACTION_APPROVE, PD),
		(PM, ACTION_APPROVE, PF),
		(PM, ACTION_APPROVE, APPROVED),
		(PM, ACTION_REJECT, REJECTED),
		(PM, ACTION_SEND_BACK, DRAFT),
		(PD, ACTION_APPROVE, PF),
		(PD, ACTION_APPROVE, APPROVED),
		(PD, ACTION_REJECT, REJECTED),
		(PD, ACTION_SEND_BACK, DRAFT),
		(PF, ACTION_APPROVE, APPROVED),
		(PF, ACTION_REJECT, REJECTED),
		(PF, ACTION_SEND_BACK, DRAFT),
		(APPROVED, ACTION_SETTLE, SETTLED),
		(APPROVED, ACTION_SETTLE, PM),
		(APPROVED, ACTION_SETTLE, PD),
		(APPROVED, ACTION_SETTLE, PF),
	]


@pytest.mark.parametrize("state, action, target", transitions())
def test_each_transition_is_the_action_of_its_change_of_state(state, action, target):
	assert action_of(state, target) == action


@pytest.mark.parametrize("old", STATES)
@pytest.mark.parametrize("new", STATES)
def test_the_action_a_change_of_state_is(old, new):
	"""A change between a pending level and another (or Approved) is an Approve even when it skips or goes
	back a level: the controller refuses it with its reason; a change no action makes has none."""
	pending = set(LEVEL_OF_STATE)
	if old == DRAFT and new in pending:
		action = ACTION_SUBMIT
	elif old in pending and new == REJECTED:
		action = ACTION_REJECT
	elif old in pending and new == DRAFT:
		action = ACTION_SEND_BACK
	elif old in pending and (new in pending or new == APPROVED):
		action = ACTION_APPROVE
	elif old == APPROVED and (new == SETTLED or new in pending):
		action = ACTION_SETTLE
	else:
		action = None
	assert action_of(old, new) == action


# --- the approval line from the requester up (issue 26) ---------------------------------------------------

# a director's own request: the Manager level skipped, the Director level signed by their superior
DIRECTOR_LINE = {
	(M,): ((D,), (M,)),
	(D,): ((D,), ()),
	(F,): ((F,), ()),
	(M, D): ((D,), (M,)),
	(M, F): ((D, F), (M,)),
	(D, F): ((D, F), ()),
	(M, D, F): ((D, F), (M,)),
}


@pytest.mark.parametrize("route", ROUTES, ids="+".join)
def test_a_requester_who_is_not_a_director_changes_no_level(route):
	assert requester_line(route, requester_is_director=False) == (route, ())


@pytest.mark.parametrize("route", ROUTES, ids="+".join)
def test_a_directors_request_skips_the_manager_level_and_goes_to_director(route):
	signed, skipped = requester_line(route, requester_is_director=True)
	assert (signed, skipped) == DIRECTOR_LINE[route]
	# never a request nobody signs, never the Manager level signed by a director's peer
	assert signed and M not in signed
	assert next_state(DRAFT, ACTION_SUBMIT, signed) == PENDING[signed[0]]


def test_assign_approvers_one_person_per_level():
	assert assign_approvers((M, D, F), {M: ["boss"], D: ["dir"], F: ["fin"]}) == {
		M: "boss",
		D: "dir",
		F: "fin",
	}
	# the only director cannot sign both Manager and Director
	assert assign_approvers((M, D), {M: ["dir"], D: ["dir"]}) is None
	# a second choice at Manager frees the director
	assert assign_approvers((M, D), {M: ["dir", "boss"], D: ["dir"]}) == {M: "boss", D: "dir"}
	# the same person in other letters is the same person
	assert assign_approvers((M, D), {M: ["Dir@Example.com"], D: ["dir@example.com "]}) is None
	# nobody at a level
	assert assign_approvers((M, F), {M: ["boss"], F: []}) is None
	assert assign_approvers((F,), {}) is None
	# many candidates: a choice is found among the first ones
	many = [f"user{i}" for i in range(50)]
	assert assign_approvers((M, D, F), {M: many, D: many, F: many}) == {M: "user0", D: "user1", F: "user2"}
