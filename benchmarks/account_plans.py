"""Benchmark section ``plan``: the account plans (docs/DOMAIN.md §10) on the benchmark's key accounts.

On the key accounts ``accounts.fill`` made (made here for the ledger's customers when there are none
yet, and deleted again afterwards), bulk SQL makes ``--plans`` Active plans for the current calendar
year, one per account from the biggest down, each with two objectives and five measures (Net
Revenue, Gross Profit, Visits Completed, Buying Center Coverage %, Won Opportunity Amount) whose
targets are the account's pace times a factor, so that the statuses are mixed; and two opportunities
per planned account (one won this year, one open), which the won measure and the PDF's pipeline read.
The plans' actuals are refreshed once and committed, then timed side by side:

- refresh: ``plan.actuals.refresh()`` of every active plan as of tomorrow (the next nightly job: the
  measures whose figures moved are written; rolled back after every run), against the bare SQL reads of the same rows (the plans and
  measures, the monthly rollups of the period and of last year, the first rollup months, the visits,
  the won opportunities, the profiles' levels);
- report: "Account Plan Progress" through ``frappe.desk.query_report.run`` as a Key Account Director
  (the benchmark's first director), against the bare SQL read of the measures it shows;
- PDF: the biggest account's plan printed with the "Account Plan" print format by its account
  manager, against the same document as HTML (the difference is wkhtmltopdf, which loads the print
  style from the site's URL: a web server must answer there, e.g. ``bench --site <site> serve``,
  or the row reports wkhtmltopdf's network error).

Every name starts with the benchmark prefix (``<prefix>KAP-``, ``<prefix>OPP-``); ``cleanup`` deletes
the plans, their rows and the opportunities. Run alone on data a ``--keep`` run left:

    cd ~/frappe-bench/sites
    ../env/bin/python ../apps/key_account_management/benchmarks/account_plans.py --site <site> --plans 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import frappe
from frappe.utils import getdate, now, today

import accounts
import timing
from timing import Row, timed_untraced

PREFIX = "KAMB-"
COMPANY = "KAM Benchmark Company"
SECTION = "plans"
# issue 27: at a million invoices / 50,000 customers, 2,000 plans with 5 measures each
TARGETS = {"refresh": "≤ 2 s", "report": "≤ 1 s", "pdf": "≤ 5 s"}
# target = the account's pace over the whole year times one of these: some plans are achieved, some
# on track, some behind and some at risk
FACTORS = (0.8, 0.95, 1.05, 1.15, 1.3)
GROW, DEEPEN = "Grow the account", "Deepen the relationship"
MEASURES = (
	(GROW, "Net Revenue"),
	(GROW, "Gross Profit"),
	(DEEPEN, "Visits Completed"),
	(DEEPEN, "Buying Center Coverage %"),
	(GROW, "Won Opportunity Amount"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
	parser.add_argument("--plans", type=int, default=2_000, help="active account plans, 5 measures each")
	from jobs_and_dashboards import add_arguments as add_account_arguments

	try:
		add_account_arguments(parser)  # --visits and --hospitality of the key accounts' fill
	except argparse.ArgumentError:
		pass  # the jobs section, loaded first, added them


def run(args, prefix: str = PREFIX, company: str = COMPANY, customers: int | None = None) -> list[Row]:
	"""Makes the plans (and the key accounts when there are none), times, deletes its data again."""
	own = not accounts.exists(prefix)
	try:
		if own:
			start = time.perf_counter()
			accounts.fill(prefix, company, f"{prefix}C-", args.visits, args.hospitality)
			print(f"filled the key accounts in {time.perf_counter() - start:.0f} s", flush=True)
		cleanup(prefix)
		start = time.perf_counter()
		plans = fill(prefix, company, args.plans)
		print(
			f"filled {len(plans):,} plans / {len(plans) * len(MEASURES):,} measures"
			f" in {time.perf_counter() - start:.1f} s",
			flush=True,
		)
		return measure(args, prefix, plans)
	finally:
		frappe.set_user("Administrator")
		cleanup(prefix)
		if own and not getattr(args, "keep", False):
			accounts.cleanup(prefix)


def cleanup(prefix: str) -> None:
	like = prefix + "KAP-%"
	for child in ("Key Account Plan Measure", "Key Account Plan Objective"):
		frappe.db.sql(
			f"delete from `tab{child}` where parenttype = 'Key Account Plan' and parent like %s", like
		)
	frappe.db.sql("delete from `tabKey Account Plan` where name like %s", like)
	frappe.db.sql("delete from `tabOpportunity` where name like %s", prefix + "OPP-%")
	frappe.db.commit()


# -- the data -------------------------------------------------------------------------------------------
def fill(prefix: str, company: str, count: int) -> list[frappe._dict]:
	"""``count`` plans on the accounts of ``prefix`` in name order (the ledger's biggest customers
	first), their objectives and measures, two opportunities each; refreshed once and committed."""
	from key_account_management.plan.actuals import refresh

	profiles = frappe.db.sql(
		"""select name, customer, customer_name, account_manager from `tabKey Account Profile`
		where account_manager like %s order by name limit %s""",
		(prefix + "%", count),
		as_dict=True,
	)
	if not profiles:
		frappe.throw(f"No key accounts of {prefix!r} to make plans for.")
	# the print format fails on an account whose profile has no company (the fill leaves it empty)
	frappe.db.sql(
		"""update `tabKey Account Profile` set company = %s where ifnull(company, '') = '' and name in %s""",
		(company, tuple(profile.name for profile in profiles)),
	)
	year = getdate(today()).year
	start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
	elapsed_days = (getdate(today()) - start).days + 1
	elapsed = elapsed_days / ((end - start).days + 1)
	stamp = now()
	common = {"creation": stamp, "modified": stamp, "owner": "Administrator", "modified_by": "Administrator"}
	pace = paces(company, profiles, start)
	rows = {"Key Account Plan": [], "Key Account Plan Objective": [], "Key Account Plan Measure": []}
	rows["Opportunity"] = []
	for n, profile in enumerate(profiles, 1):
		plan = profile.plan = f"{prefix}KAP-{n:06d}"
		child = {**common, "parent": plan, "parenttype": "Key Account Plan"}
		factor = FACTORS[n % len(FACTORS)]
		revenue, profit, visits = pace.get(profile.name, (0, 0, 0))
		won = 5000 + (n % 50) * 1000
		rows["Key Account Plan"].append(
			{
				**common,
				"name": plan,
				"docstatus": 0,
				"idx": 0,
				"key_account": profile.name,
				"customer": profile.customer,
				"customer_name": profile.customer_name,
				"company": company,
				"account_manager": profile.account_manager,
				"period_start": start,
				"period_end": end,
				"status": "Active",
				"strategy": "<p>Grow the account.</p>",
				"measures_behind": 0,
			}
		)
		for idx, objective in enumerate((GROW, DEEPEN), 1):
			rows["Key Account Plan Objective"].append(
				{
					**child,
					"name": f"{plan}-O{idx}",
					"parentfield": "objectives",
					"idx": idx,
					"objective": objective,
				}
			)
		targets = (
			max(round(revenue / elapsed * factor, 2), 1000.0),
			max(round(profit / elapsed * factor, 2), 500.0),
			max(round(visits / elapsed * factor), 1),
			40 + (n % 6) * 10,
			round(won / elapsed * factor, 2),
		)
		for idx, ((objective, kind), target) in enumerate(zip(MEASURES, targets, strict=True), 1):
			rows["Key Account Plan Measure"].append(
				{
					**child,
					"name": f"{plan}-M{idx}",
					"parentfield": "measures",
					"idx": idx,
					"objective": objective,
					"measure": kind,
					"target": target,
					"done": 0,
				}
			)
		for k, (status, closing) in enumerate(
			(("Converted", start + dt.timedelta(days=n % elapsed_days)), ("Open", end)), 1
		):
			rows["Opportunity"].append(
				{
					**common,
					"name": f"{prefix}OPP-{n:06d}-{k}",
					"docstatus": 0,
					"opportunity_from": "Customer",
					"party_name": profile.customer,
					"customer_name": profile.customer_name,
					"title": profile.customer_name,
					"opportunity_type": "Sales",
					"status": status,
					"transaction_date": start,
					"expected_closing": closing,
					"currency": "USD",
					"conversion_rate": 1,
					"opportunity_amount": won * k,
					"base_opportunity_amount": won * k,
					"company": company,
					"probability": 50,
					"kam_key_account": profile.name,
					"kam_grade": "ABCD"[n % 4],
				}
			)
	for doctype, values in rows.items():
		insert_dicts(doctype, values)
	frappe.db.commit()
	refresh()  # the night's refresh: the report and the PDF show computed figures
	frappe.db.commit()
	for doctype in rows:
		frappe.db.sql(f"analyze table `tab{doctype}`")
	return profiles


def insert_dicts(doctype: str, rows: list[dict]) -> None:
	"""Rows of one shape ({column: value}) through ``db_utils.insert_rows``'s bound multi-row inserts."""
	from key_account_management.db_utils import insert_rows

	if rows:
		fields = list(rows[0])
		insert_rows(doctype, fields, [tuple(row[field] for field in fields) for row in rows])


