"""doc_events that keep the monthly rollups current (see rollup.py for the design).

Sales Invoice submit costs one scoped read of the invoice's rows with their stock ledger entries and
one upsert; the other events are rarer and read a little more.
"""

from __future__ import annotations

import frappe
from frappe.utils import flt, getdate

from key_account_management.classification import rollup
from key_account_management.core.periods import month_start
from key_account_management.db_utils import table_ready

FLAG = "kam_rollup_before"
MARK = "kam_rollup_mark"


def enabled() -> bool:
	"""False until migrate has made the rollup table (a site running this code before its migrate)."""
	return table_ready(rollup.ROLLUP)


# -- Sales Invoice ----------------------------------------------------------------------------------
def invoice_figures(doc) -> dict[tuple, rollup.Month]:
	"""What one submitted invoice adds to its customer's month, read as the rollups read the ledger."""
	if doc.is_opening == "Yes":
		return {}
	key = (doc.customer, month_start(getdate(doc.posting_date)))
	figures = rollup.Month(net_revenue=flt(doc.base_net_total), invoice_count=1)
	if not doc.is_return:
		figures.last_order_date = getdate(doc.posting_date)
		figures.item_groups = {row.item_group for row in doc.items if row.item_group}
	amounts = rollup.selling_and_buying(
		rollup.Scope(doc.company, invoices=(doc.name,), include_linked_returns=True, by_month=True)
	)
	selling, buying = amounts.get(key, (0.0, 0.0))
	figures.selling_amount, figures.buying_amount = selling, buying
	return {key: figures}


def not_refreshed(doc, figures: dict) -> dict:
	"""``figures`` without the rows a repost inside this document's own submit or cancel recomputed
	from the ledger already (the document counted or not as it should there)."""
	mark = doc.flags.get(MARK)
	if mark is None:
		return figures
	refreshed = rollup.refreshed_since(mark, doc.company)
	return {key: value for key, value in figures.items() if key not in refreshed}


def before_submit_sales_invoice(doc, method=None):
	doc.flags[MARK] = rollup.refresh_mark()


def on_submit_sales_invoice(doc, method=None):
	if not enabled():
		return
	rollup.add(doc.company, not_refreshed(doc, invoice_figures(doc)))


def before_cancel_sales_invoice(doc, method=None):
	# the invoice's figures as the rollup holds them: read before ERPNext reverses its stock entries
	if not enabled():
		return
	doc.flags[MARK] = rollup.refresh_mark()
	doc.flags[FLAG] = invoice_figures(doc)


def on_cancel_sales_invoice(doc, method=None):
	if not enabled():
		return
	figures = doc.flags.get(FLAG)
	if figures is None:
		# cancelled without before_cancel (hooks installed in between): recompute the month
		key = (doc.customer, month_start(getdate(doc.posting_date)))
		rollup.refresh(doc.company, {key})
		return
	figures = not_refreshed(doc, figures)
	rollup.add(doc.company, {key: rollup.Month().minus(value) for key, value in figures.items()})
	rollup.delete_empty(doc.company, figures)
	if not doc.is_return:
		for customer, month in figures:
			rollup.refresh_order_facts(doc.company, customer, month)


# -- Delivery Note ----------------------------------------------------------------------------------
def invoices_priced_by(doc) -> list[str]:
	"""Submitted invoices whose buying amount this Delivery Note decides: the invoices it was made
	from (against_sales_invoice) and the invoices made from the same Sales Order rows that do not
	deliver themselves (priced by the Sales Order's deliveries)."""
	invoices = {row.against_sales_invoice for row in doc.items if row.get("against_sales_invoice")}
	so_details = tuple({row.so_detail for row in doc.items if row.get("so_detail")})
	if so_details:
		invoices.update(
			frappe.db.sql_list(
				"""select distinct sii.parent from `tabSales Invoice Item` sii
				inner join `tabSales Invoice` si on si.name = sii.parent
				where sii.so_detail in %(so_details)s and ifnull(sii.dn_detail, '') = ''
					and si.update_stock = 0 and si.docstatus = 1""",
				{"so_details": so_details},
			)
		)
	if not invoices:
		return []
	return frappe.db.sql_list(
		"select name from `tabSales Invoice` where name in %(invoices)s and docstatus = 1",
		{"invoices": tuple(invoices)},
	)


def invoices_figures(company: str, invoices: list[str]) -> dict[tuple, rollup.Month]:
	return rollup.from_ledger(company, invoices=invoices, order_facts=False) if invoices else {}


def before_delivery_note_change(doc, method=None):
	"""before_submit / before_cancel: the figures of the invoices it prices, before it moves stock."""
	if not enabled():
		return
	invoices = invoices_priced_by(doc)
	doc.flags[MARK] = rollup.refresh_mark()
	doc.flags[FLAG] = (invoices, invoices_figures(doc.company, invoices))


def after_delivery_note_change(doc, method=None):
	"""on_submit / on_cancel: add what changed in those invoices' figures."""
	if not enabled():
		return
	invoices, before = doc.flags.get(FLAG) or (invoices_priced_by(doc), None)
	if not invoices:
		return
	after = invoices_figures(doc.company, invoices)
	if before is None:
		rollup.refresh(doc.company, set(after))
		return
	deltas = {}
	for key in set(before) | set(after):
		delta = after.get(key, rollup.Month()).minus(before.get(key, rollup.Month()))
		if delta.selling_amount or delta.buying_amount:
			delta.invoice_count = 0
			delta.net_revenue = 0.0
			deltas[key] = delta
	rollup.add(doc.company, not_refreshed(doc, deltas))


