"""Benchmark: ABC reclassification on synthetic ledgers (not part of the test suite).

Fills a bench site with valid-shaped data by set-based SQL (MariaDB's sequence engine, no document
saves): customers, submitted Sales Invoices with three item rows each, 5% credit notes against
earlier invoices, and one Stock Ledger Entry per row. Then times, side by side in one run:

- the bare SQL aggregation that reads the same rows (the floor any implementation pays),
- reclassification on Net Revenue and on Gross Profit (first run writes every class, reruns none),

prints medians, min/max, Python peak memory, and ratios, and deletes its data again.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites
    ../env/bin/python /path/to/key_account_management/benchmarks/reclassify.py --site kam.test \
        --invoices 100000 --customers 5000 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import frappe

PREFIX = "KAMB-"
COMPANY = "KAM Benchmark Company"
ABBR = "KAMB"
ITEMS = 100


def timed(fn, runs):
	times, peaks, result = [], [], None
	for _ in range(runs):
		tracemalloc.start()
		start = time.perf_counter()
		result = fn()
		times.append(time.perf_counter() - start)
		peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
		tracemalloc.stop()
		frappe.db.rollback()
	return times, max(peaks), result


def ensure_company():
	if not frappe.db.exists("Company", COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": COMPANY,
				"abbr": ABBR,
				"default_currency": "USD",
				"country": "United States",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()


def cleanup():
	for table, column in (
		("Stock Ledger Entry", "name"),
		("Sales Invoice Item", "name"),
		("Sales Invoice", "name"),
		("Key Account Class History", "parent"),
		("Key Account Profile", "name"),
		("Customer", "name"),
		("Item", "name"),
	):
		frappe.db.sql(f"delete from `tab{table}` where `{column}` like %s", PREFIX + "%")
	frappe.db.commit()


def fill(invoices: int, customers: int):
	warehouse = f"Stores - {ABBR}"
	now = frappe.utils.now()
	common = f"'{now}', '{now}', 'Administrator', 'Administrator'"
	sql = frappe.db.sql
	sql(
		f"""insert into `tabItem` (name, item_code, item_name, item_group, stock_uom, is_stock_item,
			creation, modified, owner, modified_by)
		select concat('{PREFIX}ITEM-', seq), concat('{PREFIX}ITEM-', seq), concat('{PREFIX}ITEM-', seq),
			'All Item Groups', 'Nos', 1, {common}
		from seq_1_to_{ITEMS}"""
	)
	sql(
		f"""insert into `tabCustomer` (name, customer_name, customer_type, customer_group, territory,
			creation, modified, owner, modified_by)
		select concat('{PREFIX}C-', lpad(seq, 7, '0')), concat('Benchmark Customer ', seq), 'Company',
			'All Customer Groups', 'All Territories', {common}
		from seq_1_to_{customers}"""
	)
	# a skewed customer pick (cube of a uniform) gives a Pareto-like head; every 20th invoice is a
	# credit note against the invoice before it
	sql(
		f"""insert into `tabSales Invoice` (name, customer, company, posting_date, posting_time, docstatus,
			is_return, return_against, update_stock, is_opening, currency, conversion_rate, base_net_total,
			net_total, grand_total, base_grand_total, debit_to, creation, modified, owner, modified_by)
		select concat('{PREFIX}SI-', seq),
			concat('{PREFIX}C-', lpad(1 + floor(pow(((seq * 2654435761) % 4294967296) / 4294967296, 3) * {customers}), 7, '0')),
			'{COMPANY}', date_sub(curdate(), interval (seq % 360) day), '10:00:00', 1,
			if(seq % 20 = 0, 1, 0), if(seq % 20 = 0, concat('{PREFIX}SI-', seq - 1), null), 1, 'No', 'USD', 1,
			0, 0, 0, 0, 'Debtors - {ABBR}', {common}
		from seq_1_to_{invoices}"""
	)
	sql(
		f"""insert into `tabSales Invoice Item` (name, parent, parenttype, parentfield, idx, item_code,
			item_name, qty, stock_qty, rate, base_net_rate, base_net_amount, net_amount, amount, base_amount,
			warehouse, cost_center, conversion_factor, uom, stock_uom, docstatus, creation, modified, owner, modified_by)
		select concat('{PREFIX}SII-', seq), concat('{PREFIX}SI-', ceil(seq / 3)), 'Sales Invoice', 'items',
			1 + (seq - 1) % 3, concat('{PREFIX}ITEM-', 1 + seq % {ITEMS}), 'x',
			q, q, r, r, q * r, q * r, q * r, q * r, '{warehouse}', 'Main - {ABBR}', 1, 'Nos', 'Nos', 1, {common}
		from (select seq, if(ceil(seq / 3) % 20 = 0, -1, 1) * cast(1 + seq % 5 as signed) as q, cast(50 + seq % 50 as signed) as r
			from seq_1_to_{invoices * 3}) s"""
	)
	sql(
		f"""update `tabSales Invoice` si join (
			select parent, sum(base_net_amount) total from `tabSales Invoice Item`
			where parent like '{PREFIX}SI-%%' group by parent) t on t.parent = si.name
		set si.base_net_total = t.total, si.net_total = t.total, si.grand_total = t.total,
			si.base_grand_total = t.total"""
	)
	sql(
		f"""insert into `tabStock Ledger Entry` (name, item_code, warehouse, voucher_type, voucher_no,
			voucher_detail_no, actual_qty, qty_after_transaction, valuation_rate, stock_value,
			stock_value_difference, company, is_cancelled, posting_date, posting_time, posting_datetime, docstatus,
			creation, modified, owner, modified_by)
		select concat('{PREFIX}SLE-', sii.name), sii.item_code, sii.warehouse, 'Sales Invoice', sii.parent,
			sii.name, -sii.stock_qty, 1000, 30 + sii.idx, 1000000, -sii.stock_qty * (30 + sii.idx), '{COMPANY}', 0,
			curdate(), '10:00:00', now(), 1, {common}
		from `tabSales Invoice Item` sii where sii.parent like '{PREFIX}SI-%%'"""
	)
	frappe.db.commit()
	for table in ("Customer", "Item", "Sales Invoice", "Sales Invoice Item", "Stock Ledger Entry"):
		sql(f"analyze table `tab{table}`")


def bare_aggregation(company, from_date, to_date):
	return frappe.db.sql(
		"""select si.customer, sum(sii.base_net_amount), sum(sle.stock_value_difference)
		from `tabSales Invoice` si
		join `tabSales Invoice Item` sii on sii.parent = si.name
		join `tabItem` item on item.name = sii.item_code
		left join `tabStock Ledger Entry` sle on sle.voucher_detail_no = sii.name and sle.voucher_no = si.name
			and sle.voucher_type = 'Sales Invoice' and sle.is_cancelled = 0
		where si.docstatus = 1 and si.company = %s and si.posting_date between %s and %s
		group by si.customer""",
		(company, from_date, to_date),
	)


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--invoices", type=int, default=100_000)
	parser.add_argument("--customers", type=int, default=5_000)
	parser.add_argument("--runs", type=int, default=3)
	parser.add_argument("--keep", action="store_true", help="keep the data for another look")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from key_account_management.classification.reclassify import reclassify
	from key_account_management.core.periods import trailing_period

	ensure_company()
	cleanup()
	start = time.perf_counter()
	fill(args.invoices, args.customers)
	print(
		f"filled {args.invoices:,} invoices / {args.invoices * 3:,} item rows / {args.customers:,} customers"
		f" in {time.perf_counter() - start:.1f} s"
	)
	from_date, to_date = trailing_period(frappe.utils.getdate(), 12)

	settings = frappe.get_single("Key Account Settings")
	saved = {k: settings.get(k) for k in ("company", "basis")}
	rows = []
	try:
		t, peak, _ = timed(lambda: bare_aggregation(COMPANY, from_date, to_date), args.runs)
		rows.append(("bare SQL aggregation (same rows)", t, peak, None))
		bare = statistics.median(t)
		for basis in ("Net Revenue", "Gross Profit"):
			frappe.db.set_single_value("Key Account Settings", {"company": COMPANY, "basis": basis})
			frappe.db.commit()
			# rolled back after each run, so every run is a first run that writes every class
			t, peak, summary = timed(lambda: reclassify(COMPANY), args.runs)
			rows.append((f"reclassify, {basis}", t, peak, summary))
	finally:
		frappe.db.set_single_value("Key Account Settings", saved)
		frappe.db.commit()
		if not args.keep:
			cleanup()

	print(f"\n{'operation':<36} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MB':>8} {'× bare':>7}")
	for name, t, peak, _summary in rows:
		print(
			f"{name:<36} {statistics.median(t):>9.2f} {min(t):>7.2f} {max(t):>7.2f} {peak:>8.1f}"
			f" {statistics.median(t) / bare:>7.2f}"
		)
	for name, _t, _peak, summary in rows:
		if summary:
			print(
				f"{name}: classified {summary['classified']:,} (A {summary['A']:,}, B {summary['B']:,},"
				f" C {summary['C']:,}), changed {summary['changed']:,}"
			)
	frappe.destroy()


if __name__ == "__main__":
	main()
