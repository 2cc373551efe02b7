"""Benchmark section: ABC reclassification against the bare SQL read of the same rows."""

from __future__ import annotations

import frappe

from timing import Row, timed


def bare_aggregation(company, from_date, to_date):
	"""The floor: the rows the gross-profit pass reads, joined the same way through the same indexes,
	summed by customer, with none of the report's rules (rounding per row, fallbacks)."""
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


def run(args, company: str, label: str) -> list[Row]:
	from key_account_management.classification.reclassify import reclassify
	from key_account_management.core.periods import trailing_period

	from_date, to_date = trailing_period(frappe.utils.getdate(), 12)
	section = f"ABC {label}"
	settings = frappe.get_single("Key Account Settings")
	saved = {key: settings.get(key) for key in ("company", "basis")}
	rows = []
	try:
		times, peak, _ = timed(lambda: bare_aggregation(company, from_date, to_date), args.runs)
		bare = Row(section, "bare SQL aggregation (same rows)", times, peak)
		rows.append(bare)
		for basis, target in (("Net Revenue", "≤ 10 s"), ("Gross Profit", "≤ 20 s, ≤ 1.5× bare")):
			frappe.db.set_single_value("Key Account Settings", {"company": company, "basis": basis})
			frappe.db.commit()
			# rolled back after each run: every run is a first run that writes every class
			times, peak, summary = timed(lambda: reclassify(company), args.runs)
			rows.append(
				Row(
					section,
					f"reclassify, {basis}",
					times,
					peak,
					versus=("bare", bare.median),
					target=target if label == "full" else "",
					note=f"{summary['classified']:,} classified (A {summary['A']:,} / B {summary['B']:,} /"
					f" C {summary['C']:,})",
				)
			)
	finally:
		frappe.db.set_single_value("Key Account Settings", saved)
		frappe.db.commit()
	return rows
