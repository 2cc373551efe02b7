"""What a user who may only select Customers still needs to see of one: the fields a key account
profile copies from its customer."""

from __future__ import annotations

import frappe
from frappe import _

BASIC_FIELDS = ("customer_name", "customer_group", "territory", "account_manager")


@frappe.whitelist()
@frappe.read_only()
def customer_basics(customer: str) -> dict:
	if not frappe.has_permission("Customer", "select", doc=customer) and not frappe.has_permission(
		"Customer", "read", doc=customer
	):
		frappe.throw(_("Not permitted to select Customer {0}.").format(customer), frappe.PermissionError)
	values = frappe.db.get_value("Customer", customer, BASIC_FIELDS, as_dict=True)
	if not values:
		frappe.throw(
			_("Customer {0} does not exist.").format(frappe.bold(customer)), frappe.DoesNotExistError
		)
	return values
