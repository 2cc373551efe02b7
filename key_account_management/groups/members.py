"""Which ERPNext Customers an account covers (docs/DOMAIN.md §13).

Every capability that sums an account's figures (whitespace, commercial position, plan actuals) asks
here, so that a group profile's figures cover all its members.
"""

import frappe


def customers_of(profile: str) -> list[str]:
	"""The profile's own customer, then (for a group) its current members."""
	return customers_by_profile([profile]).get(profile, [])


def customers_by_profile(profiles: list[str]) -> dict[str, list[str]]:
	"""Set-based ``customers_of`` for many profiles: {profile name: [customer, ...]}."""
	if not profiles:
		return {}
	rows = frappe.get_all(
		"Key Account Profile", filters={"name": ("in", list(profiles))}, fields=["name", "customer"]
	)
	return {row.name: [row.customer] for row in rows if row.customer}
