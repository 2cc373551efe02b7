"""Per-customer basis values for the ABC classification, read set-based from ERPNext's ledgers.

Net revenue is the net total of submitted Sales Invoices (credit notes are negative invoices, so
they net out). Gross profit follows ERPNext's own Gross Profit report
(erpnext/accounts/report/gross_profit): selling amount = the item row's base net amount, buying
amount by the same rules the report applies row by row:

1. stock item delivered by this invoice (update stock) or by a Delivery Note row it was made from:
   the stock value the matching Stock Ledger Entry took out, scaled to the invoiced qty;
2. Product Bundle delivered the same way: the stock value its packed items' entries took out (the
   Packed Item rows of the invoice, or of the Delivery Note it was made from), scaled to the invoiced
   qty; a packed item without stock at its last purchase rate;
3. non-stock item with a project or cost center: qty × last purchase rate (Purchase Invoice);
4. anything else (Delivery Note made from the invoice, Sales Order deliveries, a first ledger entry
   with no previous stock value, ...): the report's fallbacks, ported as they are.

Path 1 covers the rows of ordinary stock selling and is computed in one aggregated SQL pass grouped
by customer (and month, for the rollups), which also counts the rows that need another path; only the
customers with such rows are read a second time: bundle rows by id with their packed items' entries,
non-stock rows grouped for path 3 and the few path-4 rows (anomalies of the stock flow) by id, run
through the port of the report's fallbacks.

Rates that the report takes "as of the report's end date" (a non-stock item's last purchase rate, the
valuation rate of a stock item invoiced without a stock movement) are taken as of each invoice's
posting date here, so that an invoice's figure does not depend on the period it is read in: a month
summed today equals the same month summed next year, which the monthly rollups (rollup.py) rely on.

Where the app and the report differ, and why (README, "Rules"):

- grouped by Customer, the report leaves out credit notes issued against an invoice
  (``is_return = 1 and return_against is not null``). Our basis nets them, because a customer who
  returns goods did not bring that profit (docs/DOMAIN.md §2: returns netted). Passing
  ``include_linked_returns=False`` leaves them out as the report does;
- a bundle's packed item whose quantity per bundle is not 1: the report divides the entry's value by
  the packed quantity but multiplies by the bundle quantity; the ledger's value is used here;
- the as-of dates of the two rates above.
"""

from __future__ import annotations

from dataclasses import dataclass

import frappe
from frappe.utils import cint, flt, getdate

from key_account_management.classification.buying_amounts import (
	DELIVERY_ROW,
	DELIVERY_TYPE,
	DELIVERY_VOUCHER,
	FallbackBuyingAmounts,
	LastPurchaseRates,
	bundle_buying_amounts,
)
from key_account_management.db_indexes import index_hint

MONTH_SQL = "cast(date_format(si.posting_date, '%%Y-%%m-01') as date)"
# how the monthly rollups list item groups (one per line), and room for a customer's whole list: far
# above any customer's item groups (MariaDB's default group_concat_max_len is 1 MB)
GROUP_SEPARATOR = "\n"
GROUPS_LENGTH = f"set statement group_concat_max_len = {16 * 2**20} for"


@dataclass(frozen=True)
class Scope:
	"""Which invoices a ledger read covers and how it groups them.

	``customers`` / ``invoices`` narrow the read (the rollups refresh a few customer-months or one
	invoice); ``by_month`` keys the result by (customer, first day of the posting month)."""

	company: str
	from_date: object = None
	to_date: object = None
	customers: tuple[str, ...] | None = None
	invoices: tuple[str, ...] | None = None
	include_linked_returns: bool = True
	by_month: bool = False

	def conditions(self) -> str:
		conditions = ["si.docstatus = 1", "si.company = %(company)s", "si.is_opening != 'Yes'"]
		if self.from_date:
			conditions.append("si.posting_date >= %(from_date)s")
		if self.to_date:
			conditions.append("si.posting_date <= %(to_date)s")
		if self.customers is not None:
			conditions.append("si.customer in %(customers)s")
		if self.invoices is not None:
			conditions.append("si.name in %(invoices)s")
		if not self.include_linked_returns:
			conditions.append("(si.is_return = 0 or si.return_against is null)")
		return " and ".join(conditions)

	def params(self, **more) -> dict:
		return {
			"company": self.company,
			"from_date": self.from_date,
			"to_date": self.to_date,
			"customers": tuple(self.customers or ()) or ("",),
			"invoices": tuple(self.invoices or ()) or ("",),
			"precision": currency_precision(),
			**more,
		}

	@property
	def keys(self) -> str:
		return f"si.customer, {MONTH_SQL} as month" if self.by_month else "si.customer, null as month"

	def key(self, row):
		return (row["customer"], getdate(row["month"])) if self.by_month else row["customer"]

	def invoice_hint(self, index: str = "kam_customer_basis") -> str:
		# a customer-ordered covering index for company-wide and customer reads; by name otherwise
		return "" if self.invoices is not None else index_hint("Sales Invoice", index)

	@property
	def group_by(self) -> str:
		# MariaDB sorts grouped rows by the group unless told not to; nothing here needs them sorted
		return "group by si.customer, month order by null" if self.by_month else "group by si.customer"


