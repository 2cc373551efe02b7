"""Benchmark: the daily key-account jobs and the Key Accounts workspace (not part of the test suite).

Times, on the key accounts ``accounts.fill`` made (on top of the ledger's customers and invoices):

- the daily_long jobs: the relationship evaluation (stage, status, health of every profile) and the
  visit job (cadence, overdue visits and follow-ups), each rolled back after every run so that
  every run is the same next-day run;
- every number card and dashboard chart of the "Key Accounts" workspace, called the way the desk
  calls them (the card's filters with its dynamic filters evaluated, the chart refreshed), as
  Administrator and as a Key Account Manager, whose row-level access applies to them.

Run alone with the bench's Python from the bench's sites folder: fills (ledger and key accounts),
times, prints and deletes its data again. At full size fill and time separately, each well under ten
minutes (``--reuse`` deletes the data after timing unless ``--keep``):

    cd ~/frappe-bench/sites
    ../env/bin/python ../apps/key_account_management/benchmarks/jobs_and_dashboards.py --site <site> \
        --profiles 5000 --visits 50000 --hospitality 2000 --invoices 100000 --runs 3
    ../env/bin/python ../apps/key_account_management/benchmarks/jobs_and_dashboards.py --site <site> \
        --profiles 50000 --visits 500000 --hospitality 20000 --invoices 300000 --fill-only
    ../env/bin/python ../apps/key_account_management/benchmarks/jobs_and_dashboards.py --site <site> \
        --reuse --runs 3

Time right after a fill only once the other connections' write transactions that were open during
the fill have ended: until then InnoDB cannot trust the freshly written index pages and checks every
entry an index-only read touches against the table, which makes the cards look several times slower
than they are on data at rest.
"""

from __future__ import annotations

import argparse
import json
import time

import frappe
from frappe.utils import today

import accounts
import timing
from timing import Row, timed_untraced

PREFIX = "KAMB-"
COMPANY = "KAM Benchmark Company"
ABBR = "KAMB"
WORKSPACE = "Key Accounts"
# issue 19: the relationship job sums the monthly rollups; every card ≤ 100 ms
JOB_TARGETS = {"relationship: evaluate_all_profiles": "≤ 10 s", "visits: notify_overdue_visits": "≤ 30 s"}
CARD_TARGET = "≤ 100 ms"


def add_arguments(parser: argparse.ArgumentParser) -> None:
	parser.add_argument("--visits", type=int, default=500_000, help="submitted visit records")
	parser.add_argument("--hospitality", type=int, default=20_000, help="hospitality requests")


def run(args, prefix: str = PREFIX, company: str = COMPANY, customers: int | None = None) -> list[Row]:
	"""Times the jobs, cards and charts on the key accounts of ``prefix`` in ``company``.

	When there are none yet (the runner filled only the ledger), they are made here for the
	ledger's customers (one profile each) and deleted again afterwards."""
	own = not accounts.exists(prefix)
	if own:
		start = time.perf_counter()
		accounts.fill(prefix, company, f"{prefix}C-", args.visits, args.hospitality)
		print(
			f"filled {f'{customers:,}' if customers else 'the ledger'} key accounts, {args.visits:,} visits,"
			f" {args.hospitality:,} hospitality requests in {time.perf_counter() - start:.0f} s",
			flush=True,
		)
	try:
		return measure(args, prefix, company)
	finally:
		if own and not getattr(args, "keep", False):
			accounts.cleanup(prefix)


def measure(args, prefix: str, company: str) -> list[Row]:
	from key_account_management.relationship.job import evaluate_all_profiles
	from key_account_management.visits.jobs import notify_overdue_visits

	runs = max(args.runs, 1)
	rows: list[Row] = []
	frappe.set_user("Administrator")
	with accounts.use_company(company):
		for label, job, note in (
			("relationship: evaluate_all_profiles", evaluate_all_profiles, relationship_note),
			("visits: notify_overdue_visits", notify_overdue_visits, visits_note),
		):
			times, peak, summary = timed_untraced(job, runs)
			rows.append(Row("daily jobs", label, times, peak, target=JOB_TARGETS[label], note=note(summary)))

		# a manager sees only the accounts they manage or are on the team of (two thousand here)
		for user, section in (
			("Administrator", "cards admin"),
			(accounts.user(prefix, "am", 1), "cards manager"),
		):
			frappe.set_user(user)
			for name, call in workspace_calls():
				try:
					call()  # the first call loads the metadata a running server has cached
				except Exception as e:
					# what the desk shows this user instead of the card: reported, not timed
					frappe.db.rollback()
					rows.append(Row(section, name, [float("nan")], note=f"fails: {type(e).__name__}: {e}"))
					continue
				times, peak, value = timed_untraced(call, runs)
				rows.append(Row(section, name, times, peak, target=CARD_TARGET, note=describe(value)))
		frappe.set_user("Administrator")
		rows.append(spend_vs_budget_by_gross_profit(runs))
	return rows


def spend_vs_budget_by_gross_profit(runs: int) -> Row:
	"""The spend card again with the account budget set as a share of each account's gross profit,
	which the card then has to compute for the accounts with spend."""
	from key_account_management.hospitality.cards import hospitality_spend_vs_budget

	fields = ("account_budget_amount", "account_budget_percent")
	saved = {field: frappe.db.get_single_value("Key Account Settings", field) for field in fields}
	frappe.db.set_single_value(
		"Key Account Settings", {"account_budget_amount": 0, "account_budget_percent": 2}
	)
	frappe.db.commit()
	try:
		hospitality_spend_vs_budget()
		times, peak, value = timed_untraced(hospitality_spend_vs_budget, runs)
	finally:
		frappe.db.set_single_value("Key Account Settings", saved)
		frappe.db.commit()
	return Row(
		"cards admin",
		"card Hospitality Spend vs Budget, budget % GP",
		times,
		peak,
		target=CARD_TARGET,
		note=describe(value),
	)


