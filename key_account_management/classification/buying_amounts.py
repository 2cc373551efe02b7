"""The buying amounts of the invoice rows the aggregated pass of ``basis.py`` cannot price
(docs/DOMAIN.md §8): Product Bundle rows through their packed items' stock ledger entries, non-stock
rows at the last purchase rate as of their posting date, and the port of ERPNext's Gross Profit report's
per-row fallbacks for the rest (see ``basis.py`` for the rules and where they differ from the report).
"""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe.utils import flt, getdate

from key_account_management.db_indexes import index_hint

# the voucher that delivered the row (the invoice, or the Delivery Note it was made from) and its row
DELIVERY_VOUCHER = "if(ifnull(sii.dn_detail, '') != '', sii.delivery_note, si.name)"
DELIVERY_TYPE = "if(ifnull(sii.dn_detail, '') != '', 'Delivery Note', 'Sales Invoice')"
DELIVERY_ROW = "coalesce(nullif(sii.dn_detail, ''), sii.name)"


def bundle_buying_amounts(row_names: list[str], precision: int):
	"""(row name, buying amount) of Product Bundle rows: what their packed items' stock ledger entries
	took out (voucher_detail_no is the bundle row, item and warehouse the packed item's), scaled to the
	invoiced share of the delivering row; a packed item without stock at its last purchase rate."""
	lines = []
	for chunk_start in range(0, len(row_names), 1000):
		lines += frappe.db.sql(
			f"""
			select sii.name as row_name, sii.stock_qty as qty, dni.stock_qty as delivered_qty,
				pki.item_code, pki.qty as packed_qty, item.is_stock_item, sii.cost_center, si.project,
				si.posting_date, sle.name as entry, sle.stock_value_difference
			from `tabSales Invoice Item` sii
			inner join `tabSales Invoice` si on si.name = sii.parent
			inner join `tabPacked Item` pki on pki.parent = {DELIVERY_VOUCHER}
				and pki.parenttype = {DELIVERY_TYPE}
				and pki.parent_detail_docname = {DELIVERY_ROW}
				and pki.parent_item = sii.item_code
			inner join `tabItem` item on item.name = pki.item_code
			left join `tabDelivery Note Item` dni on dni.name = sii.dn_detail
			left join `tabStock Ledger Entry` sle
				{index_hint("Stock Ledger Entry", "kam_gross_profit", "voucher_detail_no")}
				on sle.voucher_detail_no = pki.parent_detail_docname
				and sle.voucher_type = pki.parenttype
				and sle.item_code = pki.item_code
				and sle.warehouse = coalesce(nullif(pki.warehouse, ''), dni.warehouse, sii.warehouse)
				and sle.is_cancelled = 0
			where sii.name in %(rows)s
			""",
			{"rows": tuple(row_names[chunk_start : chunk_start + 1000])},
			as_dict=True,
		)
	non_stock = [line for line in lines if not line.entry and not line.is_stock_item]
	rates = None
	if non_stock:
		rates = LastPurchaseRates(
			{line.item_code for line in non_stock}, max(getdate(line.posting_date) for line in non_stock)
		)
	amounts: dict[str, float] = defaultdict(float)
	for line in lines:
		qty = flt(line.qty)
		# the invoiced share of what the delivering row took out: all of it on an update-stock
		# invoice, invoiced qty ÷ delivered qty on an invoice made from a Delivery Note
		share = abs(qty / flt(line.delivered_qty)) if flt(line.delivered_qty) else 1.0
		sign = -1.0 if qty < 0 else 1.0
		if line.entry:
			amounts[line.row_name] += sign * abs(flt(line.stock_value_difference)) * share
		elif rates is not None and not line.is_stock_item:
			rate = rates.get(line.item_code, line.cost_center, line.project, line.posting_date)
			amounts[line.row_name] += sign * abs(flt(line.packed_qty)) * share * rate
		else:
			amounts[line.row_name] += 0.0
	for row_name, amount in amounts.items():
		yield row_name, flt(amount, precision)


class LastPurchaseRates:
	"""The report's get_last_purchase_rate, loaded once for every non-stock item sold, and taken as of
	the sale's posting date (the report takes it as of its end date)."""

	def __init__(self, item_codes, to_date):
		self.rows = defaultdict(list)
		for item_code, cost_center, project, posting_date, rate in frappe.db.sql(
			"""
			select pii.item_code, pii.cost_center, pii.project, pi.posting_date,
				pii.base_rate / pii.conversion_factor
			from `tabPurchase Invoice Item` pii
			inner join `tabPurchase Invoice` pi on pi.name = pii.parent
			where pi.docstatus = 1 and pi.posting_date <= %(to_date)s and pii.item_code in %(items)s
			order by pi.posting_date desc, pi.posting_time desc, pi.creation desc
			""",
			{"to_date": to_date, "items": tuple(item_codes)},
		):
			self.rows[item_code].append((cost_center, project, getdate(posting_date), flt(rate)))

	def get(self, item_code, cost_center, project, as_of=None) -> float:
		as_of = getdate(as_of) if as_of else None
		for row_cost_center, row_project, posting_date, rate in self.rows.get(item_code, ()):
			if as_of and posting_date > as_of:
				continue
			if project and row_project != project:
				continue
			if cost_center and row_cost_center != cost_center:
				continue
			return rate
		return 0.0


class FallbackBuyingAmounts:
	"""Port of the report's per-row fallbacks, for the few rows the aggregated pass cannot price."""

	def __init__(self, company, precision):
		self.company = company
		self.precision = precision

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
				yield row.item_row, flt(self.buying_amount(row), self.precision)

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
		# the valuation rate in force at the row's posting date and time (the report takes the first
		# row's of each item for all of that item's rows)
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
		return flt(get_incoming_rate(args))
