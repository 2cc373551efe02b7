"""An account's commercial position, in its company's currency (docs/DOMAIN.md §12).

Every figure covers the customers of the account (groups/members.py: a group's members too) in the
profile's company: ERPNext's credit limit, the receivables the Payment Ledger holds, what of them is
overdue (core/commercial.py, by the invoices' payment terms), the Sales Orders still to deliver or bill,
and net revenue and gross profit of the last twelve months from the monthly rollups (§8), not the
ledger.
"""

from __future__ import annotations

import heapq

import frappe
from frappe.utils import flt, getdate, today

from key_account_management.core.commercial import last_months, overdue_days, overdue_of
from key_account_management.db_indexes import index_hint

# a Sales Order no longer waiting for anything
CLOSED_ORDER_STATUSES = ("Closed", "Completed", "Cancelled")
ROWS_SHOWN = 20


def credit_limit(customers: list[str], company: str) -> float:
	"""ERPNext's credit limit of each customer in ``company`` (its own, else its customer group's, else
	the company's, as ERPNext checks it), summed over the account's customers."""
	from erpnext.selling.doctype.customer.customer import get_credit_limit

	return flt(sum(get_credit_limit(customer, company) for customer in customers), 2)


def receivables(customers: list[str], company: str) -> float:
	"""Outstanding receivables: the Payment Ledger's open amount of the customers, in company currency
	(invoices less payments and credit notes, unallocated advances included)."""
	if not customers:
		return 0.0
	rows = frappe.db.sql(
		f"""select sum(amount) from `tabPayment Ledger Entry`
		{index_hint("Payment Ledger Entry", "kam_party_receivables")}
		where company = %(company)s and party_type = 'Customer' and party in %(customers)s
			and account_type = 'Receivable' and delinked = 0""",
		{"company": company, "customers": tuple(customers)},
	)
	return flt(rows[0][0] if rows else 0, 2)


def overdue(customers: list[str], company: str, as_of) -> dict:
	"""The overdue part of the open invoices (company currency), how many, the oldest overdue date and the
	twenty oldest overdue invoices.

	One read of the open invoices (the Payment Ledger summed by invoice with their due dates, from the
	app's covering index, without visiting the invoices); the payment terms are read only for the
	invoices whose schedule has more than one due date (an invoice without terms has one row, its due
	date). A big account's tens of thousands of open invoices come back as bare tuples; only the twenty
	shown are read in full. (Summing them in SQL instead was measured no faster: the time is the read.)"""
	result = {
		"overdue": 0.0,
		"oldest_overdue_date": None,
		"oldest_overdue_days": 0,
		"overdue_count": 0,
		"overdue_invoices": [],
	}
	if not customers:
		return result
	as_of = getdate(as_of)
	# the invoice's own ledger row (the only one against it adding to it, save a rare debit note) holds
	# its due date, as ERPNext's receivable reports read it. One grouped read, not wrapped in another
	# select: materialising the groups to read them again cost a third more.
	due_date = "max(if(ple.amount > 0, ple.due_date, null))"
	open_invoices = frappe.db.sql(
		f"""select ple.against_voucher_no, sum(ple.amount), {due_date},
			exists(select 1 from `tabPayment Schedule` ps where ps.parent = ple.against_voucher_no
				and ps.parenttype = 'Sales Invoice' and ps.due_date != {due_date})
		from `tabPayment Ledger Entry` ple {index_hint("Payment Ledger Entry", "kam_party_invoices")}
		where ple.party in %(customers)s and ple.party_type = 'Customer' and ple.company = %(company)s
			and ple.against_voucher_type = 'Sales Invoice' and ple.delinked = 0
		group by ple.against_voucher_no
		having sum(ple.amount) > 0.005""",
		{"company": company, "customers": tuple(customers)},
	)
	terms = payment_terms([name for name, _outstanding, _due, has_terms in open_invoices if has_terms])
	total, late = 0.0, []
	for name, outstanding, due_date, has_terms in open_invoices:
		if due_date is None:
			continue
		if has_terms:
			part = overdue_of(flt(outstanding), terms.get(name, []), as_of)
			amount, due = part.amount, part.oldest_due_date
		elif due_date < as_of:
			amount, due = flt(outstanding), due_date
		else:
			continue
		if amount > 0:
			total += amount
			late.append((due, name, outstanding, amount))
	oldest = min(late)[0] if late else None
	result.update(
		overdue=flt(total, 2),
		oldest_overdue_date=oldest,
		oldest_overdue_days=overdue_days(oldest, as_of),
		overdue_count=len(late),
		overdue_invoices=shown_invoices(heapq.nsmallest(ROWS_SHOWN, late), as_of),
	)
	return result


def payment_terms(invoices: list[str]) -> dict[str, list[tuple]]:
	"""(due date, amount in company currency) of each invoice's payment terms."""
	terms: dict[str, list[tuple]] = {}
	if invoices:
		for parent, due_date, amount in frappe.db.sql(
			"""select parent, due_date, base_payment_amount from `tabPayment Schedule`
			where parenttype = 'Sales Invoice' and parent in %(names)s""",
			{"names": tuple(invoices)},
		):
			terms.setdefault(parent, []).append((due_date, amount))
	return terms


