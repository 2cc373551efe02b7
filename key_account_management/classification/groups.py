"""Classify groups as one customer (docs/DOMAIN.md §13, setting *Classify Groups as One Customer*).

With the setting on, the reclassification ranks a group by the combined basis of its customers (the
group profile's own customer and its members on the day of the run, a member group's members included)
and gives every member the group's row: its class, rank, share and combined value. Off (the default),
the values pass through unchanged. Only the groups of the company being classified count.
"""

from __future__ import annotations

from key_account_management.core.groups import top_groups
from key_account_management.groups.members import group_tree


def map_groups(settings, values: dict[str, float], company: str, as_of) -> tuple[dict[str, float], dict]:
	"""(values with each member's added into its outermost group's customer, {member: group customer})."""
	if not settings.get("classify_groups_as_one"):
		return values, {}
	tree = group_tree(on=as_of, company=company)
	if not tree:
		return values, {}
	top = top_groups(tree)
	combined: dict[str, float] = {}
	for customer, value in values.items():
		key = top.get(customer, customer)
		combined[key] = combined.get(key, 0.0) + value
	return combined, top


def expand_groups(computed: dict, top: dict[str, str]) -> dict:
	"""Every member takes its group's computed row (a group without sales leaves its members out)."""
	if not top:
		return computed
	result = dict(computed)
	for member, group in top.items():
		if group in computed:
			result[member] = computed[group]
		else:
			result.pop(member, None)
	return result
