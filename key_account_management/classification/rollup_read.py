"""Customer figures of a period read from the monthly rollups, and whether the rollups can be read
(docs/DOMAIN.md §8).

The reclassification, the ABC Analysis, the hospitality budget and the relationship job read the
rollups instead of the ledger: a sum of at most a year's rows per customer. They read them only when the
company's rollups are complete (``rollup_rebuild.is_built``): a first build that was killed part-way
(a deploy's timeout, an OOM kill, a restarted container) leaves some customers without rows, and
classes computed from that would drop most customers a class. While the build is not complete:

- a read of a few customers (one profile, one request) first brings those customers' rows to the
  ledger's figures (``rollup.correct``: the rebuild's own step, in the caller's transaction);
- a company-wide read in a background job finishes the build first (``complete_rollups(build=True)``);
- any other company-wide read takes the figures from the ledger (``basis.py``, as the rollups would
  hold them), or, where no ledger read stands in (``complete_rollups``), refuses with a message that
  names the rebuild to run.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, getdate

from key_account_management.classification import rollup
from key_account_management.classification.basis import Scope, gross_profit, net_revenue
from key_account_management.classification.rollup_rebuild import is_built, rebuild
from key_account_management.core.periods import month_end, month_start
from key_account_management.db_indexes import index_hint

# a read of at most this many customers completes their rows instead of refusing
FEW_CUSTOMERS = 50


def complete_rollups(company: str, customers=None, build: bool = False) -> None:
	"""Make the company's rollups complete for ``customers`` (all when None) before they are read.

	Nothing to do once the company's rollups are built. Otherwise a few customers' rows are corrected
	from the ledger in the caller's transaction; the whole company is built with ``build`` (a background
	job: the rebuild commits batch by batch) and refused without it."""
	if not company or is_built(company):
		return
	if customers is not None and len(customers) <= FEW_CUSTOMERS:
		customers = sorted(set(customers))
		if customers:
			rollup.correct(
				company,
				rollup.stored_rows(company, customers=customers),
				rollup.from_ledger(company, customers=customers),
			)
		return
	if build:
		rebuild(company, commit=not frappe.flags.in_test)
		return
	frappe.throw(
		_(
			"The monthly rollups of {0} are not complete: their first build did not finish. Run the rebuild"
			" first ({1}, or the next migrate does it), then try again."
		).format(
			frappe.bold(company),
			f"bench --site {frappe.local.site} execute key_account_management.classification.rollup_rebuild.rebuild"
			f" --kwargs \"{{'company': '{company}'}}\"",
		),
		title=_("Rollups Not Complete"),
	)


def customer_totals(company: str, from_date, to_date, customers=None) -> dict[str, frappe._dict]:
	"""{customer: {net_revenue, gross_profit}} summed over the months from ``from_date``'s to
	``to_date``'s, for the customers with at least one invoice in them."""
	customer_filter = "and customer in %(customers)s" if customers is not None else ""
	rows = frappe.db.sql(
		f"""
		select customer, sum(net_revenue) as net_revenue, sum(gross_profit) as gross_profit
		from {rollup.TABLE} {index_hint(rollup.ROLLUP, "kam_rollup_customer")}
		where company = %(company)s and month between %(from_month)s and %(to_month)s {customer_filter}
		group by customer
		having sum(invoice_count) > 0
		""",
		{
			"company": company,
			"from_month": month_start(getdate(from_date)),
			"to_month": month_start(getdate(to_date)),
			"customers": tuple(customers or ()) or ("",),
		},
		as_dict=True,
	)
	return {row.customer: row for row in rows}


def basis_values(basis: str, company: str, from_date, to_date, customers=None) -> dict[str, float]:
	"""Net revenue or gross profit per customer, as ``basis.get_basis_values`` reads it from the
	ledger for the same whole months; from the ledger itself while the company's rollups are not
	complete and more than a few customers are read."""
	if not is_built(company) and (customers is None or len(customers) > FEW_CUSTOMERS):
		return ledger_basis_values(basis, company, from_date, to_date, customers)
	complete_rollups(company, customers)
	column = "net_revenue" if basis == "Net Revenue" else "gross_profit"
	return {
		customer: flt(row[column])
		for customer, row in customer_totals(company, from_date, to_date, customers).items()
	}


def ledger_basis_values(basis: str, company: str, from_date, to_date, customers=None) -> dict[str, float]:
	"""What ``basis_values`` reads from the rollups, read from the ledger: the same whole months."""
	scope = Scope(
		company,
		month_start(getdate(from_date)),
		month_end(getdate(to_date)),
		customers=tuple(customers) if customers is not None else None,
	)
	return net_revenue(scope) if basis == "Net Revenue" else gross_profit(scope)
