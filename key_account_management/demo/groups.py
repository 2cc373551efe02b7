"""The demo's group account (集团客户, docs/DOMAIN.md §13): Huaxin Steel Group with three subsidiaries
that buy as separate customers, joined at different times."""

from __future__ import annotations

import frappe
from frappe.utils import add_months, today

from key_account_management.demo.data import CUSTOMERS, customer_name

GROUP = 0  # Huaxin Steel Group, a key account with a profile
JOINED = (24, 12, 3)  # months since each of the three members joined


def make_group() -> str:
	"""The group's profile ticked Is Group with its three members, once (a demo run again leaves it)."""
	profile = customer_name(GROUP)
	doc = frappe.get_doc("Key Account Profile", profile)
	if doc.is_group and doc.group_members:
		return profile
	doc.is_group = 1
	for customer, months in zip(free_customers(doc.account_manager), JOINED, strict=False):
		doc.append(
			"group_members",
			{
				"customer": customer,
				"joined_on": add_months(today(), -months),
				"notes": "Subsidiary",
			},
		)
	doc.save(ignore_permissions=True)
	return profile


def free_customers(manager: str | None) -> list[str]:
	"""Demo customers past the profiled ones that no other manager holds as a key account."""
	held = dict(frappe.get_all("Key Account Profile", fields=["customer", "account_manager"], as_list=True))
	names = [customer_name(index) for index in range(12, len(CUSTOMERS))]
	return [name for name in names if name not in held or held[name] == manager][: len(JOINED)]
