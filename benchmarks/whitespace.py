"""Benchmark section ``whitespace``: the Key Account Whitespace report (docs/DOMAIN.md §11).

On the benchmark's ledger and key accounts (made here when there are none, deleted again after):
``--whitespace-groups`` item groups under "All Item Groups" share the ledger's items (and their invoice
rows); the item group rollups are built from the ledger (timed once: what the patch does on a site
that had invoices before the whitespace); one manager is given ``--whitespace-accounts`` accounts, each
with one open opportunity of two items. Then, side by side:

- the report "Key Account Whitespace" through ``frappe.desk.query_report.run`` as that manager (row
  rules applied), against the bare SQL read of the same rollup rows (24 months of the accounts'
  customers, summed by customer and item group);
- the profile's whitespace panel (``whitespace.api.get_account_whitespace``) of the biggest account.

Afterwards the items, invoice rows and profiles are given back what they had, the opportunities and
item groups deleted, and the company's item group rollups rebuilt. Run alone:

    cd ~/frappe-bench/sites
    ../env/bin/python ../apps/key_account_management/benchmarks/whitespace.py --site <site> \
        --whitespace-accounts 2000 --whitespace-groups 50
"""

from __future__ import annotations

import argparse
import time

import frappe
from frappe.utils import now, today

import accounts
import timing
from timing import Row, timed_untraced