def shown_invoices(late: list[tuple], as_of) -> list[dict]:
	"""The rows of the overdue table, oldest due first: ``late`` holds (due, name, outstanding, overdue)."""
	if not late:
		return []
	details = {
		row.name: row
		for row in frappe.db.sql(
			"select name, customer, posting_date from `tabSales Invoice` where name in %(names)s",
			{"names": tuple(name for _due, name, _outstanding, _amount in late)},
			as_dict=True,
		)
	}
	return [
		{
			"name": name,
			"customer": details[name].customer,
			"posting_date": details[name].posting_date,
			"due_date": due,
			"days": overdue_days(due, as_of),
			"outstanding": flt(outstanding, 2),
			"overdue": flt(amount, 2),
		}
		for due, name, outstanding, amount in late
	]


def open_orders(customers: list[str], company: str) -> dict:
	"""Submitted Sales Orders not closed or completed and still to deliver or to bill: how many, their
	value, and the net amount still to deliver and to bill (company currency)."""
	result = {"count": 0, "value": 0.0, "to_deliver": 0.0, "to_bill": 0.0, "orders": []}
	if not customers:
		return result
	orders = frappe.db.sql(
		"""select so.name, so.customer, so.transaction_date, so.delivery_date, so.status,
			so.base_grand_total, so.per_delivered, so.per_billed,
			sum(greatest(soi.qty - soi.delivered_qty, 0) * soi.base_net_rate) as to_deliver,
			sum(greatest(soi.base_net_amount - soi.billed_amt * so.conversion_rate, 0)) as to_bill
		from `tabSales Order` so
		inner join `tabSales Order Item` soi on soi.parent = so.name and soi.parenttype = 'Sales Order'
		where so.docstatus = 1 and so.company = %(company)s and so.customer in %(customers)s
			and so.status not in %(closed)s and (so.per_delivered < 100 or so.per_billed < 100)
		group by so.name
		order by so.delivery_date, so.name""",
		{"company": company, "customers": tuple(customers), "closed": CLOSED_ORDER_STATUSES},
		as_dict=True,
	)
	for order in orders:
		order.to_deliver, order.to_bill = flt(order.to_deliver, 2), flt(order.to_bill, 2)
	result.update(
		count=len(orders),
		value=flt(sum(flt(o.base_grand_total) for o in orders), 2),
		to_deliver=flt(sum(o.to_deliver for o in orders), 2),
		to_bill=flt(sum(o.to_bill for o in orders), 2),
		orders=orders[:ROWS_SHOWN],
	)
	return result


def monthly_figures(customers: list[str], company: str, as_of) -> dict:
	"""Net revenue and gross profit of each of the last twelve calendar months, from the rollups."""
	months = last_months(getdate(as_of))
	by_month = {month: (0.0, 0.0) for month in months}
	if customers:
		for month, revenue, profit in frappe.db.sql(
			"""select month, sum(net_revenue), sum(gross_profit) from `tabKey Account Monthly Rollup`
			where company = %(company)s and customer in %(customers)s and month between %(start)s and %(end)s
			group by month""",
			{"company": company, "customers": tuple(customers), "start": months[0], "end": months[-1]},
		):
			month = getdate(month).replace(day=1)
			if month in by_month:
				revenue_before, profit_before = by_month[month]
				by_month[month] = (revenue_before + flt(revenue), profit_before + flt(profit))
	return {
		"months": [str(month) for month in months],
		"net_revenue": [flt(by_month[m][0], 2) for m in months],
		"gross_profit": [flt(by_month[m][1], 2) for m in months],
	}


def position(customers: list[str], company: str, as_of=None) -> dict:
	as_of = getdate(as_of or today())
	return {
		"credit_limit": credit_limit(customers, company),
		"receivables": receivables(customers, company),
		**overdue(customers, company, as_of),
		"open_orders": open_orders(customers, company),
		"chart": monthly_figures(customers, company, as_of),
	}


def review_figures(profile) -> dict | None:
	"""The plan review's commercial rows (plan/review.py): credit limit, receivables, overdue and open
	orders of the account in its company's currency; None without a company."""
	from key_account_management.company import company_currency
	from key_account_management.groups.members import customers_of

	if not profile or not profile.get("company"):
		return None
	customers, company = customers_of(profile.name), profile.company
	as_of = getdate(today())
	late = overdue(customers, company, as_of)
	orders = open_orders(customers, company)
	return {
		"currency": company_currency(company),
		"credit_limit": credit_limit(customers, company),
		"receivables": receivables(customers, company),
		"overdue": late["overdue"],
		"oldest_overdue_days": late["oldest_overdue_days"],
		"open_orders": orders["count"],
		"open_order_value": orders["value"],
		"to_deliver": orders["to_deliver"],
		"to_bill": orders["to_bill"],
	}
