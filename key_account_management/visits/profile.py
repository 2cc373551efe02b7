"""What a completed or cancelled visit changes outside its record: the profile's last and next visit, and
the day the buying center's people were last contacted (docs/DOMAIN.md §5)."""

from __future__ import annotations

import frappe
from frappe.utils import getdate, today

from key_account_management.core import visits as rules
from key_account_management.groups.members import customers_of, groups_of_customers
from key_account_management.visits.cadence import get_cadence


def refresh_profile_visits(key_account: str) -> None:
	"""Last visit = the latest completed visit; next visit due from the account's class cadence. A group's
	last visit is the latest of its own and its members' (docs/DOMAIN.md §13), and a member's visit
	refreshes its group too."""
	customers = customers_of(key_account)
	last = frappe.db.sql(
		"""select max(visit_date) from `tabVisit Record`
		where (key_account = %s or customer in %s) and docstatus = 1""",
		(key_account, tuple(customers) or ("",)),
	)[0][0]
	abc_class = frappe.db.get_value("Key Account Profile", key_account, "abc_class")
	frappe.db.set_value(
		"Key Account Profile",
		key_account,
		{
			"last_visit_date": last,
			"next_visit_due": rules.next_visit_due(last, abc_class, get_cadence(), getdate(today())),
		},
		update_modified=False,
	)
	group = groups_of_customers(customers[:1]).get(customers[0]) if customers else None
	if group and group != key_account:
		refresh_profile_visits(group)


def mark_contacted(key_account: str, contacts: list[str], on_date) -> None:
	if not contacts:
		return
	frappe.db.sql(
		"""update `tabBuying Center Role` set last_contacted = %(day)s
		where key_account = %(account)s and contact in %(contacts)s
			and (last_contacted is null or last_contacted < %(day)s)""",
		{"day": on_date, "account": key_account, "contacts": tuple(contacts)},
	)
