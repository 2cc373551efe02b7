"""Whitespace in the demo (docs/DOMAIN.md §11): the first key account shows all four statuses.

It buys its motion control every month (Bought) and has never bought automation (White); here it
gets a training course invoiced fifteen months ago and not since (Lost) and an open opportunity for
sensors (In pipeline). The course is a service item: a back-dated invoice moves no stock."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, add_months, get_first_day, today

import key_account_management.demo.records as r
from key_account_management.demo.data import COMPANY, CURRENCY, ITEMS, PREFIX, WAREHOUSE

COURSE = f"{PREFIX}Operator Training"
COURSE_GROUP = "Demo Training"
SENSORS = next(item for item, (group, _cost, _price) in ITEMS.items() if group == "Demo Sensors")


def make_whitespace(account: str) -> int:
	"""The Lost invoice and the In pipeline opportunity of ``account`` (its customer); 0 when made before."""
	customer = frappe.db.get_value("Key Account Profile", account, "customer")
	if not customer or frappe.db.exists("Sales Invoice Item", {"item_code": COURSE, "docstatus": 1}):
		return 0
	r.ensure_item(COURSE, r.ensure_item_group(COURSE_GROUP), is_stock_item=0)
	posting_date = add_days(get_first_day(add_months(today(), -15)), 11)
	r.invoice(COMPANY, customer, WAREHOUSE, [(COURSE, 4, 2600)], posting_date, CURRENCY, update_stock=0)
	manager = frappe.db.get_value("Key Account Profile", account, "account_manager")
	frappe.set_user(manager or "Administrator")
	try:
		frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": customer,
				"company": COMPANY,
				"currency": CURRENCY,
				"transaction_date": add_days(today(), -10),
				"expected_closing": add_days(today(), 45),
				"probability": 40,
				"items": [{"item_code": SENSORS, "qty": 400, "rate": ITEMS[SENSORS][2]}],
			}
		).insert()
	finally:
		frappe.set_user("Administrator")
	return 2
