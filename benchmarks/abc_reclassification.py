"""Benchmark section: ABC reclassification on the monthly rollups, against today's full read of the
ledger and the bare SQL read of the same rows; the rollup rebuild against the full gross-profit read.

Every figure of one size is measured in the same run, side by side:

- bare SQL aggregation: the rows the gross-profit pass reads, joined through the same indexes;
- full ledger read: ``basis.get_gross_profit`` / ``get_net_revenue`` over the same twelve calendar
  months (today's basis, what the reclassification read every night before the rollups);
- rollup rebuild: every month of the company recomputed from the ledger, once from empty (what
  install does) and once over current rows (the weekly check, which then writes nothing);
- reclassify: the whole run (read, classify, write every class, rolled back after each run) on the
  rollups, and the same run reading the ledger instead (before), with the classes of both compared;
- reclassify, next night: the nightly run once a first run has written the classes and a day of
  invoices has posted (every 18th customer buys once today, ~1M invoices a year), which is what the
  scheduler does every night after the first.

The reclassification runs are timed without tracemalloc, which doubles the time of Python-heavy code;
their peak memory comes from one more, traced, run.
"""

from __future__ import annotations

import time
from unittest.mock import patch

import frappe
from abc_nightly import next_night_rows, nightly_only

from timing import Row, timed, timed_untraced


def bare_aggregation(company, from_date, to_date):
	"""The floor of a ledger read: the rows the gross-profit pass reads, joined the same way through the
	same indexes, summed by customer, with none of the report's rules (rounding per row, fallbacks)."""
	from key_account_management.db_indexes import index_hint

	return frappe.db.sql(
		f"""select si.customer, sum(sii.base_net_amount), sum(sle.stock_value_difference)
		from `tabSales Invoice` si {index_hint("Sales Invoice", "kam_customer_basis")}
		join `tabSales Invoice Item` sii on sii.parent = si.name
		left join `tabStock Ledger Entry` sle {index_hint("Stock Ledger Entry", "kam_gross_profit")}
			on sle.voucher_detail_no = coalesce(sii.dn_detail, sii.name)
			and sle.voucher_type = if(sii.dn_detail is null, 'Sales Invoice', 'Delivery Note')
			and sle.is_cancelled = 0
		where si.docstatus = 1 and si.company = %s and si.posting_date between %s and %s
		group by si.customer""",
		(company, from_date, to_date),
	)


def timed_rebuild(company: str, runs: int, from_empty: bool) -> tuple[list[float], dict]:
	"""The rebuild commits batch by batch, so each run is set up (rows deleted, or left as they are)
	and timed on its own."""
	from key_account_management.classification.rollup import TABLE
	from key_account_management.classification.rollup_rebuild import rebuild

	times, summary = [], {}
	for _ in range(runs):
		if from_empty:
			frappe.db.sql(f"delete from {TABLE} where company = %s", company)
			frappe.db.commit()
		start = time.perf_counter()
		summary = rebuild(company)
		times.append(time.perf_counter() - start)
	return times, summary


def add_arguments(parser) -> None:
	parser.add_argument(
		"--abc-nightly-only",
		action="store_true",
		help="abc: only the reclassification runs on the rollups (first run with new A profiles, next night),"
		" without the full ledger reads and rollup rebuilds (each about a minute at full size)",
	)


