"""The demo's users, each with their key-account role only, and their place in ERPNext's Employee line
(the approval line, docs/DOMAIN.md §1, §6)."""

from __future__ import annotations

import frappe

import key_account_management.demo.records as r
from key_account_management.access.roles import (
	APP_ROLES,
	HOSPITALITY_APPROVER,
	KEY_ACCOUNT_DIRECTOR,
	KEY_ACCOUNT_MANAGER,
	SYSTEM_MANAGER,
)
from key_account_management.demo.data import ADMIN, APPROVER, COMPANY, DEMO_PASSWORD, DIRECTOR, MANAGERS


def make_users() -> dict:
	ensure_a_system_manager()
	users = {
		email: r.ensure_user(email, name, KEY_ACCOUNT_MANAGER, password=DEMO_PASSWORD)
		for email, name in MANAGERS.items()
	}
	r.ensure_user(DIRECTOR[0], DIRECTOR[1], KEY_ACCOUNT_DIRECTOR, password=DEMO_PASSWORD)
	r.ensure_user(APPROVER[0], APPROVER[1], HOSPITALITY_APPROVER, password=DEMO_PASSWORD)
	# the approval line in ERPNext's org chart: Li Ming reports to Zhao Hui (the key-account department
	# manager, who approves Li's hospitality at Manager level), Zhao Hui to the director
	li, zhao = MANAGERS
	r.ensure_employee(DIRECTOR[0], COMPANY)
	r.ensure_employee(zhao, COMPANY, DIRECTOR[0])
	r.ensure_employee(li, COMPANY, zhao)
	only_their_roles([*MANAGERS, DIRECTOR[0], APPROVER[0]])
	return users


def ensure_a_system_manager() -> None:
	"""Frappe makes a new system user a System Manager while the site has none besides Administrator:
	give the site an administrator of its own first, as ERPNext's setup wizard does with its first user."""
	demo_users = [*MANAGERS, DIRECTOR[0], APPROVER[0]]
	others = frappe.db.sql(
		"""select 1 from `tabHas Role` hr inner join `tabUser` u on u.name = hr.parent
		where hr.parenttype = 'User' and hr.role = %(system_manager)s and u.enabled = 1
			and u.name not in ('Administrator', 'Guest') and u.name not in %(demo)s limit 1""",
		{"demo": tuple(demo_users), "system_manager": SYSTEM_MANAGER},
	)
	if not others:
		r.ensure_user(ADMIN[0], ADMIN[1], SYSTEM_MANAGER, password=DEMO_PASSWORD)


def only_their_roles(emails: list[str]) -> None:
	"""Frappe makes the first system user of a fresh site a System Manager ("there must be at least one"):
	the demo users hold their key-account role only, so that the demo shows what each role sees."""
	frappe.db.delete("Has Role", {"parent": ("in", emails), "parenttype": "User", "role": SYSTEM_MANAGER})
	for email in emails:
		frappe.clear_cache(user=email)


def demo_logins() -> list[dict]:
	"""The demo users with their password and roles, for `bench execute` (scripts/dev-bench prints them)."""
	frappe.only_for(SYSTEM_MANAGER)
	logins = []
	for email in (*MANAGERS, DIRECTOR[0], APPROVER[0], ADMIN[0]):
		if not frappe.db.exists("User", email):
			continue
		roles = frappe.get_all(
			"Has Role",
			filters={"parent": email, "parenttype": "User", "role": ("in", (*APP_ROLES, SYSTEM_MANAGER))},
			pluck="role",
			order_by="role asc",
		)
		logins.append({"user": email, "password": DEMO_PASSWORD, "roles": roles})
	return logins
