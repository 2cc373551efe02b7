"""What the ledgers say about each customer, for the relationship evaluation (docs/DOMAIN.md §3, §8).

Revenue of this and the previous year, the last order and the item groups bought come from the monthly
rollups; receivables and credit limits from the invoices and the customers: four aggregated queries for
every customer at once (the daily job) or for one (the profile form).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict

import frappe
from frappe.utils import flt, getdate

from key_account_management.classification.basis import GROUPS_LENGTH
from key_account_management.classification.rollup import GROUP_SEPARATOR as ROLLUP_SEPARATOR
from key_account_management.classification.rollup import ROLLUP
from key_account_management.classification.rollup_read import complete_rollups
from key_account_management.core.periods import add_months, calendar_months, month_start
from key_account_management.db_indexes import index_hint

# SoW compares our revenue with the customer's *annual* category spend, so its window is a year
# whatever period the ABC classification uses; the trend compares it with the year before.
RELATIONSHIP_MONTHS = 12


class Facts(frappe._dict):
	"""What the ledgers say about one customer (see :func:`load_facts`)."""


def empty_facts() -> Facts:
	return Facts(
		revenue_this=0.0,
		revenue_previous=0.0,
		last_order_date=None,
		groups_this=set(),
		groups_previous=set(),
		overdue=0.0,
		outstanding=0.0,
		credit_limit=0.0,
	)


@functools.lru_cache(maxsize=32)
def period_starts(as_of: dt.date) -> tuple[dt.date, dt.date]:
	"""(start of this period, start of the previous period) for the trailing-year windows: whole
	calendar months, the month of ``as_of`` and the eleven before it, as the monthly rollups hold them."""
	this_from, _to = calendar_months(as_of, RELATIONSHIP_MONTHS)
	return this_from, add_months(this_from, -RELATIONSHIP_MONTHS)


def load_facts(company: str | None, as_of, customers: list[str] | None = None) -> dict[str, Facts]:
	"""Revenue, last order, item groups and receivables per customer: four aggregated queries.

	Without ``customers`` every customer of the company is read from the rollups and every customer that
	has a Key Account Profile from the invoices.
	"""
	if not company:
		return {}
	# never from half-built rollups (docs/DOMAIN.md §8): one profile's customer is brought to the ledger
	complete_rollups(company, customers or None)
	as_of = getdate(as_of)
	this_from, previous_from = period_starts(as_of)
	params = {
		"company": company,
		"as_of": as_of,
		"this_from": this_from,
		"previous_from": previous_from,
		"customers": tuple(customers or ()) or ("",),
	}
	if customers:
		scope = "and si.customer in %(customers)s"
	else:
		scope = "and si.customer in (select p.customer from `tabKey Account Profile` p)"

	facts: dict[str, Facts] = defaultdict(empty_facts)
	# Every profile's customer: the company's rollup rows are read whole and the caller looks up only
	# its profiles' customers; the rows of a customer without a profile cost less than MariaDB's
	# semi-join with the profiles (5.9 s against 0.9 s at 50,000 customers, measured)
	rollup_scope = scope.replace("si.customer", "r.customer") if customers else ""
	params["to_month"] = month_start(as_of)

	# Revenue of this and the previous year and the last order, from the monthly rollups (kept current
	# as invoices post, credit notes netted as in classification.basis): the customers' rows in month
	# order, read from the rollup index alone. The last order is the latest invoice that is not a
	# credit note, however old, so every month up to this one is read; the revenue of two years is the
	# sum of at most 24 of them.
	for customer, this_period, previous_period, last_order in frappe.db.sql(
		f"""
		select r.customer,
			sum(if(r.month >= %(this_from)s, r.net_revenue, 0)),
			sum(if(r.month >= %(previous_from)s and r.month < %(this_from)s, r.net_revenue, 0)),
			max(r.last_order_date)
		from `tab{ROLLUP}` r {index_hint(ROLLUP, "kam_rollup_customer")}
		where r.company = %(company)s and r.month <= %(to_month)s {rollup_scope}
		group by r.customer
		having sum(r.invoice_count) > 0""",
		params,
	):
		facts[customer].revenue_this = flt(this_period)
		facts[customer].revenue_previous = flt(previous_period)
		facts[customer].last_order_date = last_order

	# Item groups bought in each year, for business loss: the groups each month's row lists, joined per
	# customer and year (at most 24 rows per customer).
	for customer, groups_this, groups_previous in frappe.db.sql(
		f"""
		{GROUPS_LENGTH}
		select r.customer,
			group_concat(if(r.month >= %(this_from)s, r.item_groups, null) separator '{ROLLUP_SEPARATOR}'),
			group_concat(if(r.month < %(this_from)s, r.item_groups, null) separator '{ROLLUP_SEPARATOR}')
		from `tab{ROLLUP}` r
		where r.company = %(company)s and r.month between %(previous_from)s and %(to_month)s
			and r.item_groups is not null {rollup_scope}
		group by r.customer""",
		params,
	):
		for item_group in (groups_this or "").split(ROLLUP_SEPARATOR):
			if item_group:
				facts[customer].groups_this.add(item_group)
		for item_group in (groups_previous or "").split(ROLLUP_SEPARATOR):
			if item_group:
				facts[customer].groups_previous.add(item_group)

	# receivables: what is still open, and the part of it past its due date
	for customer, outstanding, overdue in frappe.db.sql(
		f"""
		select si.customer, sum(si.outstanding_amount),
			sum(case when si.due_date < %(as_of)s then si.outstanding_amount else 0 end)
		from `tabSales Invoice` si
		where si.docstatus = 1 and si.company = %(company)s and si.outstanding_amount > 0 {scope}
		group by si.customer""",
		params,
	):
		facts[customer].outstanding = flt(outstanding)
		facts[customer].overdue = flt(overdue)

	# credit limits the customer has for this company
	limit_scope = scope.replace("si.customer", "ccl.parent")
	for customer, credit_limit in frappe.db.sql(
		f"""
		select ccl.parent, max(ccl.credit_limit)
		from `tabCustomer Credit Limit` ccl
		where ccl.parenttype = 'Customer' and ccl.company = %(company)s {limit_scope}
		group by ccl.parent""",
		params,
	):
		facts[customer].credit_limit = flt(credit_limit)

	return dict(facts)