def get_basis_values(basis: str, company: str, from_date, to_date) -> dict[str, float]:
	if basis == "Net Revenue":
		return get_net_revenue(company, from_date, to_date)
	return get_gross_profit(company, from_date, to_date)


def get_net_revenue(company: str, from_date, to_date) -> dict[str, float]:
	return net_revenue(Scope(company, from_date, to_date))


def net_revenue(scope: Scope) -> dict:
	rows = frappe.db.sql(
		f"""
		select {scope.keys}, sum(si.base_net_total) as value
		from `tabSales Invoice` si {scope.invoice_hint()}
		where {scope.conditions()}
		{scope.group_by}
		""",
		scope.params(),
		as_dict=True,
	)
	return {scope.key(row): flt(row.value) for row in rows}


def currency_precision() -> int:
	# the report rounds every row to this precision before summing
	return cint(frappe.db.get_default("currency_precision")) or 3


# The invoice rows of the period and each row's stock ledger entry. Every column read is in one of
# the app's covering indexes (db_indexes.py), so MariaDB never looks up the wide rows themselves:
# that lookup, once per invoice and once per row, was most of the time on large ledgers. For the same
# reason the entry is matched on its voucher_detail_no and voucher type only: a row name belongs to one
# voucher, so the voucher_no and company of the entry add nothing. The Item is not joined here: items
# without stock have no ledger entries, and the second pass looks at items for the other rows.
ROWS_SQL = """
	from `tabSales Invoice` si {si_index_hint}
	inner join `tabSales Invoice Item` sii on sii.parent = si.name
	{item_join}
	left join `tabStock Ledger Entry` sle {sle_index_hint}
		on (si.update_stock = 1 or ifnull(sii.dn_detail, '') != '')
		and sle.voucher_detail_no = coalesce(nullif(sii.dn_detail, ''), sii.name)
		and sle.voucher_type = if(ifnull(sii.dn_detail, '') != '', 'Delivery Note', 'Sales Invoice')
		and sle.item_code = sii.item_code
		and sle.warehouse = sii.warehouse
		and sle.is_cancelled = 0
	where {conditions}
"""
ON_LEDGER = (
	"sle.voucher_detail_no is not null and round(sle.stock_value - sle.stock_value_difference, 6) != 0"
)
# the report's abs(stock value difference) × invoiced qty / abs(entry qty); an entry made by the row
# itself moved exactly the row's qty, which spares MariaDB the decimal division on nearly every row
LEDGER_BUYING = """if(sii.stock_qty = -sle.actual_qty,
	if(sii.stock_qty < 0, -abs(sle.stock_value_difference), abs(sle.stock_value_difference)),
	abs(sle.stock_value_difference) * sii.stock_qty / nullif(abs(sle.actual_qty), 0))"""
NON_STOCK = "item.is_stock_item = 0 and (ifnull(si.project, '') != '' or ifnull(sii.cost_center, '') != '')"
DELIVERING = "(si.update_stock = 1 or ifnull(sii.dn_detail, '') != '')"
# a Product Bundle row delivered with its packed items
BUNDLE = f"""{DELIVERING} and exists(select 1 from `tabPacked Item` pki
	where pki.parent = {DELIVERY_VOUCHER} and pki.parenttype = {DELIVERY_TYPE}
		and pki.parent_detail_docname = {DELIVERY_ROW} and pki.parent_item = sii.item_code)"""


def get_gross_profit(
	company: str, from_date, to_date, include_linked_returns: bool = True
) -> dict[str, float]:
	"""Selling minus buying amount per customer; see the module docstring for the rules."""
	scope = Scope(company, from_date, to_date, include_linked_returns=include_linked_returns)
	return gross_profit(scope)


def gross_profit(scope: Scope) -> dict:
	precision = currency_precision()
	return {
		key: flt(selling - buying, precision) for key, (selling, buying) in selling_and_buying(scope).items()
	}


