"""The buying center's roles read set-based, and each profile's coverage written back (docs/DOMAIN.md §4).

The rules (coverage, support, org chart) are in ``core.buying_center``.
"""

from __future__ import annotations

import frappe

from key_account_management.core.buying_center import Member, coverage


def members_by_account(accounts: list[str] | None = None) -> dict[str, list[Member]]:
	"""All roles of the given accounts (or every account) in one query.

	Plain rows rather than the ORM's dicts: the daily job reads every account's roles, and building a
	dict per row cost more than the query."""
	condition, values = "", {}
	if accounts:
		condition, values = "where key_account in %(accounts)s", {"accounts": tuple(accounts)}
	grouped: dict[str, list[Member]] = {}
	for (
		name,
		key_account,
		contact,
		contact_name,
		buying_role,
		influence,
		attitude,
		is_insider,
		status,
		reports_to,
	) in frappe.db.sql(
		f"""select name, key_account, contact, contact_name, buying_role, influence, attitude, is_insider,
			status, reports_to
		from `tabBuying Center Role` {condition} order by creation""",
		values,
	):
		grouped.setdefault(key_account, []).append(
			Member(
				name,
				contact,
				buying_role,
				influence,
				attitude,
				bool(is_insider),
				status != "Left the Company",
				reports_to,
				contact_name or contact,
			)
		)
	return grouped


def coverage_members_by_account() -> dict[str, list[Member]]:
	"""Every account's roles with what ``coverage`` reads of them, for the daily job: the contact, role,
	influence, attitude, insider and whether they left; no names, labels or reporting lines, and in no
	order (coverage does not depend on it). At 150,000 roles that is half the read of
	``members_by_account`` and no sort."""
	grouped: dict[str, list[Member]] = {}
	for key_account, contact, buying_role, influence, attitude, is_insider, status in frappe.db.sql(
		"""select key_account, contact, buying_role, influence, attitude, is_insider, status
		from `tabBuying Center Role`"""
	):
		grouped.setdefault(key_account, []).append(
			Member(
				None,
				contact,
				buying_role,
				influence,
				attitude,
				bool(is_insider),
				status != "Left the Company",
			)
		)
	return grouped


def refresh_profile_coverage(key_account: str) -> None:
	result = coverage(members_by_account([key_account]).get(key_account, []))
	frappe.db.set_value(
		"Key Account Profile",
		key_account,
		{
			"coverage_percent": result.coverage_percent,
			"support_score": result.support_score,
			"buying_center_flags": "\n".join(result.flags),
		},
		update_modified=False,
	)
