"""What the rebuild compares per customer before it reads months (rollup_rebuild.py): the totals of a
customer over the period, from the ledger and from the rollup rows (docs/DOMAIN.md §8).

A customer whose totals agree is done; only the others are read again month by month (rollup.correct).
"""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe.utils import flt, getdate

from key_account_management.classification.basis import Scope, selling_and_buying
from key_account_management.classification.rollup import HISTORY_INDEX, TABLE, row_conditions

# what the rebuild compares per customer before it looks at months: the amounts summed, the invoices,
# the latest order and the number of (month, item group) pairs
TOTALS = (
	"net_revenue",
	"selling_amount",
	"buying_amount",
	"invoice_count",
	"last_order_date",
	"group_months",
)


def ledger_totals(company: str, from_date, to_date, customers) -> dict[str, dict]:
	"""{customer: totals} over the period, from the ledger: the reads of ``from_ledger`` grouped by
	customer only, as the reclassification used to read the ledger."""
	scope = Scope(company, from_date, to_date, customers=tuple(customers))
	totals: dict[str, dict] = defaultdict(lambda: dict.fromkeys(TOTALS, 0))
	group_months: dict[str, int] = {}
	for customer, (selling, buying) in selling_and_buying(scope, group_months=group_months).items():
		totals[customer]["selling_amount"], totals[customer]["buying_amount"] = selling, buying
		totals[customer]["group_months"] = group_months.get(customer, 0)
	for customer, net, invoices, last_order in frappe.db.sql(
		f"""
		select si.customer, sum(si.base_net_total), count(*), max(if(si.is_return = 0, si.posting_date, null))
		from `tabSales Invoice` si {scope.invoice_hint(HISTORY_INDEX)}
		where {scope.conditions()}
		group by si.customer
		""",
		scope.params(),
	):
		totals[customer].update(net_revenue=flt(net), invoice_count=int(invoices), last_order_date=last_order)
	return dict(totals)


def stored_totals(company: str, from_date, to_date, customers) -> dict[str, dict]:
	"""{customer: totals} over the period, from the rollup rows."""
	conditions, params = row_conditions(company, from_date, to_date, customers)
	rows = frappe.db.sql(
		f"""
		select customer, sum(net_revenue), sum(selling_amount), sum(buying_amount), sum(invoice_count),
			max(last_order_date),
			sum(if(ifnull(item_groups, '') = '', 0,
				length(item_groups) - length(replace(item_groups, char(10), '')) + 1))
		from {TABLE} where {conditions}
		group by customer
		""",
		params,
	)
	return {
		row[0]: dict(
			zip(TOTALS, (flt(row[1]), flt(row[2]), flt(row[3]), int(row[4] or 0), row[5], int(row[6] or 0)))
		)
		for row in rows
	}


def same_totals(stored: dict | None, ledger: dict | None, precision: int) -> bool:
	stored, ledger = stored or dict.fromkeys(TOTALS, 0), ledger or dict.fromkeys(TOTALS, 0)
	tolerance = 0.5 / 10**precision
	for fieldname in ("net_revenue", "selling_amount", "buying_amount"):
		if abs(flt(stored[fieldname]) - flt(ledger[fieldname])) >= tolerance:
			return False
	last_stored, last_ledger = stored["last_order_date"], ledger["last_order_date"]
	return (
		int(stored["invoice_count"]) == int(ledger["invoice_count"])
		and int(stored["group_months"]) == int(ledger["group_months"])
		and (getdate(last_stored) if last_stored else None) == (getdate(last_ledger) if last_ledger else None)
	)