def selling_and_buying(
	scope: Scope, item_groups: dict | None = None, group_months: dict | None = None
) -> dict:
	"""{key: [selling amount, buying amount]}, the key a customer or (customer, month).

	With ``item_groups`` (a dict), the same pass also fills it with {key: the item groups of the rows
	of invoices that are not credit notes}, with ``group_months`` with {key: how many (month, item
	group) pairs those rows have}: the monthly rollups keep the groups, and a separate read of every
	invoice row again cost the rollup rebuild more than the gross profit itself."""
	hints = {
		"si_index_hint": scope.invoice_hint(),
		# without it, the item_code index: a scan of the item's whole ledger for every row
		"sle_index_hint": index_hint("Stock Ledger Entry", "kam_gross_profit", "voucher_detail_no"),
		"conditions": scope.conditions(),
	}
	first_pass_rows = ROWS_SQL.format(item_join="", **hints)
	params = scope.params()
	groups_column = ""
	if item_groups is not None:
		groups_column += (
			", group_concat(distinct if(si.is_return = 0, nullif(sii.item_group, ''), null)"
			f" separator '{GROUP_SEPARATOR}') as item_groups"
		)
	if group_months is not None:
		groups_column += (
			", count(distinct if(si.is_return = 0 and ifnull(sii.item_group, '') != '',"
			" concat(extract(year_month from si.posting_date), sii.item_group), null)) as group_months"
		)

	# First pass, grouped by customer (and month) only: all selling, the buying of the rows on the
	# ledger path, and how many rows need another path. Ordinary stock selling finishes here.
	totals = frappe.db.sql(
		f"""
		{GROUPS_LENGTH if item_groups is not None else ""}
		select {scope.keys},
			sum(round(sii.base_net_amount, %(precision)s)) as selling,
			sum(if({ON_LEDGER}, round({LEDGER_BUYING}, %(precision)s), 0)) as buying,
			sum(if({ON_LEDGER}, 0, 1)) as other_rows
			{groups_column}
		{first_pass_rows}
		{scope.group_by}
		""",
		params,
		as_dict=True,
	)
	for row in totals:
		if item_groups is not None and row.item_groups:
			item_groups[scope.key(row)] = set(row.item_groups.split(GROUP_SEPARATOR))
		if group_months is not None and row.group_months:
			group_months[scope.key(row)] = int(row.group_months)
	amounts: dict = {scope.key(row): [flt(row.selling), flt(row.buying)] for row in totals}

	# Second pass, only over the customers with such rows
	others = tuple(sorted({row.customer for row in totals if row.other_rows}))
	if others:
		other_rows = ROWS_SQL.format(
			item_join="inner join `tabItem` item on item.name = sii.item_code", **hints
		)
		for key, buying in other_buying_amounts(scope, other_rows, {**params, "others": others}):
			amounts.setdefault(key, [0.0, 0.0])[1] += buying
	return amounts


def other_buying_amounts(scope: Scope, other_rows: str, params: dict):
	"""(key, buying amount) of the rows the first pass could not price: bundle rows and fallback rows by
	id, non-stock rows grouped by (customer, month, item, cost center, project, posting date) for the
	last purchase rate."""
	precision = params["precision"]
	kind = f"if({BUNDLE}, 'bundle', if({NON_STOCK}, 'non_stock', 'fallback'))"
	month = MONTH_SQL if scope.by_month else "null"
	groups = frappe.db.sql(
		f"""
		select r.customer, r.month, r.kind,
			if(r.kind = 'non_stock', r.item_code, r.row_name) as key1,
			if(r.kind = 'non_stock', r.cost_center, null) as cost_center,
			if(r.kind = 'non_stock', r.project, null) as project,
			if(r.kind = 'non_stock', r.posting_date, null) as posting_date,
			sum(r.qty) as qty
		from (
			select si.customer, {month} as month, {kind} as kind, sii.name as row_name, sii.item_code,
				sii.cost_center, si.project, si.posting_date, sii.stock_qty as qty
			{other_rows}
				and si.customer in %(others)s
				and not ({ON_LEDGER})
		) r
		group by r.customer, r.month, r.kind, key1, cost_center, project, posting_date
		""",
		params,
		as_dict=True,
	)
	non_stock = [g for g in groups if g.kind == "non_stock"]
	bundle_rows = {g.key1: scope.key(g) for g in groups if g.kind == "bundle"}
	fallback_rows = {g.key1: scope.key(g) for g in groups if g.kind == "fallback"}

	if non_stock:
		rates = LastPurchaseRates(
			{g.key1 for g in non_stock}, max(getdate(g.posting_date) for g in non_stock)
		)
		for group in non_stock:
			rate = rates.get(group.key1, group.cost_center, group.project, group.posting_date)
			yield scope.key(group), flt(flt(group.qty) * rate, precision)
	if bundle_rows:
		for row_name, amount in bundle_buying_amounts(list(bundle_rows), precision):
			yield bundle_rows[row_name], amount
	if fallback_rows:
		for row_name, amount in FallbackBuyingAmounts(scope.company, precision).run(list(fallback_rows)):
			yield fallback_rows[row_name], amount
