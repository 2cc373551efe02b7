"""Benchmarks of the app's heavy operations at scale (not part of the test suite).

One command fills a bench site with synthetic but valid-shaped data by bulk SQL, times every heavy
operation several times side by side, prints medians, peak memory and ratios, and deletes its data:

    cd ~/frappe-bench/sites
    ../env/bin/python ../apps/key_account_management/benchmarks/run.py --site <site>

Sections (``--only`` picks some): ``abc`` (reclassification at a tenth of the data and at full size,
against the bare SQL read of the same rows), ``jobs`` (daily stage/health and cadence jobs, number
cards and charts), ``plan`` (``--plans`` account plans of five measures on those key accounts: the
refresh of every active plan's actuals against the bare SQL reads of the same rows, "Account Plan
Progress" as a Key Account Director against the bare read of its measures, one plan's PDF against its
HTML), ``report`` (ERPNext's Gross Profit report against the app's gross profit, same totals),
``submit`` (Sales Invoice submit with and without the app's hooks), ``whitespace`` (the Key Account
Whitespace report of one manager's ``--whitespace-accounts`` accounts × ``--whitespace-groups`` item
groups against the bare read of the rollup rows), ``groups`` (the reclassification with "Classify Groups
as One Customer" off and on, on the key accounts a ``--keep`` run left). ``jobs``, ``plan`` and
``whitespace`` share one fill of the key accounts.
"""

from __future__ import annotations

import argparse
import time

import frappe

import accounts
import timing
from ledger import Ledger, ensure_company

PREFIX = "KAMB-"
COMPANY = "KAM Benchmark Company"
ABBR = "KAMB"
# the tenth-size ledger lives in a company of its own, next to the full one
TENTH = ("KAMT-", "KAM Benchmark Tenth", "KAMT")
SECTIONS = ("abc", "jobs", "plan", "whitespace", "commercial", "groups", "report", "submit")


def main():
	# sections share the key accounts' options (--visits, --hospitality): the last to add one keeps it
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawTextHelpFormatter, conflict_handler="resolve"
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--invoices", type=int, default=1_000_000)
	parser.add_argument("--customers", type=int, default=50_000)
	parser.add_argument("--runs", type=int, default=3)
	parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated: " + ", ".join(SECTIONS))
	parser.add_argument("--no-scale-check", action="store_true", help="skip the run at a tenth of the data")
	parser.add_argument("--keep", action="store_true", help="keep the full-size data for another look")
	parser.add_argument("--reuse", action="store_true", help="time the full-size data a --keep run left")
	known, _rest = parser.parse_known_args()
	only = set(known.only.split(","))
	sections = load_sections(sorted(only))
	for module in sections.values():
		if hasattr(module, "add_arguments"):
			module.add_arguments(parser)
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	# a fresh site has never run ERPNext's setup wizard: no presets, no company can be made
	from key_account_management.demo.records import ensure_erpnext_setup

	ensure_erpnext_setup(COMPANY, ABBR, "USD", "United States", "America/New_York")
	ensure_company(COMPANY, ABBR)
	ensure_company(TENTH[1], TENTH[2])
	ledger, tenth = Ledger(PREFIX, COMPANY, ABBR), Ledger(*TENTH)
	tenth.cleanup()
	if not args.reuse:
		ledger.cleanup()
	rows: list[timing.Row] = []
	try:
		if "abc" in only and not args.no_scale_check:
			fill(tenth, args.invoices // 10, args.customers // 10)
			rows += sections["abc"].run(args, tenth.company, "tenth")
			tenth.cleanup()
		if only & {"abc", "jobs", "plan", "whitespace", "commercial"}:
			if not args.reuse:
				fill(ledger, args.invoices, args.customers)
			if "abc" in only:
				rows += sections["abc"].run(args, COMPANY, "full")
			rows += run_on_key_accounts(args, sections, only)
		if "groups" in only:
			rows += sections["groups"].run(args)
		if not args.keep:
			ledger.cleanup()
		if "report" in only:
			rows += sections["report"].run(args)
		if "submit" in only:
			rows += sections["submit"].run(args)
	except BaseException:
		tenth.cleanup()
		if not args.keep:
			ledger.cleanup()
		raise
	finally:
		timing.print_table(rows)
		print_checks(rows)
		print(f"\nprocess peak RSS {timing.process_peak_mb():.0f} MB")
		frappe.destroy()


def fill(ledger: Ledger, invoices: int, customers: int) -> None:
	start = time.perf_counter()
	ledger.fill(invoices, customers)
	print(
		f"filled {invoices:,} invoices / {invoices * 3:,} item rows / {customers:,} customers"
		f" in {time.perf_counter() - start:.0f} s",
		flush=True,
	)
	start = time.perf_counter()
	summary = ledger.build_rollups()
	print(
		f"built the monthly rollups ({summary['rows_corrected']:,} rows) in {time.perf_counter() - start:.0f} s",
		flush=True,
	)


def run_on_key_accounts(args, sections: dict, only: set[str]) -> list[timing.Row]:
	"""The ``jobs``, ``plan`` and ``whitespace`` sections; when more than one runs, on one fill of the key accounts (each section
	fills and deletes its own when it finds none)."""
	shared = len({"jobs", "plan", "whitespace", "commercial"} & only) > 1 and not accounts.exists(PREFIX)
	rows: list[timing.Row] = []
	try:
		if shared:
			start = time.perf_counter()
			accounts.fill(PREFIX, COMPANY, f"{PREFIX}C-", args.visits, args.hospitality)
			print(f"filled the key accounts in {time.perf_counter() - start:.0f} s", flush=True)
		for section in ("jobs", "plan", "whitespace", "commercial"):
			if section in only:
				rows += sections[section].run(args)
	finally:
		if shared and not args.keep:
			accounts.cleanup(PREFIX)
	return rows


def print_checks(rows: list[timing.Row]) -> None:
	by_name = {(row.section, row.operation): row for row in rows}
	for basis in ("Net Revenue", "Gross Profit"):
		for operation, target in (
			(f"reclassify, {basis}, rollups", "≤ 2×"),
			(f"reclassify, {basis}, ledger (before)", "was ≤ 11×"),
		):
			small = by_name.get(("ABC tenth", operation))
			full = by_name.get(("ABC full", operation))
			if small and full:
				print(
					f"10× the data, {operation}: {full.median / small.median:.1f}× the time (target {target})"
				)


def load_sections(only=SECTIONS):
	import importlib

	modules = {
		"abc": "abc_reclassification",
		"jobs": "jobs_and_dashboards",
		"plan": "account_plans",
		"whitespace": "whitespace",
		"commercial": "commercial",
		"groups": "groups",
		"report": "erpnext_report",
		"submit": "submit_overhead",
	}
	return {section: importlib.import_module(modules[section]) for section in only}


if __name__ == "__main__":
	main()
