"""Who may act on a hospitality request (docs/DOMAIN.md §6, the approval line).

The Manager level belongs to the requester's superior in ERPNext's Employee line
(``access.hierarchy.requester_superiors``) or to a Key Account Director; the Director level to a Key
Account Director; the Finance level to a Hospitality Approver. Separation of duties (no self-approval,
one person one level) is ``core.hospitality_flow.can_approve``.
"""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management.access.hierarchy import account_team, requester_superiors
from key_account_management.access.roles import (
	HOSPITALITY_APPROVER,
	KEY_ACCOUNT_DIRECTOR,
	KEY_ACCOUNT_MANAGER,
	SYSTEM_MANAGER,
)
from key_account_management.core.hospitality import same_user
from key_account_management.core.hospitality_flow import assign_approvers, can_approve_manager_level
from key_account_management.hospitality.workflow import LEVEL_ROLES


class HospitalityApprovalError(frappe.ValidationError):
	"""An approval step the policy refuses: self-approval, a skipped level, a missing role or reason."""


def can_act_at_level(
	user: str, level: str, requester: str | None, superiors: list[str] | None = None
) -> tuple[bool, str]:
	"""Whether ``user`` may act at ``level`` on a request of ``requester``: for Manager, the requester's
	superior (:func:`requester_superiors`, passed as ``superiors`` when the caller has read it) holding
	the Key Account Manager or Director role, or a Key Account Director when the requester is not one (a
	colleague on the account's team never is: see core.hospitality_flow.can_approve_manager_level); a
	Director for Director, and for a director's own request a Director above them in the Employee line
	(core.hospitality_flow.requester_line); a Hospitality Approver for Finance."""
	roles = set(frappe.get_roles(user))
	if level == "Manager":
		if roles & {KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR}:
			allowed, _reason = can_approve_manager_level(
				user,
				requester or "",
				requester_superiors(requester) if superiors is None else superiors,
				approver_is_director=KEY_ACCOUNT_DIRECTOR in roles,
				requester_is_director=is_director(requester),
			)
			if allowed:
				return True, ""
		return False, _(
			"{0} cannot approve at Manager level: it belongs to the requester's superior (the user of the Employee {1} reports to in ERPNext, or higher up that line) or a Key Account Director, never to a colleague of the requester."
		).format(user, requester)
	if level == "Director":
		if KEY_ACCOUNT_DIRECTOR not in roles:
			return False, _(
				"{0} cannot approve at Director level: it needs the role Key Account Director."
			).format(user)
		if not is_director(requester):
			return True, ""
		line = requester_superiors(requester) if superiors is None else superiors
		if any(same_user(user, superior) for superior in line):
			return True, ""
		return False, _(
			"{0} cannot approve at Director level: {1} is a Key Account Director, so their superior in ERPNext's Employee line approves their requests, never a peer."
		).format(user, requester)
	if level == "Finance":
		if HOSPITALITY_APPROVER in roles:
			return True, ""
		return False, _(
			"{0} cannot approve at Finance level: it needs the role Hospitality Approver."
		).format(user)
	return False, _("{0} is not an approval level; use Manager, Director or Finance.").format(level)


def can_manage_request(user: str, doc) -> bool:
	"""The requester, the account's manager and team, Directors and System Managers may record the
	settlement of a request."""
	if same_user(user, doc.requested_by) or user == "Administrator":
		return True
	roles = set(frappe.get_roles(user))
	if roles & {KEY_ACCOUNT_DIRECTOR, SYSTEM_MANAGER}:
		return True
	return user.casefold() in account_team(doc.key_account)


def is_requester(doc, user: str | None = None) -> bool:
	"""Whether ``user`` (the session's user by default) is the one who requested ``doc``."""
	return same_user(user or frappe.session.user, doc.requested_by)


def is_director(user: str | None) -> bool:
	return bool(user) and KEY_ACCOUNT_DIRECTOR in frappe.get_roles(user)


def role_holders(roles, exclude: str | None, limit: int = 4) -> list[str]:
	"""Up to ``limit`` enabled users (not Administrator or Guest, not ``exclude``) holding one of ``roles``."""
	return [
		user
		for (user,) in frappe.db.sql(
			"""select distinct hr.parent from `tabHas Role` hr
			join `tabUser` u on u.name = hr.parent
			where hr.parenttype = 'User' and hr.role in %(roles)s and u.enabled = 1
				and u.name not in ('Administrator', 'Guest', %(exclude)s)
			order by hr.parent limit %(limit)s""",
			{"roles": tuple(roles), "exclude": exclude or "", "limit": limit},
		)
	]


def approval_candidates(level: str, requester: str, superiors: list[str], director: bool) -> list[str]:
	"""Some of the users who may sign ``level`` of ``requester``'s request (enough to tell whether
	distinct people can sign every level): :func:`can_act_at_level` read the other way round."""
	line = [
		user
		for user in superiors
		if set(frappe.get_roles(user)) & set(LEVEL_ROLES.get(level, ())) and not same_user(user, requester)
	]
	if level == "Manager":
		return line + ([] if director else role_holders((KEY_ACCOUNT_DIRECTOR,), requester))
	if level == "Director":
		return line if director else role_holders((KEY_ACCOUNT_DIRECTOR,), requester)
	if level == "Finance":
		return role_holders((HOSPITALITY_APPROVER,), requester)
	return []


def approval_line(requester: str, levels) -> frappe._dict:
	"""``requester``'s approval line for ``levels``: whether they are a director and, per level, some of
	the users who may sign it (:func:`approval_candidates`). Read once per requester, then ask
	:func:`line_gap` about any of their requests."""
	superiors = requester_superiors(requester)
	director = is_director(requester)
	return frappe._dict(
		requester=requester,
		director=director,
		candidates={level: approval_candidates(level, requester, superiors, director) for level in levels},
	)


def line_gap(line: frappe._dict, route, signed=()) -> str | None:
	"""What to set up so that the levels of ``route`` can be signed by distinct people other than the
	requester (and other than ``signed``, who signed earlier levels of the same round), or None when they
	can: the message a submit is refused with (:func:`check_line`)."""
	taken = {str(user).strip().casefold() for user in signed}
	candidates = {
		level: [user for user in line.candidates.get(level) or () if user.strip().casefold() not in taken]
		for level in route
	}
	if assign_approvers(route, candidates) is not None:
		return None
	requester = line.requester
	level = next((level for level in route if not candidates[level]), route[-1])
	if level == "Finance":
		return _(
			"Nobody other than {0} can approve this request at Finance level: give the role Hospitality Approver to another user, then submit again."
		).format(requester)
	if line.director:
		return _(
			"Nobody above {0} can approve this request at Director level: {0} is a Key Account Director, so their superior in ERPNext's Employee line approves it, never a peer. Set the Reports To of {0}'s Employee (create an Employee with User ID {0} if there is none) to the Employee of the user who approves their requests, a Key Account Director; then submit again."
		).format(requester)
	return _(
		"Nobody other than {0} can approve this request at {1} level (one person approves one level). Set the Reports To of {0}'s Employee (create an Employee with User ID {0} if there is none) to the Employee of their superior, a user with the role Key Account Manager or Key Account Director; then submit again."
	).format(requester, _(level))


def check_line(doc, route) -> None:
	"""Refuse to submit a request whose levels cannot all be signed by people other than the requester,
	one person per level, saying what to set up: a request never waits with nobody able to act."""
	message = line_gap(approval_line(doc.requested_by, route), route)
	if message:
		frappe.throw(message, HospitalityApprovalError, title=_("Nobody Can Approve"))