# -- Repost Item Valuation --------------------------------------------------------------------------
def on_change_repost_item_valuation(doc, method=None):
	"""When a repost completes, recompute the customer-months of the invoices priced by the vouchers it
	rewrote (ERPNext's own record of them: get_affected_transactions)."""
	if not enabled():
		return
	if doc.status != "Completed" or doc.docstatus != 1:
		return
	from erpnext.stock.stock_ledger import get_affected_transactions

	vouchers = set(get_affected_transactions(doc))
	if doc.based_on == "Transaction" and doc.voucher_type and doc.voucher_no:
		vouchers.add((doc.voucher_type, doc.voucher_no))
	items = reposted_items(doc, vouchers)
	keys = customer_months_priced_by(vouchers, items, doc.posting_date)
	if not keys:
		return
	if frappe.flags.in_test:
		for company, company_keys in keys.items():
			rollup.refresh(company, company_keys)
		return
	# after the repost's commit, in a transaction of its own that locks before it reads
	frappe.enqueue(
		"key_account_management.classification.rollup_events.refresh_job",
		queue="long",
		timeout=3600,
		enqueue_after_commit=True,
		keys={
			company: sorted([c, str(m)] for c, m in company_keys) for company, company_keys in keys.items()
		},
	)


def refresh_job(keys: dict) -> None:
	for company, company_keys in keys.items():
		rollup.refresh(company, {(customer, getdate(month)) for customer, month in company_keys}, commit=True)


def reposted_items(doc, vouchers) -> set[tuple]:
	"""(item, warehouse) whose valuation the repost rewrote: the repost's own, and those of the
	entries of the vouchers it rewrote."""
	items = {(doc.item_code, doc.warehouse)} if doc.item_code and doc.warehouse else set()
	names = sorted({name for _voucher_type, name in vouchers})
	for chunk_start in range(0, len(names), 1000):
		items.update(
			frappe.db.sql(
				"""select distinct item_code, warehouse from `tabStock Ledger Entry`
				where voucher_no in %(names)s and is_cancelled = 0""",
				{"names": tuple(names[chunk_start : chunk_start + 1000])},
			)
		)
	return items


def customer_months_priced_by(vouchers, items=(), from_date=None) -> dict[str, set]:
	"""{company: {(customer, month)}} of the submitted invoices priced by these stock vouchers, and of
	the invoices of these items that moved no stock from ``from_date`` on (priced at the valuation
	rate of their posting date, which the repost may have changed)."""
	invoices = {name for voucher_type, name in vouchers if voucher_type == "Sales Invoice"}
	items = sorted(items)
	for chunk_start in range(0, len(items), 500):
		invoices.update(
			frappe.db.sql_list(
				"""select distinct sii.parent from `tabSales Invoice Item` sii
				inner join `tabSales Invoice` si on si.name = sii.parent
				where (sii.item_code, sii.warehouse) in %(items)s
					and si.docstatus = 1 and si.update_stock = 0 and ifnull(sii.dn_detail, '') = ''
					and si.posting_date >= %(from_date)s""",
				{
					"items": tuple(items[chunk_start : chunk_start + 500]),
					"from_date": from_date or "1900-01-01",
				},
			)
		)
	notes = tuple(name for voucher_type, name in vouchers if voucher_type == "Delivery Note")
	if notes:
		params = {"notes": notes}
		invoices.update(
			frappe.db.sql_list(
				"select distinct parent from `tabSales Invoice Item` where delivery_note in %(notes)s", params
			)
		)
		invoices.update(
			frappe.db.sql_list(
				"""select distinct against_sales_invoice from `tabDelivery Note Item`
				where parent in %(notes)s and ifnull(against_sales_invoice, '') != ''""",
				params,
			)
		)
		invoices.update(
			frappe.db.sql_list(
				"""select distinct sii.parent from `tabDelivery Note Item` dni
				inner join `tabSales Invoice Item` sii on sii.so_detail = dni.so_detail
				where dni.parent in %(notes)s and ifnull(dni.so_detail, '') != ''
					and ifnull(sii.dn_detail, '') = ''""",
				params,
			)
		)
	keys: dict[str, set] = {}
	for chunk_start in range(0, len(invoices), 1000):
		chunk = tuple(sorted(invoices))[chunk_start : chunk_start + 1000]
		for company, customer, posting_date in frappe.db.sql(
			"""select company, customer, posting_date from `tabSales Invoice`
			where name in %(invoices)s and docstatus = 1 and is_opening != 'Yes'""",
			{"invoices": chunk},
		):
			keys.setdefault(company, set()).add((customer, month_start(getdate(posting_date))))
	return keys


# -- Customer rename --------------------------------------------------------------------------------
def after_rename_customer(doc, method=None, old=None, new=None, merge=False):
	"""Frappe renames the customer on the rows, but a row's name is its key: rebuild the customer's
	rows (a merge brings the old customer's invoices in too)."""
	if not enabled():
		return
	new = new or doc.name
	frappe.db.sql(f"delete from {rollup.TABLE} where customer = %s", new)
	for company in frappe.db.sql_list(
		"select distinct company from `tabSales Invoice` where customer = %s and docstatus = 1", new
	):
		rollup.correct(company, {}, rollup.from_ledger(company, customers=[new]))