def run(args, company: str, label: str) -> list[Row]:
	if getattr(args, "abc_nightly_only", False):
		return nightly_only(args, company, label)
	from frappe.utils import getdate

	from key_account_management.classification import basis, rollup_read
	from key_account_management.classification.reclassify import reclassify
	from key_account_management.core.abc_classification import classify
	from key_account_management.core.periods import calendar_months

	from_date, to_date = calendar_months(getdate(), 12)
	section = f"ABC {label}"
	settings = frappe.get_single("Key Account Settings")
	saved = {key: settings.get(key) for key in ("company", "basis", "period_months")}
	saved_auto = settings.get("auto_create_profiles") or 0
	rows = []
	try:
		times, peak, _ = timed(lambda: bare_aggregation(company, from_date, to_date), args.runs)
		bare = Row(section, "bare SQL aggregation (same rows)", times, peak)
		rows.append(bare)
		reads = {}
		for basis_name, read in (
			("Net Revenue", basis.get_net_revenue),
			("Gross Profit", basis.get_gross_profit),
		):
			times, peak, values = timed(lambda read=read: read(company, from_date, to_date), args.runs)
			reads[basis_name] = (Row(section, f"full ledger read, {basis_name}", times, peak), values)
			rows.append(reads[basis_name][0])
		gp_read = reads["Gross Profit"][0]

		times, summary = timed_rebuild(company, args.runs, from_empty=True)
		rows.append(
			Row(
				section,
				"rollup rebuild, every month, from empty",
				times,
				versus=("GP read", gp_read.median),
				target="≤ 1.2× GP read" if label == "full" else "",
				note=f"{summary['rows_corrected']:,} rows written",
			)
		)
		times, summary = timed_rebuild(company, args.runs, from_empty=False)
		rows.append(
			Row(
				section,
				"rollup rebuild, every month, rows current",
				times,
				versus=("GP read", gp_read.median),
				target="≤ 1.2× GP read" if label == "full" else "",
				note=f"{summary['customers_checked']:,} customers checked, {summary['rows_corrected']:,} rows corrected",
			)
		)

		# no profiles made by the runs but the one row that measures it: the jobs section makes its own
		frappe.db.set_single_value(
			"Key Account Settings",
			{"company": company, "period_months": 12, "basis": "Net Revenue", "auto_create_profiles": 0},
		)
		frappe.db.commit()
		thresholds = (settings.a_threshold, settings.b_threshold)
		for basis_name in ("Net Revenue", "Gross Profit"):
			frappe.db.set_single_value("Key Account Settings", "basis", basis_name)
			frappe.db.commit()
			read_row, ledger_values = reads[basis_name]
			# rolled back after each run: every run is a first run that writes every class
			times, peak, summary = timed_untraced(lambda: reclassify(company), args.runs)
			ours = rollup_read.basis_values(basis_name, company, from_date, to_date)
			same = identical_classes(classify(ours, *thresholds), classify(ledger_values, *thresholds))
			largest = max(
				(abs(ours.get(c, 0.0) - ledger_values.get(c, 0.0)) for c in set(ours) | set(ledger_values)),
				default=0.0,
			)
			rows.append(
				Row(
					section,
					f"reclassify, {basis_name}, rollups",
					times,
					peak,
					versus=("ledger read", read_row.median),
					target="≤ 2 s" if label == "full" else "",
					note=f"{summary['classified']:,} classified (A {summary['A']:,} / B {summary['B']:,} /"
					f" C {summary['C']:,}); classes {'identical to' if same else 'DIFFER FROM'} the full"
					f" ledger read, largest value difference {largest:.2f}",
				)
			)
			with patch(
				"key_account_management.classification.reclassify.basis_values",
				lambda basis_name, company, from_date, to_date: basis.get_basis_values(
					basis_name, company, from_date, to_date
				),
			):
				times, peak, _summary = timed_untraced(lambda: reclassify(company), args.runs)
			rows.append(
				Row(
					section,
					f"reclassify, {basis_name}, ledger (before)",
					times,
					peak,
					versus=("bare", bare.median),
				)
			)
		# "create a profile for every A customer" on (the demo's setting): the A customers without a
		# profile get one in the run, set-based (classification/new_profiles.py); rolled back after each
		frappe.db.set_single_value(
			"Key Account Settings", {"basis": "Net Revenue", "auto_create_profiles": 1}
		)
		frappe.db.commit()
		times, peak, summary = timed_untraced(lambda: reclassify(company), args.runs, trace_peak=False)
		frappe.db.set_single_value("Key Account Settings", "auto_create_profiles", 0)
		frappe.db.commit()
		rows.append(
			Row(
				section,
				"reclassify, Net Revenue, first run, a profile for every A customer",
				times,
				peak,
				target="≤ 10 s for 2,500 new profiles",
				note=f"{summary['profiles_created']:,} profiles created (A {summary['A']:,})",
			)
		)
		rows += groups_as_one(args, company, section)
		# last: the first run each starts from is committed, so the runs above stay first runs
		rows += next_night_rows(args, company, section, label)
	finally:
		frappe.db.set_single_value("Key Account Settings", {**saved, "auto_create_profiles": saved_auto})
		frappe.db.commit()
	return rows


