"""Customers per ABC class, for anyone who may at least select Customers.

A group-by Dashboard Chart on Customer asks Frappe for the class column, which a user with only the
select right on Customer may not read (the chart then failed with KeyError 'name'). The class counts are
no customer data, so they are read here directly; a key account manager counts the customers of their
own accounts, everyone else every classified customer.
"""

import frappe
from frappe import _

from key_account_management.access.records import accounts_subquery, is_unrestricted
from key_account_management.charts import chart_source

CLASSES = ("A", "B", "C")


def class_counts() -> dict:
	# not through frappe.utils.dashboard.cache_source: its cache is one per chart, not one per user
	return {"labels": [_("Class {0}").format(c) for c in CLASSES], "datasets": [customer_counts()]}


get = frappe.whitelist()(chart_source(class_counts))


def customer_counts(user: str | None = None) -> dict:
	user = user or frappe.session.user
	if not frappe.has_permission("Customer", "select", user=user):
		frappe.throw(_("Not permitted to see customers."), frappe.PermissionError)
	condition = "" if is_unrestricted(user) else f"and customer.name in {accounts_subquery(user)}"
	counts = dict(
		frappe.db.sql(
			f"""select customer.kam_abc_class, count(*) from `tabCustomer` customer
			where customer.kam_abc_class in %(classes)s {condition}
			group by customer.kam_abc_class""",
			{"classes": CLASSES},
		)
	)
	return {"name": _("Customers"), "values": [counts.get(c, 0) for c in CLASSES]}
