"""Who stands above and below whom: ERPNext's Employee line (``reports_to``) read as users, and the
people of an account (its manager and team). The approval line (hospitality) and the row rules
(access) both read it; docs/DOMAIN.md §6 (hospitality: the approval line).
"""

from __future__ import annotations

import frappe

from key_account_management.core.hospitality import same_user


def account_team(key_account: str | None) -> set[str]:
	if not key_account:
		return set()
	return account_teams([key_account]).get(key_account, set())


def account_teams(key_accounts) -> dict[str, set[str]]:
	""":func:`account_team` of many accounts at once: the manager and team of each, in one query."""
	key_accounts = tuple({account for account in key_accounts if account})
	teams: dict[str, set[str]] = {account: set() for account in key_accounts}
	if not key_accounts:
		return teams
	for account, user in frappe.db.sql(
		"""select parent, user from `tabKey Account Team Member`
		where parenttype = 'Key Account Profile' and parent in %(accounts)s
		union all
		select name, account_manager from `tabKey Account Profile` where name in %(accounts)s""",
		{"accounts": key_accounts},
	):
		if user:
			teams[account].add(user.casefold())
	return teams


def requester_superiors(requester: str | None) -> list[str]:
	"""The users above ``requester`` in ERPNext's org chart, nearest first: the user of the Employee the
	requester's Employee reports to, then the one that Employee reports to, and so on up the line.

	Employees who left are skipped (their own superior still counts); a line that loops ends where it
	loops. Without an Employee for the requester, or without ERPNext's Employee, the line is empty."""
	if not requester or not frappe.db.table_exists("Employee"):
		return []
	employee = frappe.db.get_value(
		"Employee", {"user_id": requester, "status": "Active"}, "reports_to", order_by="creation asc"
	)
	line: list[str] = []
	seen: set[str] = set()
	while employee and employee not in seen and len(seen) < 100:
		seen.add(employee)
		row = frappe.db.get_value("Employee", employee, ["user_id", "status", "reports_to"], as_dict=True)
		if not row:
			break
		if row.user_id and row.status == "Active" and not same_user(row.user_id, requester):
			line.append(row.user_id)
		employee = row.reports_to
	return line


def subordinate_users(user: str | None) -> set[str]:
	"""The users below ``user`` in ERPNext's org chart: those whose Employee reports to the user's
	Employee, directly or further down the line (the reverse of :func:`requester_superiors`)."""
	if not user or not frappe.db.table_exists("Employee"):
		return set()
	frontier = frappe.get_all("Employee", filters={"user_id": user, "status": "Active"}, pluck="name")
	seen = set(frontier)
	users: set[str] = set()
	while frontier and len(seen) < 100_000:
		rows = frappe.get_all(
			"Employee", filters={"reports_to": ("in", frontier)}, fields=["name", "user_id"], order_by="name"
		)
		frontier = [row.name for row in rows if row.name not in seen]
		seen.update(frontier)
		users.update(row.user_id for row in rows if row.user_id)
	users.discard(user)
	return users
