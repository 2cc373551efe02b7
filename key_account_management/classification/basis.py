"""Per-customer basis values for the ABC classification, read set-based from ERPNext's ledgers.

Net revenue is the net total of submitted Sales Invoices (credit notes are negative invoices, so
they net out). Gross profit follows ERPNext's own Gross Profit report
(erpnext/accounts/report/gross_profit): selling amount = the item row's base net amount, buying
amount by the same rules the report applies row by row:

1. non-stock item with a project or cost center: qty × last purchase rate (Purchase Invoice);
2. stock item delivered by this invoice (update stock) or by a Delivery Note row it was made from:
   the stock value the matching Stock Ledger Entry took out, scaled to the invoiced qty;
3. anything else (Delivery Note made from the invoice, Sales Order deliveries, a first ledger entry
   with no previous stock value, ...): the report's fallbacks, ported as they are.

Path 2 covers the rows of ordinary stock selling and is computed in one aggregated SQL pass grouped
by customer, which also counts the rows that need another path; only the customers with such rows are
read a second time, non-stock rows grouped for path 1 and the few path-3 rows (anomalies of the stock
flow) by id, run through the port of the report's fallbacks.

The one deliberate difference: grouped by Customer, the report leaves out credit notes issued
against an invoice (``is_return = 1 and return_against is not null``). Our basis nets them, because
a customer who returns goods did not bring that profit (DOMAIN.md §2: returns netted). Passing
``include_linked_returns=False`` reproduces the report exactly; the tests check both.
"""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe.utils import cint, flt

from key_account_management.db_indexes import index_hint


def get_basis_values(basis: str, company: str, from_date, to_date) -> dict[str, float]:
	if basis == "Net Revenue":
		return get_net_revenue(company, from_date, to_date)
	return get_gross_profit(company, from_date, to_date)


def get_net_revenue(company: str, from_date, to_date) -> dict[str, float]:
	rows = frappe.db.sql(
		f"""
		select si.customer, sum(si.base_net_total)
		from `tabSales Invoice` si {index_hint("Sales Invoice", "kam_customer_basis")}
		where si.docstatus = 1
			and si.company = %(company)s
			and si.posting_date between %(from_date)s and %(to_date)s
			and si.is_opening != 'Yes'
		group by si.customer
		""",
		{"company": company, "from_date": from_date, "to_date": to_date},
	)
	return {customer: flt(value) for customer, value in rows}


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
	where si.docstatus = 1
		and si.company = %(company)s
		and si.posting_date between %(from_date)s and %(to_date)s
		and si.is_opening != 'Yes'
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


def get_gross_profit(
	company: str, from_date, to_date, include_linked_returns: bool = True
) -> dict[str, float]:
	"""Selling minus buying amount per customer; see the module docstring for the rules."""
	precision = currency_precision()
	hints = {
		"si_index_hint": index_hint("Sales Invoice", "kam_customer_basis"),
		# without it, the item_code index: a scan of the item's whole ledger for every row
		"sle_index_hint": index_hint("Stock Ledger Entry", "kam_gross_profit", "voucher_detail_no"),
	}
	first_pass_rows = ROWS_SQL.format(item_join="", **hints)
	other_rows = ROWS_SQL.format(item_join="inner join `tabItem` item on item.name = sii.item_code", **hints)
	params = {"company": company, "from_date": from_date, "to_date": to_date, "precision": precision}
	returns_condition = (
		"" if include_linked_returns else "and (si.is_return = 0 or si.return_against is null)"
	)

	# First pass, grouped by customer only: all selling, the buying of the rows on the ledger path,
	# and how many rows need another path. Ordinary stock selling finishes here.
	totals = frappe.db.sql(
		f"""
		select si.customer,
			sum(round(sii.base_net_amount, %(precision)s)) as selling,
			sum(if({ON_LEDGER}, round({LEDGER_BUYING}, %(precision)s), 0)) as buying,
			sum(if({ON_LEDGER}, 0, 1)) as other_rows
		{first_pass_rows} {returns_condition}
		group by si.customer
		""",
		params,
		as_dict=True,
	)
	selling = {row.customer: flt(row.selling) for row in totals}
	buying: dict[str, float] = defaultdict(float)
	for row in totals:
		buying[row.customer] += flt(row.buying)

	# Second pass, only over the customers with such rows: non-stock rows grouped by (customer, item,
	# cost center, project) for the last purchase rate, fallback rows one by one.
	others = [row.customer for row in totals if row.other_rows]
	if others:
		non_stock_groups, fallback_rows = [], {}
		for group in frappe.db.sql(
			f"""
			select si.customer, ({NON_STOCK}) as non_stock,
				if({NON_STOCK}, sii.item_code, sii.name) as key1,
				if({NON_STOCK}, sii.cost_center, null) as key2,
				if({NON_STOCK}, si.project, null) as key3,
				sum(sii.stock_qty) as qty
			{other_rows} {returns_condition}
				and si.customer in %(customers)s
				and not ({ON_LEDGER})
			group by si.customer, non_stock, key1, key2, key3
			""",
			{**params, "customers": tuple(others)},
			as_dict=True,
		):
			if group.non_stock:
				non_stock_groups.append(group)
			else:
				fallback_rows[group.key1] = group.customer

		if non_stock_groups:
			rates = LastPurchaseRates(to_date, {g.key1 for g in non_stock_groups})
			for group in non_stock_groups:
				rate = rates.get(group.key1, group.key2, group.key3)
				buying[group.customer] += flt(flt(group.qty) * rate, precision)
		if fallback_rows:
			for customer, amount in FallbackBuyingAmounts(company, to_date, precision).run(
				list(fallback_rows)
			):
				buying[customer] += amount

	return {customer: flt(selling[customer] - buying[customer], precision) for customer in selling}


