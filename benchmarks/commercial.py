"""Benchmark section ``commercial``: the profile's commercial panel (docs/DOMAIN.md §12).

On the benchmark's ledger and key accounts (made here when there are none, deleted again after): the
ledger's invoices get what the panel reads and a bulk fill does not write — a due date 30 days after
posting and a Payment Ledger Entry each (a credit note against the invoice it returns), a payment for
every third invoice — and the biggest key account three open Sales Orders. Then, side by side:

- the panel (``commercial.api.get_commercial_position``) of the biggest account (most invoices) as its
  account manager (row rules applied), against the bare SQL reads of the same rows (the customer's
  Payment Ledger Entries summed by invoice, its open Sales Orders, its twelve monthly rollups), once
  InnoDB has written out what the fill left in memory (``timing.settle_writes``).

Afterwards the Payment Ledger Entries and Sales Orders are deleted and the due dates cleared. Run alone:

    cd ~/frappe-bench/sites
    ../env/bin/python ../apps/key_account_management/benchmarks/commercial.py --site <site>
"""

from __future__ import annotations

import argparse
import time

import frappe
from frappe.utils import add_months, getdate, now, today

import accounts
import timing
from timing import Row, timed_untraced

PREFIX = "KAMB-"
COMPANY = "KAM Benchmark Company"
SECTION = "commercial"
# issue 28: at a million invoices / 50,000 customers
TARGETS = {"panel": "≤ 200 ms"}
ORDERS = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
	from jobs_and_dashboards import add_arguments as add_account_arguments

	try:
		add_account_arguments(parser)
	except argparse.ArgumentError:
		pass  # added by another section


def run(args, prefix: str = PREFIX, company: str = COMPANY, customers: int | None = None) -> list[Row]:
	own = not accounts.exists(prefix)
	try:
		if own:
			start = time.perf_counter()
			accounts.fill(prefix, company, f"{prefix}C-", args.visits, args.hospitality)
			print(f"filled the key accounts in {time.perf_counter() - start:.0f} s", flush=True)
		account = fill(prefix, company)
		return measure(args, company, account) if account else []
	finally:
		frappe.set_user("Administrator")
		cleanup(prefix, company)
		if own and not getattr(args, "keep", False):
			accounts.cleanup(prefix)


def fill(prefix: str, company: str) -> frappe._dict | None:
	cleanup(prefix, company)
	start = time.perf_counter()
	stamp = now()
	common = f"'{stamp}', '{stamp}', 'Administrator', 'Administrator'"
	frappe.db.sql(
		"""update `tabSales Invoice` set due_date = date_add(posting_date, interval 30 day)
		where company = %s and name like %s""",
		(company, prefix + "SI-%"),
	)
	for kind, amount, against, where in (
		("I", "si.base_grand_total", "ifnull(si.return_against, si.name)", "1 = 1"),
		("P", "-si.base_grand_total", "si.name", "si.is_return = 0 and mod(crc32(si.name), 3) = 0"),
	):
		frappe.db.sql(
			f"""insert into `tabPayment Ledger Entry` (name, posting_date, company, account_type, account,
				party_type, party, due_date, voucher_type, voucher_no, against_voucher_type, against_voucher_no,
				amount, account_currency, amount_in_account_currency, delinked, docstatus,
				creation, modified, owner, modified_by)
			select concat(%(prefix)s, 'PLE{kind}-', si.name), si.posting_date, si.company, 'Receivable',
				si.debit_to, 'Customer', si.customer, si.due_date, 'Sales Invoice', si.name, 'Sales Invoice',
				{against}, {amount}, 'USD', {amount}, 0, 1, {common}
			from `tabSales Invoice` si
			where si.company = %(company)s and si.name like %(invoices)s and {where}""",
			{"prefix": prefix, "company": company, "invoices": prefix + "SI-%"},
		)
	frappe.db.commit()
	account = frappe.db.sql(
		"""select kap.name, kap.customer, kap.account_manager from `tabKey Account Profile` kap
		join `tabSales Invoice` si on si.customer = kap.customer
		where kap.account_manager like %s and si.company = %s
		group by kap.name order by count(*) desc limit 1""",
		(prefix + "%", company),
		as_dict=True,
	)
	if not account:
		return None
	account = account[0]
	frappe.db.set_value("Key Account Profile", account.name, "company", company, update_modified=False)
	item = frappe.db.get_value("Item", {"name": ("like", prefix + "ITEM-%")})
	for n in range(1, ORDERS + 1):
		name = f"{prefix}COMSO-{n}"
		frappe.db.sql(
			f"""insert into `tabSales Order` (name, customer, company, transaction_date, delivery_date,
				docstatus, status, currency, conversion_rate, base_grand_total, grand_total, per_delivered,
				per_billed, creation, modified, owner, modified_by)
			values (%s, %s, %s, %s, %s, 1, 'To Deliver and Bill', 'USD', 1, 1000, 1000, 0, 0, {common})""",
			(name, account.customer, company, today(), today()),
		)
		frappe.db.sql(
			f"""insert into `tabSales Order Item` (name, parent, parenttype, parentfield, idx, item_code, qty,
				delivered_qty, base_net_rate, base_net_amount, billed_amt, docstatus,
				creation, modified, owner, modified_by)
			values (%s, %s, 'Sales Order', 'items', 1, %s, 10, 0, 100, 1000, 0, 1, {common})""",
			(f"{name}-1", name, item),
		)
	frappe.db.commit()
	frappe.db.sql("analyze table `tabPayment Ledger Entry`")
	print(f"filled the receivables in {time.perf_counter() - start:.0f} s", flush=True)
	print(f"waited {timing.settle_writes():.0f} s for the fill's writes to reach the disk", flush=True)
	return account