def relationship_note(summary: dict) -> str:
	return (
		f"{summary['profiles']:,} profiles, {summary['updated']:,} updated, "
		f"{summary['notifications']:,} notifications"
	)


def visits_note(summary: dict) -> str:
	return (
		f"{summary['overdue_accounts']:,} accounts and {summary['overdue_follow_ups']:,} follow-ups overdue, "
		f"{summary['notified']:,} users told"
	)


def describe(value) -> str:
	if isinstance(value, dict) and "datasets" in value:
		values = value["datasets"][0]["values"]
		return f"{len(values)} points, total {sum(v or 0 for v in values):,.0f}"
	if isinstance(value, dict):
		return f"value {value.get('value')}"
	return f"value {value}"


def workspace_calls() -> list[tuple[str, object]]:
	"""(label, call) for every number card and chart on the workspace, as the desk makes them."""
	from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
	from frappe.desk.doctype.number_card.number_card import get_result

	workspace = frappe.get_doc("Workspace", WORKSPACE)
	calls = []
	for link in workspace.number_cards:
		card = frappe.get_doc("Number Card", link.number_card_name)
		filters = json.dumps(card_filters(card))
		if card.type == "Custom":
			method = frappe.get_attr(card.method)
			calls.append(
				(f"card {card.name}", lambda method=method, filters=filters: method(filters=filters))
			)
		else:
			doc = json.dumps(card.as_dict(), default=str)
			calls.append((f"card {card.name}", lambda doc=doc, filters=filters: get_result(doc, filters)))
	for link in workspace.charts:
		chart = frappe.get_doc("Dashboard Chart", link.chart_name)
		if chart.chart_type == "Custom":
			# the desk calls a custom chart's source method, not dashboard_chart.get (which cannot
			# build a Custom chart and fails with KeyError: None)
			method = chart_source_method(chart.source)
			calls.append(
				(
					f"chart {link.chart_name}",
					lambda method=method, name=link.chart_name: method(chart_name=name, refresh=1),
				)
			)
		else:
			calls.append(
				(
					f"chart {link.chart_name}",
					lambda name=link.chart_name: get_chart(chart_name=name, refresh=1),
				)
			)
	return calls


def chart_source_method(source: str):
	"""The ``get`` of a Dashboard Chart Source, the method its ``frappe.dashboards.chart_sources`` entry names."""
	from frappe.modules import scrub

	module = frappe.db.get_value("Dashboard Chart Source", source, "module")
	app = frappe.local.module_app[scrub(module)]
	return frappe.get_attr(
		f"{app}.{scrub(module)}.dashboard_chart_source.{scrub(source)}.{scrub(source)}.get"
	)


def card_filters(card) -> list:
	"""The card's filters and its dynamic filters, evaluated as the desk does before calling."""
	filters = json.loads(card.filters_json or "[]")
	for row in json.loads(card.dynamic_filters_json or "[]"):
		value = row[3]
		if value == "frappe.datetime.get_today()":
			value = today()
		elif isinstance(value, str) and value.startswith("frappe."):
			raise ValueError(f"{card.name}: the benchmark cannot evaluate the dynamic filter {value}")
		filters.append([row[0], row[1], row[2], value, False])
	return filters


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--prefix", default=PREFIX)
	parser.add_argument("--company", default=COMPANY)
	parser.add_argument("--profiles", type=int, default=50_000, help="customers, each a key account")
	parser.add_argument("--invoices", type=int, default=100_000, help="ledger invoices of those customers")
	parser.add_argument("--runs", type=int, default=3)
	step = parser.add_mutually_exclusive_group()
	step.add_argument("--fill-only", action="store_true", help="fill and keep the data, time nothing")
	step.add_argument("--reuse", action="store_true", help="time the data a --fill-only or --keep run left")
	step.add_argument("--cleanup-only", action="store_true", help="delete the data a --keep run left")
	parser.add_argument("--keep", action="store_true", help="keep the data for another run")
	add_arguments(parser)
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from key_account_management.db_indexes import add_indexes, drop_indexes

	from ledger import Ledger, ensure_company

	ledger = Ledger(args.prefix, args.company, ABBR)
	if args.cleanup_only:
		accounts.cleanup(args.prefix)
		ledger.cleanup()
		return
	if not args.reuse:
		ensure_company(args.company, ABBR)
		accounts.cleanup(args.prefix)
		ledger.cleanup()
		start = time.perf_counter()
		# built once after the fill: keeping them up to date row by row made the fill several times slower
		drop_indexes()
		ledger.fill(args.invoices, args.profiles)
		add_indexes()
		ledger.build_rollups()
		print(f"filled {args.invoices:,} invoices in {time.perf_counter() - start:.0f} s", flush=True)
	if args.fill_only:
		start = time.perf_counter()
		accounts.fill(args.prefix, args.company, f"{args.prefix}C-", args.visits, args.hospitality)
		print(f"filled the key accounts in {time.perf_counter() - start:.0f} s")
		return
	try:
		rows = run(args, args.prefix, args.company, args.profiles)
	finally:
		if not args.keep:
			accounts.cleanup(args.prefix)
			ledger.cleanup()
	timing.print_table(rows)
	frappe.destroy()


if __name__ == "__main__":
	main()
