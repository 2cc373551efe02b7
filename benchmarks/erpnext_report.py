"""Benchmark section: the app's gross profit per customer against ERPNext's own Gross Profit report.

Target (issue "Performance at scale"): at least 20× faster than the report grouped by Customer on the
same data, with equal per-customer totals. The section fills its own synthetic ledger (prefix KAMR-,
``ledger.Ledger``), times the report's ``execute`` and the app's ``get_gross_profit`` with
``include_linked_returns=False`` (the report leaves out credit notes made against an invoice when it
groups by customer), compares every customer's gross profit and deletes its data again.

Both are timed without tracemalloc: the report is a Python loop over every invoice row, and tracing
its allocations would slow it down far more than the app's SQL and flatter the ratio. Only the app's
peak is traced, in one extra run.

Run on its own, from the bench's sites folder:

    ../env/bin/python ../apps/key_account_management/benchmarks/erpnext_report.py --site <site> --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import time

import frappe
from frappe.utils import flt

import timing
from ledger import Ledger, ensure_company
from timing import Row, timed_untraced

SECTION = "erpnext report"
PREFIX = "KAMR-"
COMPANY = "KAM Benchmark Company"
ABBR = "KAMB"
TARGET = 20
TOLERANCE = 0.01
# an opening receipt per item, large enough that no sale empties the stock
OPENING_QTY = 1_000_000
OPENING_RATE = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
	group = parser.add_argument_group("erpnext_report")
	group.add_argument("--report-invoices", type=int, default=50_000)
	group.add_argument("--report-customers", type=int, default=2_500)
	group.add_argument(
		"--report-erpnext-runs",
		type=int,
		default=1,
		# about 150 s on 50,000 invoices, 50 times the app: one run cannot turn the verdict
		help="runs of ERPNext's report (a Python loop per invoice row, minutes); the app gets --runs",
	)
	group.add_argument("--report-keep", action="store_true", help="keep the KAMR- data for another look")


def run(args) -> list[Row]:
	from erpnext.accounts.report.gross_profit.gross_profit import execute

	from key_account_management.classification.basis import get_gross_profit
	from key_account_management.core.periods import trailing_period

	runs = max(1, getattr(args, "runs", 3))
	erpnext_runs = max(1, args.report_erpnext_runs)
	ensure_company(COMPANY, ABBR)
	others = frappe.db.sql(
		"select count(*) from `tabSales Invoice` where company = %s and name not like %s",
		(COMPANY, PREFIX + "%"),
	)[0][0]
	if others > args.report_invoices:
		# both sides read the whole company; the report's per-row loop over another section's kept
		# million invoices would run for hours and the figures would not be about this data set
		print(
			f"{SECTION}: SKIPPED, {COMPANY} holds {others:,} other invoices (more than the"
			f" {args.report_invoices:,} of this section; left by --keep?)",
			flush=True,
		)
		return []
	ledger = Ledger(PREFIX, COMPANY, ABBR)
	ledger.cleanup()
	try:
		start = time.perf_counter()
		ledger.fill(args.report_invoices, args.report_customers)
		make_stock_ledger_consistent(PREFIX, COMPANY)
		print(
			f"{SECTION}: filled {args.report_invoices:,} invoices / {args.report_customers:,} customers"
			f" in {time.perf_counter() - start:.1f} s",
			flush=True,
		)
		from_date, to_date = trailing_period(frappe.utils.getdate(), 12)

		def report():
			filters = frappe._dict(company=COMPANY, from_date=from_date, to_date=to_date, group_by="Customer")
			return report_by_customer(*execute(filters)[:2])

		def app():
			return get_gross_profit(COMPANY, from_date, to_date, include_linked_returns=False)

		# one untimed app run brings the tables into the buffer pool for both
		app()
		report_times, _peak, report_values = timed_untraced(report, erpnext_runs, trace_peak=False)
		app_times, app_peak, app_values = timed_untraced(app, runs)

		compared, max_diff, differing, one_sided = compare(report_values, app_values, PREFIX)
		report_median = statistics.median(report_times)
		app_median = statistics.median(app_times)
		ratio = report_median / app_median if app_median else float("inf")
		print(
			f"{SECTION}: ERPNext report {report_median:.2f} s, app {app_median:.3f} s, {ratio:.1f}× faster;"
			f" {compared:,} customers compared, max |difference| {max_diff:.6f}"
			+ (f"; TOTALS DIFFER for {len(differing):,} customers" if differing else ""),
			flush=True,
		)
		totals = (
			f"{compared:,} customers equal within {TOLERANCE} (max |diff| {max_diff:.4f})"
			if not differing
			else f"TOTALS DIFFER: {len(differing):,} of {compared:,} customers, max |diff| {max_diff:.2f},"
			f" e.g. {differing[:3]}"
		)
		if one_sided:
			totals += f"; {one_sided:,} customers only on one side"
		foreign = len({c for c in report_values if not c.startswith(PREFIX)})
		if foreign:
			# left in the same company by other runs; compared neither way, only timed with the rest
			totals += f"; {foreign:,} non-{PREFIX} customers of the company not compared"
		return [
			Row(
				SECTION,
				"ERPNext Gross Profit report, by customer",
				report_times,
				note=f"{erpnext_runs} run(s); peak not traced",
			),
			Row(
				SECTION,
				"app get_gross_profit (linked returns left out)",
				app_times,
				peak_mb=app_peak,
				versus=("ERPNext report", report_median),
				target=f"≥ {TARGET}× faster",
				note=f"{ratio:.1f}× faster{'' if ratio >= TARGET else ' (TARGET MISSED)'}; {totals}",
			),
		]
	finally:
		frappe.db.rollback()
		if not getattr(args, "report_keep", False):
			ledger.cleanup()


def report_by_customer(columns, data) -> dict[str, float]:
	"""The report's per-customer gross profit. ``execute`` returns list rows in column order and no
	total row (the desk adds that); a row without a customer would be one anyway, so it is skipped."""
	index = {column["fieldname"]: i for i, column in enumerate(columns)}
	values: dict[str, float] = {}
	for row in data:
		customer = row[index["customer"]]
		if customer:
			values[customer] = values.get(customer, 0.0) + flt(row[index["gross_profit"]])
	return values


def compare(report: dict[str, float], app: dict[str, float], prefix: str):
	"""Every customer of this data set on either side; a customer missing on one side counts as 0."""
	customers = {c for c in (*report, *app) if c.startswith(prefix)}
	one_sided = sum(1 for c in customers if (c in report) != (c in app))
	differences = {c: abs(report.get(c, 0.0) - app.get(c, 0.0)) for c in customers}
	differing = sorted(
		(
			(c, round(report.get(c, 0.0), 3), round(app.get(c, 0.0), 3))
			for c, d in differences.items()
			if d > TOLERANCE
		),
		key=lambda item: -abs(item[1] - item[2]),
	)
	return len(customers), max(differences.values(), default=0.0), differing, one_sided


def make_stock_ledger_consistent(prefix: str, company: str) -> None:
	"""Turns the filled entries into a ledger ERPNext itself could have written.

	The report prices a row from the stock value of the *previous* entry of the item and warehouse
	(ordered by posting_datetime, creation), the app from the row's own stock_value minus its
	stock_value_difference; on a real ledger the two are the same number. ``Ledger.fill`` writes one
	constant stock_value and one creation time on every entry, so the report would see no change of
	stock value (buying amount 0 on nearly every row) and an arbitrary order among the entries of the
	same posting time. Hence: an opening receipt per item and warehouse before the period, distinct
	creation times in posting order, and stock_value / qty_after_transaction as running sums. On a
	ledger that is consistent already this changes nothing but the creation times."""
	sql = frappe.db.sql
	like = prefix + "%"
	now = frappe.utils.now()
	sql(
		f"""insert into `tabStock Ledger Entry` (name, item_code, warehouse, voucher_type, voucher_no,
			voucher_detail_no, actual_qty, qty_after_transaction, incoming_rate, valuation_rate, stock_value,
			stock_value_difference, company, is_cancelled, posting_date, posting_time, posting_datetime,
			docstatus, creation, modified, owner, modified_by)
		select concat(%(prefix)s, 'SLE-OPEN-', p.item_code, '-', p.warehouse), p.item_code, p.warehouse,
			'Stock Entry', concat(%(prefix)s, 'STE-OPEN'), concat(%(prefix)s, 'STE-OPEN-', p.item_code),
			{OPENING_QTY}, 0, {OPENING_RATE}, {OPENING_RATE}, 0, {OPENING_QTY * OPENING_RATE}, %(company)s, 0,
			date_sub(curdate(), interval 400 day), '08:00:00',
			timestamp(date_sub(curdate(), interval 400 day), '08:00:00'), 1,
			%(now)s, %(now)s, 'Administrator', 'Administrator'
		from (select distinct item_code, warehouse from `tabStock Ledger Entry` where name like %(like)s) p""",
		{"prefix": prefix, "company": company, "now": now, "like": like},
	)
	sql(
		"""update `tabStock Ledger Entry` sle join (
			select name, row_number() over (order by posting_datetime, name) as n
			from `tabStock Ledger Entry` where name like %(like)s) o on o.name = sle.name
		set sle.creation = timestamp(%(now)s) + interval o.n microsecond""",
		{"like": like, "now": now},
	)
	sql(
		"""update `tabStock Ledger Entry` sle join (
			select name,
				sum(stock_value_difference) over w as stock_value,
				sum(actual_qty) over w as qty
			from `tabStock Ledger Entry` where name like %(like)s
			window w as (partition by item_code, warehouse order by posting_datetime, creation
				rows between unbounded preceding and current row)) r on r.name = sle.name
		set sle.stock_value = r.stock_value, sle.qty_after_transaction = r.qty,
			sle.valuation_rate = if(r.qty, r.stock_value / r.qty, 0)""",
		{"like": like},
	)
	frappe.db.commit()
	sql("analyze table `tabStock Ledger Entry`")


if __name__ == "__main__":
	timing.standalone(run, add_arguments)