PREFIX = "KAMB-"
COMPANY = "KAM Benchmark Company"
SECTION = "whitespace"
# issue 28: a manager of 2,000 accounts × 50 item groups
TARGETS = {"report": "≤ 1 s"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
	parser.add_argument("--whitespace-accounts", type=int, default=2_000, help="accounts of one manager")
	parser.add_argument("--whitespace-groups", type=int, default=50, help="item groups the items share")
	parser.add_argument(
		"--whitespace-profile", action="store_true", help="print where one report run spends its time"
	)
	from jobs_and_dashboards import add_arguments as add_account_arguments

	try:
		add_account_arguments(parser)
	except argparse.ArgumentError:
		pass  # added by the jobs or plan section


def run(args, prefix: str = PREFIX, company: str = COMPANY, customers: int | None = None) -> list[Row]:
	own = not accounts.exists(prefix)
	saved: dict = {}
	try:
		if own:
			start = time.perf_counter()
			accounts.fill(prefix, company, f"{prefix}C-", args.visits, args.hospitality)
			print(f"filled the key accounts in {time.perf_counter() - start:.0f} s", flush=True)
		fill(prefix, company, args.whitespace_accounts, args.whitespace_groups, saved)
		rows = measure(args, prefix, company, saved)
		# the clean-up below takes as long as the fill: the figures are out before it starts
		timing.print_table(rows)
		print("(whitespace: cleaning up)", flush=True)
		return rows
	finally:
		frappe.set_user("Administrator")
		cleanup(prefix, company, saved)
		if own and not getattr(args, "keep", False):
			accounts.cleanup(prefix)


def group_name(prefix: str, n: int) -> str:
	return f"{prefix}IG-{n:03d}"


def fill(prefix: str, company: str, count: int, groups: int, saved: dict) -> None:
	"""Fills ``saved`` as it goes with what the clean-up puts back, so that a fill failing half-way is
	undone too (the profiles' managers first of all)."""
	from key_account_management.whitespace import rollup

	# what an earlier run stopped before its clean-up left
	frappe.db.sql("delete from `tabOpportunity Item` where parent like %s", prefix + "WSO-%")
	frappe.db.sql("delete from `tabOpportunity` where name like %s", prefix + "WSO-%")

	for n in range(1, groups + 1):
		if not frappe.db.exists("Item Group", group_name(prefix, n)):
			frappe.get_doc(
				{
					"doctype": "Item Group",
					"item_group_name": group_name(prefix, n),
					"parent_item_group": "All Item Groups",
				}
			).insert(ignore_permissions=True)
	pick = f"concat('{prefix}IG-', lpad(1 + mod(crc32({{column}}), {groups}), 3, '0'))"
	frappe.db.sql(
		f"update `tabItem` set item_group = {pick.format(column='name')} where name like %s",
		prefix + "ITEM-%",
	)
	frappe.db.sql(
		f"""update `tabSales Invoice Item` set item_group = {pick.format(column="item_code")}
		where item_code like %s""",
		prefix + "ITEM-%",
	)
	frappe.db.commit()
	# a first build, as the patch makes it on a site that had invoices before the whitespace
	frappe.db.sql(f"delete from {rollup.TABLE} where company = %s", company)
	frappe.db.commit()
	start = time.perf_counter()
	rollup.build(company)
	frappe.db.commit()
	built = frappe.db.count(rollup.DOCTYPE, {"company": company})
	print(f"built the item group rollups ({built:,} rows) in {time.perf_counter() - start:.1f} s", flush=True)
	frappe.db.sql(f"analyze table {rollup.TABLE}")

	manager = accounts.user(prefix, "am", 1)
	profiles = frappe.db.sql(
		"""select name, customer, customer_name, account_manager from `tabKey Account Profile`
		where account_manager like %s order by name limit %s""",
		(prefix + "%", count),
		as_dict=True,
	)
	saved.update(managers={p.name: p.account_manager for p in profiles}, manager=manager)
	frappe.db.sql(
		"update `tabKey Account Profile` set account_manager = %s, company = %s where name in %s",
		(manager, company, tuple(saved["managers"]) or ("",)),
	)
	stamp, day = now(), today()
	common = {"creation": stamp, "modified": stamp, "owner": "Administrator", "modified_by": "Administrator"}
	items = frappe.db.sql_list(
		"select name from `tabItem` where name like %s order by name", prefix + "ITEM-%"
	)
	opportunities, rows = [], []
	for n, profile in enumerate(profiles, 1):
		name = f"{prefix}WSO-{n:06d}"
		picked = [items[(n * 7) % len(items)], items[(n * 13 + 1) % len(items)]] if items else []
		opportunities.append(
			{
				**common,
				"name": name,
				"docstatus": 0,
				"opportunity_from": "Customer",
				"party_name": profile.customer,
				"customer_name": profile.customer_name,
				"title": profile.customer_name,
				"opportunity_type": "Sales",
				"status": "Open",
				"transaction_date": day,
				"currency": "USD",
				"conversion_rate": 1,
				"opportunity_amount": 1000 * len(picked),
				"base_opportunity_amount": 1000 * len(picked),
				"company": company,
				"kam_key_account": profile.name,
			}
		)
		for idx, item in enumerate(picked, 1):
			rows.append(
				{
					**common,
					"name": f"{name}-{idx}",
					"parent": name,
					"parenttype": "Opportunity",
					"parentfield": "items",
					"idx": idx,
					"item_code": item,
					"item_group": frappe.db.get_value("Item", item, "item_group"),
					"qty": 1,
					"rate": 1000,
					"amount": 1000,
					"base_rate": 1000,
					"base_amount": 1000,
				}
			)
	from account_plans import insert_dicts

	insert_dicts("Opportunity", opportunities)
	insert_dicts("Opportunity Item", rows)
	frappe.db.commit()
	saved["profiles"] = profiles


def measure(args, prefix: str, company: str, saved: dict) -> list[Row]:
	from frappe.desk.query_report import run as run_report

	from key_account_management.core.whitespace import windows
	from key_account_management.reports import list_profiles
	from key_account_management.whitespace.api import get_account_whitespace

	runs = max(args.runs, 1)
	frappe.set_user(saved["manager"])
	# the customers of every account the manager sees (their own and those whose team they are on)
	seen = list_profiles({}, ["name", "customer"])
	customers = tuple(p.customer for p in seen if p.customer) or ("",)
	before_start, _recent, end = windows(frappe.utils.getdate(today()))

	def bare():
		return len(
			frappe.db.sql(
				"""select customer, item_group, sum(net_revenue) from `tabKey Account Item Group Rollup`
				where company = %s and customer in %s and month between %s and %s
				group by customer, item_group""",
				(company, customers, before_start, end),
			)
		)

	frappe.set_user(saved["manager"])
	if getattr(args, "whitespace_profile", False):
		profile_report(company)
	times, peak, cells = timed_untraced(bare, runs)
	base = Row(
		SECTION,
		"bare SQL read of the rollup rows",
		times,
		peak,
		note=f"{len(seen):,} accounts, {cells:,} customer × group",
	)
	report = lambda: run_report("Key Account Whitespace", filters={"company": company})  # noqa: E731
	times, peak, result = timed_untraced(report, runs)
	shown = len(result.get("result") or [])
	columns = len(result.get("columns") or [])
	rows = [
		base,
		Row(
			SECTION,
			"Key Account Whitespace, manager",
			times,
			peak,
			("bare SQL", base.median),
			TARGETS["report"],
			f"{shown:,} accounts × {columns:,} columns",
		),
	]
	biggest = saved["profiles"][0].name if saved["profiles"] else None
	if biggest:
		panel = lambda: get_account_whitespace(biggest)  # noqa: E731
		times, peak, _value = timed_untraced(panel, runs)
		rows.append(Row(SECTION, "profile whitespace panel, manager", times, peak, note=biggest))
	frappe.set_user("Administrator")
	return rows


def profile_report(company: str) -> None:
	import cProfile
	import pstats

	from frappe.desk.query_report import run as run_report

	profiler = cProfile.Profile()
	profiler.enable()
	run_report("Key Account Whitespace", filters={"company": company})
	profiler.disable()
	frappe.db.rollback()
	pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def cleanup(prefix: str, company: str, saved: dict) -> None:
	from key_account_management.whitespace import rollup

	for name, manager in (saved.get("managers") or {}).items():
		frappe.db.set_value("Key Account Profile", name, "account_manager", manager, update_modified=False)
	frappe.db.sql("delete from `tabOpportunity Item` where parent like %s", prefix + "WSO-%")
	frappe.db.sql("delete from `tabOpportunity` where name like %s", prefix + "WSO-%")
	changed = frappe.db.sql("select count(*) from `tabItem` where item_group like %s", prefix + "IG-%")[0][0]
	frappe.db.sql(
		"update `tabItem` set item_group = 'All Item Groups' where item_group like %s", prefix + "IG-%"
	)
	frappe.db.sql(
		"update `tabSales Invoice Item` set item_group = 'All Item Groups' where item_group like %s",
		prefix + "IG-%",
	)
	frappe.db.commit()
	if changed:
		frappe.db.sql(f"delete from {rollup.TABLE} where company = %s", company)
		rollup.build(company)
	for name in frappe.get_all("Item Group", {"name": ("like", prefix + "IG-%")}, pluck="name"):
		frappe.delete_doc("Item Group", name, ignore_permissions=True, force=True)
	frappe.db.commit()


if __name__ == "__main__":
	timing.standalone(run, add_arguments)