def paces(company: str, profiles: list, start: dt.date) -> dict[str, tuple[float, float, int]]:
	"""account -> (net revenue, gross profit, completed visits) of the year so far."""
	names = tuple(profile.name for profile in profiles)
	money = {
		customer: (float(revenue), float(profit))
		for customer, revenue, profit in frappe.db.sql(
			"""select customer, ifnull(sum(net_revenue), 0), ifnull(sum(gross_profit), 0)
			from `tabKey Account Monthly Rollup` where company = %s and customer in %s and month >= %s
			group by customer""",
			(company, names, start),
		)
	}
	visits = dict(
		frappe.db.sql(
			"""select key_account, count(*) from `tabVisit Record` where status = 'Completed'
			and docstatus < 2 and key_account in %s and visit_date >= %s group by key_account""",
			(names, start),
		)
	)
	return {name: (*money.get(name, (0.0, 0.0)), visits.get(name, 0)) for name in names}


# -- the timings ----------------------------------------------------------------------------------------
def measure(args, prefix: str, plans: list[frappe._dict]) -> list[Row]:
	from frappe.desk.query_report import run as run_report

	from key_account_management.plan.actuals import refresh

	runs = max(args.runs, 1)
	rows: list[Row] = []
	frappe.set_user("Administrator")
	times, peak, _ = timed_untraced(bare_refresh_reads, runs)
	bare = Row(
		SECTION, "bare SQL reads of the refresh's rows", times, peak, note="rollups, visits, won, levels"
	)
	# the next night's refresh: what was committed today is tomorrow's starting point, and the expected
	# figures move with the day (a refresh on the day it was made would find nothing to write)
	tomorrow = frappe.utils.add_days(frappe.utils.today(), 1)
	times, peak, count = timed_untraced(lambda: refresh(as_of=tomorrow), runs)
	label, versus = "refresh every active plan's actuals, next night", ("bare SQL", bare.median)
	rows += [bare, Row(SECTION, label, times, peak, versus, TARGETS["refresh"], f"{count:,} plans")]

	director = accounts.user(prefix, "dir", 1)
	if not frappe.db.exists("User", director):
		frappe.throw(f"The benchmark's director {director} is missing.")
	frappe.set_user(director)
	times, peak, measures = timed_untraced(bare_report_read, runs)
	bare = Row(SECTION, "bare SQL read of the report's measures", times, peak, note=f"{measures:,} rows")
	report = lambda: run_report("Account Plan Progress", filters={})  # noqa: E731
	label = "Account Plan Progress, director"
	rows += [bare, timed_call(label, report, runs, TARGETS["report"], describe_report, bare, "bare SQL")]

	plan = plans[0]
	frappe.set_user(plan.account_manager)
	html = lambda: frappe.get_print("Key Account Plan", plan.plan, print_format="Account Plan")  # noqa: E731
	pdf = lambda: frappe.get_print(  # noqa: E731
		"Key Account Plan", plan.plan, print_format="Account Plan", as_pdf=True
	)
	bare = timed_call("plan as HTML (no wkhtmltopdf), manager", html, runs, "", describe_print)
	rows += [
		bare,
		timed_call(
			"plan PDF (Account Plan), manager", pdf, runs, TARGETS["pdf"], describe_print, bare, "HTML"
		),
	]
	frappe.set_user("Administrator")
	return rows


