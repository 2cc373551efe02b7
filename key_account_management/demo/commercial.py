"""The commercial position in the demo (docs/DOMAIN.md §12): the first key account has a credit limit in
the demo company, its oldest open invoice paid (so receivables and overdue differ from its sales) and a
sales order still to deliver and bill."""

from __future__ import annotations

import math

import frappe
from frappe.utils import add_days, flt, today

import key_account_management.demo.records as r
from key_account_management.demo.data import COMPANY, CURRENCY, ITEMS, WAREHOUSE

# the limit is set above what the account owes now (ERPNext refuses a limit below it), with headroom
HEADROOM = 1.25
ROUND_TO = 100000


def make_commercial(account: str) -> int:
	"""The credit limit, the payment and the open order of ``account`` (its customer); the number of
	documents made, 0 when made before."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
	from erpnext.selling.doctype.customer.customer import get_customer_outstanding

	customer = frappe.db.get_value("Key Account Profile", account, "customer")
	if not customer or frappe.db.exists("Sales Order", {"customer": customer, "docstatus": 1}):
		return 0
	doc = frappe.get_doc("Customer", customer)
	if not any(row.company == COMPANY for row in doc.credit_limits):
		owed = flt(get_customer_outstanding(customer, COMPANY))
		limit = max(math.ceil(owed * HEADROOM / ROUND_TO), 1) * ROUND_TO
		doc.append("credit_limits", {"company": COMPANY, "credit_limit": limit})
		doc.save(ignore_permissions=True)
	made = 0
	oldest = frappe.get_all(
		"Sales Invoice",
		filters={"customer": customer, "company": COMPANY, "docstatus": 1, "outstanding_amount": (">", 0)},
		order_by="posting_date asc, name asc",
		pluck="name",
		limit=1,
	)
	if oldest:
		payment = get_payment_entry("Sales Invoice", oldest[0])
		payment.reference_no, payment.reference_date = "DEMO-PAY-1", today()
		payment.insert(ignore_permissions=True)
		payment.submit()
		made += 1
	items = list(ITEMS)[:2]
	r.submit(
		{
			"doctype": "Sales Order",
			"company": COMPANY,
			"customer": customer,
			"transaction_date": today(),
			"delivery_date": add_days(today(), 20),
			"currency": CURRENCY,
			"items": [
				{
					"item_code": item,
					"qty": 10 * (n + 1),
					"rate": flt(ITEMS[item][2]),
					"delivery_date": add_days(today(), 20),
					"warehouse": WAREHOUSE,
				}
				for n, item in enumerate(items)
			],
		}
	)
	return made + 1