def groups_as_one(args, company: str, section: str, groups: int = 500, members: int = 3) -> list[Row]:
	"""Classify groups as one customer (docs/DOMAIN.md §13): the same run with the setting off and on,
	side by side, over ``groups`` group profiles of ``members`` customers each (made for the runs,
	committed, and taken out again at the end). Each side first commits one run of its own, so that the
	timed runs compare the grouping, not the class changes that switching the setting writes once."""
	from key_account_management.classification.reclassify import reclassify

	made = make_groups(company, groups, members)
	try:
		frappe.db.set_single_value(
			"Key Account Settings", {"basis": "Net Revenue", "classify_groups_as_one": 0}
		)
		reclassify(company)
		frappe.db.commit()
		off, _peak, _summary = timed_untraced(lambda: reclassify(company), args.runs, trace_peak=False)
		frappe.db.set_single_value("Key Account Settings", "classify_groups_as_one", 1)
		reclassify(company)
		frappe.db.commit()
		on, _peak, summary = timed_untraced(lambda: reclassify(company), args.runs, trace_peak=False)
	finally:
		frappe.db.set_single_value("Key Account Settings", "classify_groups_as_one", 0)
		frappe.db.rollback()
		reclassify(company)
		frappe.db.sql("delete from `tabKey Account Group Member` where parent in %s", (tuple(made) or ("",),))
		frappe.db.sql(
			"update `tabKey Account Profile` set is_group = 0 where name in %s", (tuple(made) or ("",),)
		)
		frappe.db.commit()
	without = Row(section, "reclassify, Net Revenue, groups as one off", off)
	return [
		without,
		Row(
			section,
			"reclassify, Net Revenue, groups as one on",
			on,
			versus=("off", without.median),
			target="≤ 1.2× off",
			note=f"{len(made):,} groups of {members} members; {summary['classified']:,} classified",
		),
	]


def make_groups(company: str, groups: int, members: int) -> list[str]:
	"""Profiles of the company made groups, each with ``members`` customers that have no profile."""
	from frappe.utils import now_datetime, today

	profiles = frappe.db.sql_list(
		"""select name from `tabKey Account Profile`
		where (company = %s or ifnull(company, '') = '') and is_group = 0
		order by name limit %s""",
		(company, groups),
	)
	free = frappe.db.sql_list(
		"""select distinct r.customer from `tabKey Account Monthly Rollup` r where r.company = %s
			and not exists (select 1 from `tabKey Account Profile` p where p.customer = r.customer)
		order by r.customer limit %s""",
		(company, len(profiles) * members),
	)
	if len(free) < len(profiles) * members:
		# every customer a key account (the key accounts' fill): the members are customers of other
		# profiles, which the grouping then classes with their group (SQL, past the form's validation)
		free += frappe.db.sql_list(
			"""select customer from `tabKey Account Profile`
			where (company = %s or ifnull(company, '') = '') and is_group = 0 and name not in %s
			order by name desc limit %s""",
			(company, tuple(profiles) or ("",), len(profiles) * members - len(free)),
		)
	profiles = profiles[: len(free) // members]
	stamp = now_datetime()
	values = [
		(
			frappe.generate_hash(length=12),
			profile,
			"Key Account Profile",
			"group_members",
			j + 1,
			free[i * members + j],
			today(),
			stamp,
			stamp,
			"Administrator",
			"Administrator",
		)
		for i, profile in enumerate(profiles)
		for j in range(members)
	]
	fields = [
		"name",
		"parent",
		"parenttype",
		"parentfield",
		"idx",
		"customer",
		"joined_on",
		"creation",
		"modified",
		"owner",
		"modified_by",
	]
	frappe.db.bulk_insert("Key Account Group Member", fields, values)
	if profiles:
		# the key accounts' fill leaves the profiles' company empty: a group counts in its company only
		frappe.db.sql(
			"update `tabKey Account Profile` set is_group = 1, company = %s where name in %s",
			(company, tuple(profiles)),
		)
	frappe.db.commit()
	return profiles


def identical_classes(ours: dict, theirs: dict) -> bool:
	return {c: row.abc_class for c, row in ours.items()} == {c: row.abc_class for c, row in theirs.items()}