def timed_call(
	label: str, call, runs: int, target: str, describe, baseline: Row | None = None, versus: str = ""
) -> Row:
	"""The call once untimed (what a running server has cached), then timed against ``baseline``'s
	median; a failure is reported on its row, not timed."""
	try:
		call()
	except Exception as e:
		frappe.db.rollback()
		return Row(SECTION, label, [float("nan")], note=f"fails: {type(e).__name__}: {e}")
	times, peak, value = timed_untraced(call, runs)
	compared = None
	if baseline and baseline.median == baseline.median:  # not a failed (NaN) baseline
		compared = (versus, baseline.median)
	return Row(SECTION, label, times, peak, versus=compared, target=target, note=describe(value))


def describe_report(result: dict) -> str:
	return f"{len(result.get('result') or []):,} rows"


def describe_print(output) -> str:
	return f"{len(output) / 1024:.0f} kB"


def bare_refresh_reads() -> int:
	"""What ``refresh`` reads, as bare SQL over the same rows: no per-measure Python, no writes."""
	plans = frappe.db.sql(
		"""select name, key_account, customer, period_start from `tabKey Account Plan`
		where status = 'Active'""",
		as_dict=True,
	)
	if not plans:
		return 0
	names, customers = tuple(p.name for p in plans), tuple({p.customer for p in plans})
	# the benchmark's plans are all of one company (the rollups' index leads with it)
	company = frappe.db.get_value("Key Account Plan", {"status": "Active"}, "company")
	keys = tuple({p.key_account for p in plans})
	earliest = min(getdate(p.period_start) for p in plans).replace(day=1)
	earliest = earliest.replace(year=earliest.year - 1)
	reads = (
		(
			"""select name, parent, measure, item_group, target, done, done_date
			from `tabKey Account Plan Measure` where parenttype = 'Key Account Plan' and parent in %s""",
			names,
		),
		(
			"""select customer, month, net_revenue, gross_profit, item_groups
			from `tabKey Account Monthly Rollup`
			where company = %s and customer in %s and month between %s and %s""",
			company,
			customers,
			earliest,
			today(),
		),
		(
			"""select customer, min(month) from `tabKey Account Monthly Rollup`
			where company = %s and customer in %s group by customer""",
			company,
			customers,
		),
		(
			"""select key_account, visit_date from `tabVisit Record`
			where status = 'Completed' and docstatus < 2 and key_account in %s""",
			keys,
		),
		(
			"""select kam_key_account, ifnull(expected_closing, transaction_date), base_opportunity_amount
			from `tabOpportunity` where status = 'Converted' and kam_key_account in %s""",
			keys,
		),
		(
			"""select name, share_of_wallet, coverage_percent, health_score
			from `tabKey Account Profile` where name in %s""",
			keys,
		),
	)
	return sum(len(frappe.db.sql(query, tuple(values))) for query, *values in reads)


def bare_report_read() -> int:
	"""The report's rows as one bare join: every measure of the active plans, no permission, no sort."""
	return len(
		frappe.db.sql(
			"""select p.name, p.key_account, p.customer_name, p.account_manager, m.objective, m.measure,
				m.item_group, m.target, m.actual, m.expected, m.progress, m.measure_status
			from `tabKey Account Plan` p join `tabKey Account Plan Measure` m
				on m.parent = p.name and m.parenttype = 'Key Account Plan'
			where p.status = 'Active'"""
		)
	)


if __name__ == "__main__":
	timing.standalone(run, add_arguments)
