"""A group's figures as the sum of its customers' (docs/DOMAIN.md §13).

The relationship facts (revenue of this and the previous year, last order, item groups bought,
receivables, credit limit) are read per customer (``relationship.facts.load_facts``); a group profile's
facts are its customers' facts added up: amounts summed, the latest last order, the item groups joined.
A profile that is not a group keeps its customer's facts untouched.
"""

from __future__ import annotations

import frappe
from frappe.utils import flt, getdate, today

from key_account_management.core.groups import expand, is_member_on
from key_account_management.groups.members import PROFILE, customers_by_profile, group_tree
from key_account_management.relationship.facts import Facts, empty_facts, load_facts

SUMMED = ("revenue_this", "revenue_previous", "overdue", "outstanding", "credit_limit")


def combined_facts(facts: dict[str, Facts], customers: list[str]) -> Facts:
	"""The facts of several customers as one account's."""
	total = empty_facts()
	for customer in customers:
		one = facts.get(customer)
		if not one:
			continue
		for field in SUMMED:
			total[field] = flt(total[field]) + flt(one[field])
		if one.last_order_date and (
			not total.last_order_date or getdate(one.last_order_date) > getdate(total.last_order_date)
		):
			total.last_order_date = one.last_order_date
		total.groups_this |= set(one.groups_this)
		total.groups_previous |= set(one.groups_previous)
	return total


def doc_customers(doc) -> list[str]:
	"""The customers a profile being saved covers: its own, then its current members as the form holds
	them (not yet saved), then the members of those that are groups themselves."""
	if not doc.get("is_group"):
		return [doc.customer]
	day = getdate(today())
	members = [
		row.customer
		for row in doc.get("group_members") or []
		if row.customer
		and is_member_on(
			getdate(row.joined_on) if row.joined_on else None,
			getdate(row.left_on) if row.left_on else None,
			day,
		)
	]
	tree = group_tree(exclude_profile=doc.name or None)
	tree[doc.customer] = members
	return expand(doc.customer, tree)


def profile_facts(doc, company: str | None, as_of) -> Facts:
	"""The facts of the profile being saved: its customer's, or its group's added up."""
	customers = doc_customers(doc)
	facts = load_facts(company, as_of, customers=customers)
	if len(customers) == 1:
		return facts.get(doc.customer) or empty_facts()
	return combined_facts(facts, customers)


def with_groups(facts: dict[str, Facts], profiles, company: str | None, as_of) -> dict[str, Facts]:
	"""Every profile's facts keyed by its customer, a group's replaced by its customers' added up.

	``facts`` is ``load_facts`` of every profile's customer; members without a profile of their own are
	read in one more call (their receivables). The same dict when no profile is a group."""
	groups = frappe.get_all(PROFILE, filters={"is_group": 1}, pluck="name")
	if not groups:
		return facts
	covered = customers_by_profile(groups)
	with_profile = {profile.customer for profile in profiles}
	missing = sorted({c for customers in covered.values() for c in customers} - with_profile)
	base = dict(facts)
	if missing and company:
		base.update(load_facts(company, as_of, customers=missing))
	result = dict(base)
	by_name = {profile.name: profile.customer for profile in profiles}
	for name, customers in covered.items():
		if name in by_name:
			result[by_name[name]] = combined_facts(base, customers)
	return result
