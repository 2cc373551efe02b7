"""The demo's items and a year of sales through real ERPNext documents: invoices, deliveries, credit
notes, posted in date order."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, add_months, get_first_day, getdate, today

import key_account_management.demo.records as r
from key_account_management.demo.data import COMPANY, CURRENCY, ITEMS, PREFIX, SERVICE, WAREHOUSE


def make_items() -> None:
	for item_code, (group, _cost, _price) in ITEMS.items():
		r.ensure_item(item_code, r.ensure_item_group(group))
	r.ensure_item(SERVICE, r.ensure_item_group("Demo Services"), is_stock_item=0)


def make_sales(customers: list[str]) -> int:
	if frappe.db.count("Sales Invoice", {"company": COMPANY, "docstatus": 1}):
		return 0  # made before: keep it as it is
	start = get_first_day(add_months(today(), -13))
	for item_code, (_group, cost, _price) in ITEMS.items():
		r.receive(COMPANY, WAREHOUSE, item_code, 100000, cost, start)
	r.submit(
		{
			"doctype": "Purchase Invoice",
			"company": COMPANY,
			"supplier": ensure_supplier(),
			"posting_date": start,
			"set_posting_time": 1,
			"bill_date": start,
			"currency": CURRENCY,
			"items": [{"item_code": SERVICE, "qty": 1, "rate": 3000}],
		}
	)
	# post in date order across customers: a back-dated stock posting would queue reposts and leave
	# the ledger's values stale until a worker ran them
	items = list(ITEMS)
	plan = []
	for index, customer in enumerate(customers):
		# a Pareto-shaped book: the first five buy monthly and big, the next ten every other month
		every, scale = (1, 12) if index < 5 else (2, 4) if index < 15 else (3, 1)
		for month in range(12, -1, -every):
			posting_date = min(
				add_days(get_first_day(add_months(today(), -month)), 9 + index % 15), getdate(today())
			)
			lines = [
				(
					items[(index + k) % len(items)],
					scale * (1 + (index + month + k) % 4),
					ITEMS[items[(index + k) % len(items)]][2],
				)
				for k in range(2)
			]
			returned = month in (4, 8) and index < 12 and index % 7 != 3
			plan.append(
				(posting_date, index, "delivery" if index % 7 == 3 else "invoice", customer, lines, returned)
			)
			if index < 5 and month % 3 == 0:
				plan.append((posting_date, index, "service", customer, [(SERVICE, 1, 6800)], False))
	count = 0
	returns = []
	for posting_date, _index, kind, customer, lines, returned in sorted(plan, key=lambda p: (p[0], p[1])):
		while returns and returns[0][0] <= posting_date:
			return_date, sale, item = returns.pop(0)
			r.credit_note(sale, {item: 1}, return_date)
			count += 1
		if kind == "delivery":
			r.delivery_then_invoice(COMPANY, customer, WAREHOUSE, lines, posting_date, CURRENCY)
		else:
			sale = r.invoice(
				COMPANY,
				customer,
				WAREHOUSE,
				lines,
				posting_date,
				CURRENCY,
				update_stock=int(kind != "service"),
			)
			if returned:
				returns.append((add_days(posting_date, 5), sale, lines[0][0]))
				returns.sort(key=lambda x: x[0])
		count += 1
	for return_date, sale, item in returns:
		if getdate(return_date) <= getdate(today()):
			r.credit_note(sale, {item: 1}, return_date)
			count += 1
	return count


def ensure_supplier() -> str:
	name = f"{PREFIX}Component Supplier"
	if not frappe.db.exists("Supplier", name):
		frappe.get_doc(
			{"doctype": "Supplier", "supplier_name": name, "supplier_group": r.leaf("Supplier Group")}
		).insert(ignore_permissions=True)
	return name