class LastPurchaseRates:
	"""The report's get_last_purchase_rate, loaded once for every non-stock item sold."""

	def __init__(self, to_date, item_codes):
		self.rows = defaultdict(list)
		for item_code, cost_center, project, rate in frappe.db.sql(
			"""
			select pii.item_code, pii.cost_center, pii.project, pii.base_rate / pii.conversion_factor
			from `tabPurchase Invoice Item` pii
			inner join `tabPurchase Invoice` pi on pi.name = pii.parent
			where pi.docstatus = 1 and pi.posting_date <= %(to_date)s and pii.item_code in %(items)s
			order by pi.posting_date desc
			""",
			{"to_date": to_date, "items": tuple(item_codes)},
		):
			self.rows[item_code].append((cost_center, project, flt(rate)))

	def get(self, item_code, cost_center, project) -> float:
		for row_cost_center, row_project, rate in self.rows.get(item_code, ()):
			if project and row_project != project:
				continue
			if cost_center and row_cost_center != cost_center:
				continue
			return rate
		return 0.0


class FallbackBuyingAmounts:
	"""Port of the report's per-row fallbacks, for the few rows the aggregated pass cannot price."""

	def __init__(self, company, to_date, precision):
		self.company = company
		self.to_date = to_date
		self.precision = precision
		self.average_buying_rate = {}

	def run(self, row_names):
		for chunk_start in range(0, len(row_names), 1000):
			chunk = row_names[chunk_start : chunk_start + 1000]
			rows = frappe.db.sql(
				"""
				select
					sii.parenttype, sii.parent, si.posting_date, si.posting_time, si.project, si.update_stock,
					si.customer, si.company, sii.item_code, sii.warehouse, sii.so_detail, sii.sales_order,
					sii.dn_detail, sii.delivery_note, sii.stock_qty as qty, sii.name as item_row,
					sii.cost_center, sii.serial_and_batch_bundle, item.is_stock_item
				from `tabSales Invoice` si
				inner join `tabSales Invoice Item` sii on sii.parent = si.name
				inner join `tabItem` item on item.name = sii.item_code
				where sii.name in %(rows)s
				order by si.posting_date, si.posting_time
				""",
				{"rows": tuple(chunk)},
				as_dict=True,
			)
			for row in rows:
				yield row.customer, flt(self.buying_amount(row), self.precision)

	def buying_amount(self, row):
		has_ledger = frappe.db.exists(
			"Stock Ledger Entry",
			{
				"item_code": row.item_code,
				"warehouse": row.warehouse,
				"company": self.company,
				"is_cancelled": 0,
			},
		)
		if (row.update_stock or row.dn_detail) and has_ledger:
			if row.dn_detail:
				return self.from_ledger(row, "Delivery Note", row.delivery_note, row.dn_detail)
			return self.from_ledger(row, row.parenttype, row.parent, row.item_row)

		delivery_note = frappe.db.get_value(
			"Delivery Note Item",
			{"against_sales_invoice": row.parent, "item_code": row.item_code, "docstatus": 1},
			["parent", "name"],
			as_dict=True,
			order_by="creation desc",
		)
		if delivery_note:
			if not has_ledger:
				return 0.0
			return self.from_ledger(row, "Delivery Note", delivery_note.parent, delivery_note.name)

		if row.sales_order and row.so_detail:
			incoming = frappe.db.sql(
				"""select avg(incoming_rate) from `tabDelivery Note Item`
				where docstatus = 1 and item_code = %s and against_sales_order = %s and so_detail = %s""",
				(row.item_code, row.sales_order, row.so_detail),
			)
			if incoming and flt(incoming[0][0]):
				return flt(row.qty) * flt(incoming[0][0])
		return flt(row.qty) * self.get_average_buying_rate(row)

	def from_ledger(self, row, voucher_type, voucher_no, voucher_detail_no):
		entry = frappe.db.get_value(
			"Stock Ledger Entry",
			{
				"voucher_type": voucher_type,
				"voucher_no": voucher_no,
				"voucher_detail_no": voucher_detail_no,
				"item_code": row.item_code,
				"warehouse": row.warehouse,
				"company": self.company,
				"is_cancelled": 0,
			},
			["stock_value", "stock_value_difference", "actual_qty"],
			as_dict=True,
		)
		if not entry:
			return 0.0
		previous_stock_value = flt(entry.stock_value) - flt(entry.stock_value_difference)
		if round(previous_stock_value, 6) and flt(entry.actual_qty):
			return abs(flt(entry.stock_value_difference)) * flt(row.qty) / abs(flt(entry.actual_qty))
		return flt(row.qty) * self.get_average_buying_rate(row)

	def get_average_buying_rate(self, row):
		# the report caches this per item, from the first row that needs it (oldest first)
		if row.item_code not in self.average_buying_rate:
			from erpnext.stock.utils import get_incoming_rate

			args = frappe._dict(row)
			args.update(
				{
					"voucher_type": row.parenttype,
					"voucher_no": row.parent,
					"allow_zero_valuation": True,
					"company": self.company,
				}
			)
			self.average_buying_rate[row.item_code] = flt(get_incoming_rate(args))
		return self.average_buying_rate[row.item_code]
