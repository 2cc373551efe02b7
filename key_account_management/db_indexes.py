"""Indexes the app adds to ERPNext's tables (and its own) for its set-based reads.

Each index is covering for one heavy read: with it MariaDB answers from the index alone instead of
looking up every matching row in the table itself, which on ERPNext's wide transaction tables is
what the reads spend most of their time on (measured by ``benchmarks/run.py``). They are added on
install and migrate (idempotent) and dropped on uninstall.
"""

from __future__ import annotations

import frappe

# (doctype, index name, columns). Keep every index under InnoDB's 3,072-byte key limit: a
# varchar(140) in utf8mb4 takes 560 bytes.
INDEXES: list[tuple[str, str, tuple[str, ...]]] = [
	# net revenue per customer, and the invoices the gross-profit pass starts from
	(
		"Sales Invoice",
		"kam_customer_basis",
		("company", "posting_date", "docstatus", "is_opening", "customer", "update_stock", "base_net_total"),
	),
	# the invoice rows of those invoices, with what the gross-profit pass reads of them
	(
		"Sales Invoice Item",
		"kam_gross_profit",
		("parent", "item_code", "warehouse", "dn_detail", "base_net_amount", "stock_qty"),
	),
	# the stock ledger entry of each delivered row. Looked up by voucher_detail_no alone (the columns
	# after it are not equality-matched): a short key compares faster than all five name columns, and
	# the voucher type, item, warehouse and cancellation are checked on the index entry
	(
		"Stock Ledger Entry",
		"kam_gross_profit",
		(
			"voucher_detail_no",
			"actual_qty",
			"stock_value",
			"stock_value_difference",
			"voucher_type",
			"item_code",
			"warehouse",
			"is_cancelled",
		),
	),
]


def add_indexes() -> None:
	for doctype, name, columns in INDEXES:
		if not frappe.db.table_exists(doctype):
			continue
		if not has_index(doctype, name, columns):
			drop_index(doctype, name)
			# add_index only checks the name; a changed column list needs the drop above
			frappe.db.add_index(doctype, list(columns), name)


def drop_indexes() -> None:
	for doctype, name, _columns in INDEXES:
		if frappe.db.table_exists(doctype):
			drop_index(doctype, name)


def has_index(doctype: str, name: str, columns: tuple[str, ...]) -> bool:
	rows = frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", (name,), as_dict=True)
	return tuple(row.Column_name for row in sorted(rows, key=lambda row: row.Seq_in_index)) == columns


def drop_index(doctype: str, name: str) -> None:
	if frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", (name,)):
		frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{name}`")
