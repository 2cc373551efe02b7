"""Which ERPNext Customers an account covers (docs/DOMAIN.md §13).

Every capability that sums an account's figures (whitespace, commercial position, plan actuals,
relationship facts) asks here, so that a group profile's figures cover all its members. A profile that
is not a group covers its own customer only; a group covers its own customer, then its members on the
day asked (today by default), and the members of a member that is itself a group.
"""

from __future__ import annotations

import frappe
from frappe.utils import getdate, today

from key_account_management.core.groups import expand

MEMBER = "Key Account Group Member"
PROFILE = "Key Account Profile"


def customers_of(profile: str, on=None) -> list[str]:
	"""The profile's own customer, then (for a group) its current members."""
	return customers_by_profile([profile], on=on).get(profile, [])


def customers_by_profile(profiles: list[str], on=None) -> dict[str, list[str]]:
	"""Set-based ``customers_of`` for many profiles: {profile name: [customer, ...]}.

	One query for the profiles; one more for the group tree only when one of them is a group."""
	if not profiles:
		return {}
	rows = frappe.get_all(
		PROFILE, filters={"name": ("in", list(profiles))}, fields=["name", "customer", "is_group"]
	)
	result = {row.name: [row.customer] for row in rows if row.customer}
	if any(row.is_group for row in rows):
		tree = group_tree(on=on)
		for row in rows:
			if row.is_group and row.customer:
				result[row.name] = expand(row.customer, tree)
	return result


def group_tree(
	on=None, company: str | None = None, exclude_profile: str | None = None
) -> dict[str, list[str]]:
	"""{group profile's customer: [member customer, ...]} of every group, members on ``on`` (today);
	``on="open"`` takes every member that has not left by today (future joins included)."""
	day = getdate(today()) if on in (None, "open") else getdate(on)
	period = (
		"(m.left_on is null or m.left_on > %(day)s)"
		if on == "open"
		else "m.joined_on <= %(day)s and (m.left_on is null or m.left_on > %(day)s)"
	)
	conditions = [period]
	if company:
		conditions.append("p.company = %(company)s")
	if exclude_profile:
		conditions.append("p.name != %(exclude)s")
	tree: dict[str, list[str]] = {}
	for group, member in frappe.db.sql(
		f"""select p.customer, m.customer from `tab{MEMBER}` m
		join `tab{PROFILE}` p on p.name = m.parent
		where m.parenttype = %(parenttype)s and m.parentfield = 'group_members' and p.is_group = 1
			and {" and ".join(conditions)}
		order by p.customer, m.idx""",
		{"day": day, "company": company, "exclude": exclude_profile, "parenttype": PROFILE},
	):
		tree.setdefault(group, []).append(member)
	return tree


def groups_of_customers(customers: list[str], on=None) -> dict[str, str]:
	"""{customer: the group profile it is a member of on ``on`` (today)}, for the given customers."""
	if not customers:
		return {}
	day = getdate(on or today())
	return dict(
		frappe.db.sql(
			f"""select m.customer, m.parent from `tab{MEMBER}` m
			join `tab{PROFILE}` p on p.name = m.parent
			where m.parenttype = %(parenttype)s and p.is_group = 1 and m.customer in %(customers)s
				and m.joined_on <= %(day)s and (m.left_on is null or m.left_on > %(day)s)""",
			{"customers": tuple(customers), "day": day, "parenttype": PROFILE},
		)
	)


def group_customers(profiles) -> dict[str, list[str]]:
	"""``customers_by_profile`` of the groups among ``profiles`` only: {group profile: [customer, ...]}
	(an account that is not a group is left out: its figures stay its own customer's)."""
	profiles = [name for name in profiles if name]
	if not profiles:
		return {}
	groups = frappe.get_all(PROFILE, filters={"name": ("in", profiles), "is_group": 1}, pluck="name")
	return customers_by_profile(groups) if groups else {}
