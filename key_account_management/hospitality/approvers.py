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
from key_account_management.core.hospitality_flow import can_approve_manager_level


class HospitalityApprovalError(frappe.ValidationError):
	"""An approval step the policy refuses: self-approval, a skipped level, a missing role or reason."""


def can_act_at_level(
	user: str, level: str, requester: str | None, superiors: list[str] | None = None
) -> tuple[bool, str]:
	"""Whether ``user`` may act at ``level`` on a request of ``requester``: for Manager, the requester's
	superior (:func:`requester_superiors`, passed as ``superiors`` when the caller has read it) holding
	the Key Account Manager or Director role, or a Key Account Director when the requester is not one (a
	colleague on the account's team never is: see core.hospitality_flow.can_approve_manager_level); a
	Director for Director; a Hospitality Approver for Finance."""
	roles = set(frappe.get_roles(user))
	if level == "Manager":
		if roles & {KEY_ACCOUNT_MANAGER, KEY_ACCOUNT_DIRECTOR}:
			allowed, _reason = can_approve_manager_level(
				user,
				requester or "",
				requester_superiors(requester) if superiors is None else superiors,
				approver_is_director=KEY_ACCOUNT_DIRECTOR in roles,
				requester_is_director=bool(requester)
				and KEY_ACCOUNT_DIRECTOR in set(frappe.get_roles(requester)),
			)
			if allowed:
				return True, ""
		return False, _(
			"{0} cannot approve at Manager level: it belongs to the requester's superior (the user of the Employee {1} reports to in ERPNext, or higher up that line) or a Key Account Director, never to a colleague of the requester."
		).format(user, requester)
	if level == "Director":
		if KEY_ACCOUNT_DIRECTOR in roles:
			return True, ""
		return False, _(
			"{0} cannot approve at Director level: it needs the role Key Account Director."
		).format(user)
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
