"""Benchmark section ``abc``, the nightly part: what the scheduler runs each night on the rollups — a
reclassification with "create a profile for every A customer" on, and the next night on either basis
(``--abc-nightly-only`` runs only this; ``abc_reclassification.run`` ends with the next nights)."""

from __future__ import annotations

import time

import frappe

from timing import Row, timed_untraced


def nightly_only(args, company: str, label: str) -> list[Row]:
	"""What the scheduler runs every night, on the rollups: a reclassification with "create a profile for
	every A customer" on (rolled back after each run), and the next night on either basis."""
	from key_account_management.classification.reclassify import reclassify

	section = f"ABC {label}"
	settings = frappe.get_single("Key Account Settings")
	saved = {key: settings.get(key) for key in ("company", "basis", "period_months", "auto_create_profiles")}
	rows = []
	try:
		frappe.db.set_single_value(
			"Key Account Settings",
			{"company": company, "period_months": 12, "basis": "Net Revenue", "auto_create_profiles": 1},
		)
		frappe.db.commit()
		times, peak, summary = timed_untraced(lambda: reclassify(company), args.runs, trace_peak=False)
		rows.append(
			Row(
				section,
				"reclassify, Net Revenue, a profile for every A customer",
				times,
				peak,
				target="≤ 10 s" if label == "full" else "",
				note=f"{summary['profiles_created']:,} profiles created, {summary['changed']:,} classes"
				f" written (A {summary['A']:,} / B {summary['B']:,} / C {summary['C']:,})",
			)
		)
		frappe.db.set_single_value("Key Account Settings", "auto_create_profiles", 0)
		frappe.db.commit()
		rows += next_night_rows(args, company, section, label)
	finally:
		frappe.db.set_single_value("Key Account Settings", saved)
		frappe.db.commit()
	return rows


def next_night_rows(args, company: str, section: str, label: str) -> list[Row]:
	"""The next night's run on either basis (the settings' basis set and committed for each)."""
	rows = []
	for basis_name in ("Net Revenue", "Gross Profit"):
		frappe.db.set_single_value("Key Account Settings", "basis", basis_name)
		frappe.db.commit()
		times, night = next_night(company, args.runs)
		rows.append(
			Row(
				section,
				f"reclassify, {basis_name}, rollups, next night",
				times,
				target="≤ 2 s" if label == "full" else "",
				note=f"{night['posted']:,} customers bought today; {night['changed']:,} classes and"
				f" {night['profiles_updated']:,} profiles written",
			)
		)
	return rows


def next_night(company: str, runs: int) -> tuple[list[float], dict]:
	"""The nightly run after the first: the classes of a first run and a day of invoices (posted to the
	rollups as the submit hooks post them) are committed, as they are by the night's run; then the run
	is timed, rolled back after each run; the day's invoices are taken out again at the end. Committed
	because InnoDB reads rows another write of the same open transaction touched through the table
	instead of the index alone: uncommitted, the read of the rollups took 2.7 s instead of 0.8 s."""
	from frappe.utils import getdate, today

	from key_account_management.classification import rollup
	from key_account_management.classification.reclassify import reclassify
	from key_account_management.core.periods import month_start

	month = month_start(getdate(today()))
	customers = frappe.db.sql_list(
		f"select distinct customer from {rollup.TABLE} where company = %s order by customer", company
	)[::18]
	day = {
		(customer, month): rollup.Month(
			net_revenue=1000.0, selling_amount=1000.0, buying_amount=800.0, invoice_count=1
		)
		for customer in customers
	}
	reclassify(company)
	rollup.add(company, day)
	frappe.db.commit()
	times, summary = [], {}
	try:
		for _ in range(runs):
			start = time.perf_counter()
			summary = reclassify(company)
			times.append(time.perf_counter() - start)
			frappe.db.rollback()
	finally:
		rollup.add(company, {key: rollup.Month().minus(figures) for key, figures in day.items()})
		rollup.delete_empty(company, list(day))
		frappe.db.commit()
	return times, {**summary, "posted": len(customers)}
