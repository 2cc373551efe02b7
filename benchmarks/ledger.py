"""Synthetic selling ledgers for the benchmarks, filled by set-based SQL (no document saves).

MariaDB's sequence engine (``seq_1_to_N``) makes the rows: customers, items, submitted Sales Invoices
with three item rows each, credit notes against earlier invoices, invoices made from Delivery Notes
(update_stock off, the stock moved by the note) and one Stock Ledger Entry per delivered row (on the
invoice or on the note), all with the columns the app and ERPNext's Gross Profit report read.
Every name starts with the prefix, so ``cleanup`` deletes exactly what ``fill`` made.
"""

from __future__ import annotations

import frappe

ITEMS = 100
ROWS_PER_INVOICE = 3


class Ledger:
	def __init__(self, prefix: str, company: str, abbr: str):
		self.prefix = prefix
		self.company = company
		self.abbr = abbr

	def customer(self, n: int) -> str:
		return f"{self.prefix}C-{n:07d}"

	def cleanup(self) -> None:
		for table, column in (
			("Stock Ledger Entry", "name"),
			("Sales Invoice Item", "parent"),
			("Sales Invoice", "name"),
			("Delivery Note Item", "parent"),
			("Delivery Note", "name"),
			("Key Account Class History", "parent"),
			("Relationship Stage History", "parent"),
			("Key Account Playbook Item", "parent"),
			("Key Account ABC Standing", "customer"),
			("Key Account Profile", "name"),
			("Customer", "name"),
			("Item", "name"),
		):
			frappe.db.sql(f"delete from `tab{table}` where `{column}` like %s", self.prefix + "%")
			frappe.db.commit()
		self.cleanup_rollups()

	def cleanup_rollups(self) -> None:
		for table in ("Key Account Monthly Rollup", "Key Account Rollup Rebuild"):
			if frappe.db.table_exists(table):
				frappe.db.sql(f"delete from `tab{table}` where company = %s", self.company)
		frappe.db.commit()

	def build_rollups(self) -> dict:
		"""The monthly rollups of the filled ledger, as install builds them (the fill bypasses the
		documents' hooks that keep them current)."""
		from key_account_management.classification.rollup_rebuild import rebuild

		return rebuild(self.company)

	def fill(self, invoices: int, customers: int) -> None:
		"""Every 20th invoice is a credit note against the one before it; of the others, every 10th
		was made from a Delivery Note; a skewed customer pick (cube of a uniform) gives the sales a
		Pareto-like head."""
		p, abbr, company = self.prefix, self.abbr, self.company
		warehouse, cost_center = f"Stores - {abbr}", f"Main - {abbr}"
		now = frappe.utils.now()
		common = f"'{now}', '{now}', 'Administrator', 'Administrator'"

		def sql(query):
			# committed statement by statement: an interrupted fill of millions of rows would
			# otherwise spend as long again rolling back (cleanup removes a partial fill)
			frappe.db.sql(query)
			frappe.db.commit()

		sql(
			f"""insert into `tabItem` (name, item_code, item_name, item_group, stock_uom, is_stock_item,
				creation, modified, owner, modified_by)
			select concat('{p}ITEM-', seq), concat('{p}ITEM-', seq), concat('{p}ITEM-', seq),
				'All Item Groups', 'Nos', 1, {common}
			from seq_1_to_{ITEMS}"""
		)
		sql(
			f"""insert into `tabCustomer` (name, customer_name, customer_type, customer_group, territory,
				creation, modified, owner, modified_by)
			select concat('{p}C-', lpad(seq, 7, '0')), concat('Benchmark Customer ', seq), 'Company',
				'All Customer Groups', 'All Territories', {common}
			from seq_1_to_{customers}"""
		)
		# from_dn: invoice made from a delivery note of the same number
		sql(
			f"""insert into `tabSales Invoice` (name, customer, company, posting_date, posting_time, docstatus,
				is_return, return_against, update_stock, is_opening, currency, conversion_rate, base_net_total,
				net_total, grand_total, base_grand_total, debit_to, creation, modified, owner, modified_by)
			select concat('{p}SI-', seq),
				concat('{p}C-', lpad(1 + floor(pow(((seq * 2654435761) % 4294967296) / 4294967296, 3) * {customers}), 7, '0')),
				'{company}', date_sub(curdate(), interval (seq % 360) day), '10:00:00', 1,
				if(seq % 20 = 0, 1, 0), if(seq % 20 = 0, concat('{p}SI-', seq - 1), null),
				if(seq % 10 = 5, 0, 1), 'No', 'USD', 1, 0, 0, 0, 0, 'Debtors - {abbr}', {common}
			from seq_1_to_{invoices}"""
		)
		sql(
			f"""insert into `tabDelivery Note` (name, customer, company, posting_date, posting_time, docstatus,
				is_return, currency, conversion_rate, base_net_total, net_total, grand_total, base_grand_total,
				per_billed, status, creation, modified, owner, modified_by)
			select concat('{p}DN-', seq), si.customer, si.company, si.posting_date, '09:00:00', 1, 0, 'USD', 1,
				0, 0, 0, 0, 100, 'Completed', {common}
			from seq_1_to_{invoices} s join `tabSales Invoice` si on si.name = concat('{p}SI-', s.seq)
			where s.seq % 10 = 5"""
		)

		def row_name(kind):
			# child rows are named by a random hash in ERPNext, and the ledger finds them by that name:
			# prefixed sequential names would make every index comparison walk the shared prefix
			return f"left(md5(concat('{p}{kind}-', seq)), 16)"

		rows = f"""(select seq, ceil(seq / {ROWS_PER_INVOICE}) as invoice,
				1 + (seq - 1) % {ROWS_PER_INVOICE} as idx,
				if(ceil(seq / {ROWS_PER_INVOICE}) % 20 = 0, -1, 1) * cast(1 + seq % 5 as signed) as q,
				cast(50 + seq % 50 as signed) as r
			from seq_1_to_{invoices * ROWS_PER_INVOICE}) s"""
		sql(
			f"""insert into `tabDelivery Note Item` (name, parent, parenttype, parentfield, idx, item_code,
				item_name, qty, stock_qty, rate, base_net_rate, base_net_amount, net_amount, amount, base_amount,
				warehouse, cost_center, conversion_factor, uom, stock_uom, docstatus, creation, modified, owner,
				modified_by)
			select {row_name("DNI")}, concat('{p}DN-', invoice), 'Delivery Note', 'items', idx,
				concat('{p}ITEM-', 1 + seq % {ITEMS}), 'x', q, q, r, r, q * r, q * r, q * r, q * r,
				'{warehouse}', '{cost_center}', 1, 'Nos', 'Nos', 1, {common}
			from {rows} where invoice % 10 = 5"""
		)
		sql(
			f"""insert into `tabSales Invoice Item` (name, parent, parenttype, parentfield, idx, item_code,
				item_name, qty, stock_qty, rate, base_net_rate, base_net_amount, net_amount, amount, base_amount,
				warehouse, cost_center, conversion_factor, uom, stock_uom, delivery_note, dn_detail, docstatus,
				creation, modified, owner, modified_by)
			select {row_name("SII")}, concat('{p}SI-', invoice), 'Sales Invoice', 'items', idx,
				concat('{p}ITEM-', 1 + seq % {ITEMS}), 'x', q, q, r, r, q * r, q * r, q * r, q * r,
				'{warehouse}', '{cost_center}', 1, 'Nos', 'Nos',
				if(invoice % 10 = 5, concat('{p}DN-', invoice), null),
				if(invoice % 10 = 5, {row_name("DNI")}, null), 1, {common}
			from {rows}"""
		)
		for doctype in ("Sales Invoice", "Delivery Note"):
			short = "SI" if doctype == "Sales Invoice" else "DN"
			sql(
				f"""update `tab{doctype}` d join (
					select parent, sum(base_net_amount) total from `tab{doctype} Item`
					where parent like '{p}{short}-%%' group by parent) t on t.parent = d.name
				set d.base_net_total = t.total, d.net_total = t.total, d.grand_total = t.total,
					d.base_grand_total = t.total"""
			)
		# one ledger entry per delivered row, on the invoice (update stock) or on its delivery note
		for voucher_type, child, where in (
			("Sales Invoice", "Sales Invoice Item", "si.update_stock = 1"),
			("Delivery Note", "Delivery Note Item", "1 = 1"),
		):
			parent_table = "Sales Invoice" if voucher_type == "Sales Invoice" else "Delivery Note"
			sql(
				f"""insert into `tabStock Ledger Entry` (name, item_code, warehouse, voucher_type, voucher_no,
					voucher_detail_no, actual_qty, qty_after_transaction, valuation_rate, stock_value,
					stock_value_difference, company, is_cancelled, posting_date, posting_time, posting_datetime,
					docstatus, creation, modified, owner, modified_by)
				select concat('{p}SLE-', row.name), row.item_code, row.warehouse, '{voucher_type}', row.parent,
					row.name, -row.stock_qty, 1000, 30 + row.idx, 1000000, -row.stock_qty * (30 + row.idx),
					'{company}', 0, si.posting_date, si.posting_time, timestamp(si.posting_date, si.posting_time),
					1, {common}
				from `tab{child}` row join `tab{parent_table}` si on si.name = row.parent
				where row.parent like '{p}%%' and {where}"""
			)
		frappe.db.commit()
		for table in (
			"Customer",
			"Item",
			"Sales Invoice",
			"Sales Invoice Item",
			"Delivery Note",
			"Delivery Note Item",
			"Stock Ledger Entry",
		):
			frappe.db.sql(f"analyze table `tab{table}`")


def ensure_company(company: str, abbr: str) -> None:
	if not frappe.db.exists("Company", company):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": company,
				"abbr": abbr,
				"default_currency": "USD",
				"country": "United States",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
