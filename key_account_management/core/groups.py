"""Group accounts (集团客户): membership periods and the group tree, without Frappe (docs/DOMAIN.md §13).

A member belongs to its group from ``joined_on`` (included) until ``left_on`` (excluded: the day it
left is its first day outside the group). Open-ended when ``left_on`` is empty. A customer is in at
most one group on any day; a group never contains itself, directly or through other groups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping


def is_member_on(joined_on: dt.date | None, left_on: dt.date | None, day: dt.date) -> bool:
	"""Whether a member with this period belongs to the group on ``day``."""
	return (joined_on is None or joined_on <= day) and (left_on is None or day < left_on)


def periods_overlap(
	a_from: dt.date | None, a_to: dt.date | None, b_from: dt.date | None, b_to: dt.date | None
) -> bool:
	"""Whether two membership periods ``[from, to)`` share a day (None: open on that side)."""
	a_starts_before_b_ends = b_to is None or a_from is None or a_from < b_to
	b_starts_before_a_ends = a_to is None or b_from is None or b_from < a_to
	return a_starts_before_b_ends and b_starts_before_a_ends


def period_is_valid(joined_on: dt.date | None, left_on: dt.date | None) -> bool:
	"""A member cannot leave before it joined (leaving on the day it joined leaves an empty period)."""
	return joined_on is None or left_on is None or left_on >= joined_on


def first_overlap(periods: Iterable[tuple[object, dt.date | None, dt.date | None]]) -> tuple | None:
	"""The first two (key, from, to) periods of one customer that overlap, or None."""
	seen: list[tuple] = []
	for period in periods:
		for earlier in seen:
			if periods_overlap(earlier[1], earlier[2], period[1], period[2]):
				return earlier, period
		seen.append(period)
	return None


def cycle_through(
	group: str, members: Iterable[str], groups: Mapping[str, Iterable[str]]
) -> list[str] | None:
	"""The path ``[group, member, ..., group]`` when ``group`` would contain itself, else None.

	``members`` are the group's member customers as they are about to be saved; ``groups`` maps every
	other group's customer to its member customers (as stored). A member that is itself a group brings
	its members in, and so on."""
	stack = [(member, [group, member]) for member in members]
	visited: set[str] = set()
	while stack:
		customer, path = stack.pop()
		if customer == group:
			return path
		if customer in visited:
			continue
		visited.add(customer)
		for member in groups.get(customer, ()):
			stack.append((member, [*path, member]))
	return None


def expand(group: str, groups: Mapping[str, Iterable[str]]) -> list[str]:
	"""The group's customer, then every customer under it (members, their members ...), each once, in
	the order a walk of the tree meets them. Safe on a cycle (each customer is visited once)."""
	order = [group]
	seen = {group}
	queue = list(groups.get(group, ()))
	while queue:
		customer = queue.pop(0)
		if customer in seen:
			continue
		seen.add(customer)
		order.append(customer)
		queue.extend(groups.get(customer, ()))
	return order


def top_groups(groups: Mapping[str, Iterable[str]]) -> dict[str, str]:
	"""{customer: the outermost group it belongs to} for every member of ``groups`` (a group that is a
	member of another group belongs to the outer one, and so do its members)."""
	parent: dict[str, str] = {}
	for group, members in groups.items():
		for member in members:
			parent.setdefault(member, group)
	result = {}
	for customer in parent:
		top, seen = customer, {customer}
		while top in parent and parent[top] not in seen:
			top = parent[top]
			seen.add(top)
		result[customer] = top
	return result