def measure(args, company: str, account) -> list[Row]:
	from key_account_management.commercial.api import get_commercial_position
	from key_account_management.db_indexes import index_hint

	runs = max(args.runs, 1)
	customers = (account.customer,)
	end = getdate(today())
	start = add_months(end.replace(day=1), -11)

	def bare():
		# the same index the panel reads (added by the app), without the due dates and payment terms
		open_invoices = frappe.db.sql(
			f"""select against_voucher_no, sum(amount) from `tabPayment Ledger Entry`
			{index_hint("Payment Ledger Entry", "kam_party_invoices")}
			where company = %s and party_type = 'Customer' and party in %s and delinked = 0
				and against_voucher_type = 'Sales Invoice'
			group by against_voucher_no having sum(amount) > 0""",
			(company, customers),
		)
		orders = frappe.db.sql(
			"""select name from `tabSales Order` where company = %s and customer in %s and docstatus = 1
			and status not in ('Closed', 'Completed') and (per_delivered < 100 or per_billed < 100)""",
			(company, customers),
		)
		months = frappe.db.sql(
			"""select month, sum(net_revenue), sum(gross_profit) from `tabKey Account Monthly Rollup`
			where company = %s and customer in %s and month between %s and %s group by month""",
			(company, customers, start, end),
		)
		return len(open_invoices), len(orders), len(months)

	frappe.set_user(account.account_manager)
	times, peak, counts = timed_untraced(bare, runs)
	base = Row(
		SECTION,
		"bare SQL reads of the panel's rows",
		times,
		peak,
		note=f"{counts[0]:,} open invoices, {counts[1]} orders, {counts[2]} months",
	)
	times, peak, result = timed_untraced(lambda: get_commercial_position(account.name), runs)
	row = Row(
		SECTION,
		"profile commercial panel, manager",
		times,
		peak,
		("bare SQL", base.median),
		TARGETS["panel"],
		f"{account.name}: {result.get('overdue_count', 0):,} invoices overdue",
	)
	frappe.set_user("Administrator")
	return [base, row]


def cleanup(prefix: str, company: str) -> None:
	frappe.db.sql("delete from `tabPayment Ledger Entry` where name like %s", prefix + "PLE%")
	orders = frappe.db.sql_list("select name from `tabSales Order` where name like %s", prefix + "COMSO-%")
	if orders:
		frappe.db.sql("delete from `tabSales Order Item` where parent in %s", (tuple(orders),))
		frappe.db.sql("delete from `tabSales Order` where name in %s", (tuple(orders),))
	frappe.db.sql(
		"update `tabSales Invoice` set due_date = null where company = %s and name like %s",
		(company, prefix + "SI-%"),
	)
	frappe.db.commit()


if __name__ == "__main__":
	timing.standalone(run, add_arguments)
