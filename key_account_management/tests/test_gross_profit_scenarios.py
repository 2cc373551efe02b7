"""ERPNext's own Gross Profit scenarios as the app's parity tests, and the cases they do not reach.

Each scenario of erpnext/accounts/report/gross_profit/test_gross_profit.py is built by that test
itself: an instance of its TestGrossProfit runs its setUp (company "_Test Gross Profit", items, a
Product Bundle, a customer) and then the scenario method, its own assertions included. After it, for
the scenario's customer:

- the app's gross profit (classification.basis) equals ERPNext's report grouped by Customer, with
  credit notes against an invoice left out as the report leaves them out, where the report is right;
- it equals an independent computation from the ledgers (``ledger_gross_profit`` below, written apart
  from the app): the stock value the delivering voucher rows took out of stock, the invoiced share of
  it, and for every delivering voucher the GL's cost of goods sold equals that stock value;
- the monthly rollups (classification.rollup), kept current by the doc_events while the scenario
  posted, equal it to the cent.

Where the report and the ledger disagree, the ledger is the truth and the test says which and why.
"""

from __future__ import annotations

import frappe
from frappe.utils import flt, get_last_day, getdate, nowdate

from key_account_management.classification import rollup
from key_account_management.classification.basis import get_gross_profit
from key_account_management.core.periods import month_start
from key_account_management.tests.utils import KAMTestCase

SCENARIOS = (
	"test_invoice_without_only_delivery_note",
	"test_bundled_delivery_note_with_different_warehouses",
	"test_order_connected_dn_and_inv",
	"test_crnote_against_invoice_with_multiple_instances_of_same_item",
	"test_standalone_cr_notes",
	"test_different_rates_in_si_and_dn",
)


def erpnext_case():
	"""ERPNext's test case, imported here so that this module does not collect it as a test of its own."""
	from erpnext.accounts.report.gross_profit.test_gross_profit import TestGrossProfit

	return TestGrossProfit("test_standalone_cr_notes")


def report_by_customer(company: str) -> dict[str, float]:
	from erpnext.accounts.report.gross_profit.gross_profit import execute

	columns, data = execute(
		frappe._dict(company=company, from_date=nowdate(), to_date=nowdate(), group_by="Customer")
	)[:2]
	index = {column["fieldname"]: i for i, column in enumerate(columns)}
	return {row[index["customer"]]: flt(row[index["gross_profit"]]) for row in data if row[index["customer"]]}


# -- the ledgers, read apart from the app ----------------------------------------------------------
def entries_value(voucher_type: str, voucher_no: str, detail: str) -> tuple[int, float]:
	"""(entries, stock value moved) of a voucher row: every Stock Ledger Entry it made (a bundle row's
	are its packed items')."""
	count, moved = frappe.db.sql(
		"""select count(*), sum(stock_value_difference) from `tabStock Ledger Entry`
		where voucher_type = %s and voucher_no = %s and voucher_detail_no = %s and is_cancelled = 0""",
		(voucher_type, voucher_no, detail),
	)[0]
	return count, flt(moved)


def row_cost(row) -> float | None:
	"""The cost of one invoice row from the stock ledger (None: nothing delivered it, no stock item)."""
	if row.update_stock:
		count, moved = entries_value("Sales Invoice", row.invoice, row.name)
		return -moved if count else None
	if row.dn_detail:
		delivered = flt(frappe.db.get_value("Delivery Note Item", row.dn_detail, "stock_qty"))
		count, moved = entries_value("Delivery Note", row.delivery_note, row.dn_detail)
		return -moved * flt(row.stock_qty) / delivered if count else None
	# delivered later by notes made from the invoice, or by notes of the Sales Order it came from
	notes = frappe.db.sql(
		"""select parent, name, stock_qty from `tabDelivery Note Item`
		where docstatus = 1 and (si_detail = %(row)s or (so_detail = %(so_detail)s and %(so_detail)s != ''))""",
		{"row": row.name, "so_detail": row.so_detail or ""},
		as_dict=True,
	)
	if not notes:
		return None
	moved = sum(entries_value("Delivery Note", note.parent, note.name)[1] for note in notes)
	return -moved * flt(row.stock_qty) / sum(flt(note.stock_qty) for note in notes)


def purchase_cost(row) -> float | None:
	"""A non-stock item: what it was bought for, the latest Purchase Invoice before the sale."""
	rate = frappe.db.sql(
		"""select pii.base_rate / pii.conversion_factor from `tabPurchase Invoice Item` pii
		join `tabPurchase Invoice` pi on pi.name = pii.parent
		where pi.docstatus = 1 and pii.item_code = %s and pi.posting_date <= %s
		order by pi.posting_date desc, pi.creation desc limit 1""",
		(row.item_code, row.posting_date),
	)
	return flt(row.stock_qty) * flt(rate[0][0]) if rate else None


def invoice_rows(company: str, customer: str):
	return frappe.db.sql(
		"""select si.name as invoice, si.update_stock, si.posting_date, sii.name, sii.item_code,
			sii.stock_qty, sii.base_net_amount, sii.dn_detail, sii.delivery_note, sii.so_detail,
			item.is_stock_item
		from `tabSales Invoice` si join `tabSales Invoice Item` sii on sii.parent = si.name
		join `tabItem` item on item.name = sii.item_code
		where si.docstatus = 1 and si.company = %s and si.customer = %s""",
		(company, customer),
		as_dict=True,
	)


def ledger_gross_profit(company: str, customer: str) -> float | None:
	"""Invoiced net amount less the ledger's cost of every row, credit notes netted; None when a row
	of a stock item was never delivered (the ledger has no cost for it yet)."""
	total = 0.0
	for row in invoice_rows(company, customer):
		cost = row_cost(row)
		if cost is None and not row.is_stock_item and not frappe.db.exists("Product Bundle", row.item_code):
			cost = purchase_cost(row) or 0.0
		if cost is None:
			return None
		total += flt(row.base_net_amount) - cost
	return flt(total, 2)


def gl_matches_stock_ledger(test, company: str, customer: str) -> int:
	"""Every delivering voucher's cost of goods sold in the GL equals the stock value its entries took
	out (perpetual inventory); returns how many vouchers were compared."""
	vouchers = frappe.db.sql(
		"""select distinct sle.voucher_type, sle.voucher_no from `tabStock Ledger Entry` sle
		left join `tabSales Invoice` si on sle.voucher_type = 'Sales Invoice' and si.name = sle.voucher_no
		left join `tabDelivery Note` dn on sle.voucher_type = 'Delivery Note' and dn.name = sle.voucher_no
		where sle.company = %s and sle.is_cancelled = 0 and coalesce(si.customer, dn.customer) = %s""",
		(company, customer),
	)
	for voucher_type, voucher_no in vouchers:
		moved = frappe.db.sql(
			"""select sum(stock_value_difference) from `tabStock Ledger Entry`
			where voucher_type = %s and voucher_no = %s and is_cancelled = 0""",
			(voucher_type, voucher_no),
		)[0][0]
		posted = frappe.db.sql(
			"""select sum(gle.debit - gle.credit) from `tabGL Entry` gle
			join `tabAccount` account on account.name = gle.account
			where gle.voucher_type = %s and gle.voucher_no = %s and gle.is_cancelled = 0
				and account.account_type = 'Cost of Goods Sold'""",
			(voucher_type, voucher_no),
		)[0][0]
		test.assertAlmostEqual(flt(posted), -flt(moved), delta=0.01, msg=f"{voucher_type} {voucher_no}")
	return len(vouchers)


class TestGrossProfitScenarios(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		case = erpnext_case()
		case.create_company()
		case.create_item()
		case.create_bundle()
		case.create_customer()
		cls.company, cls.customer = case.company, case.customer
		cls.month = month_start(getdate(nowdate()))

	def setUp(self):
		super().setUp()
		self.case = erpnext_case()
		self.case.setUp()
		# ERPNext's setUp deletes the company's invoices and ledgers by SQL, behind the documents' backs;
		# the rebuild's refresh corrects the rollups as it would on a real site
		rollup.refresh(self.company, {(self.customer, self.month)})

	# -- what each scenario is checked against ----------------------------------------------------
	def app(self, include_linked_returns=True) -> float:
		values = get_gross_profit(self.company, nowdate(), nowdate(), include_linked_returns)
		return flt(values.get(self.customer), 2)

	def rollup_gross_profit(self) -> float:
		stored = rollup.stored_rows(self.company, self.month, self.month, [self.customer])
		figures = stored.get((self.customer, self.month), rollup.Month())
		return flt(figures.gross_profit, 2)

	def check(self, report_is_right: bool = True, expected: float | None = None):
		"""The app against the report (credit notes against an invoice left out, as it does), the ledger
		and the rollups; returns (app, report, ledger)."""
		ours = self.app()
		report = flt(report_by_customer(self.company).get(self.customer), 2)
		if report_is_right:
			self.assertEqual(self.app(include_linked_returns=False), report, "app (as the report) vs report")
		ledger = ledger_gross_profit(self.company, self.customer)
		if ledger is not None:
			self.assertEqual(ours, ledger, "app vs the ledger")
		if frappe.get_cached_value("Company", self.company, "enable_perpetual_inventory"):
			gl_matches_stock_ledger(self, self.company, self.customer)
		self.assertEqual(self.rollup_gross_profit(), ours, "rollup vs app")
		self.assertEqual(
			{
				(c, m): flt(v.gross_profit, 2)
				# the ledger read takes posting dates: the whole month (the scenarios post today)
				for (c, m), v in rollup.from_ledger(
					self.company, self.month, get_last_day(self.month)
				).items()
			},
			{
				key: flt(value.gross_profit, 2)
				for key, value in rollup.stored_rows(self.company, self.month, self.month).items()
			},
			"every rollup row of the company vs the ledger",
		)
		if expected is not None:
			self.assertEqual(ours, expected)
		return ours, report, ledger

	def run_erpnext(self, scenario: str):
		getattr(self.case, scenario)()

	# -- ERPNext's six scenarios ------------------------------------------------------------------
	def test_invoice_without_only_delivery_note(self):
		# invoiced without stock (valued at 150, the average of 100 and 200), then delivered by a note
		# made from the invoice: FIFO takes the 100 one out
		self.run_erpnext("test_invoice_without_only_delivery_note")
		self.check(expected=0.0)

	def test_bundled_delivery_note_with_different_warehouses(self):
		# a bundle of two items (100 each, two warehouses) delivered at 200 and invoiced from the note
		self.run_erpnext("test_bundled_delivery_note_with_different_warehouses")
		self.check(expected=0.0)

	def test_order_connected_dn_and_inv(self):
		# a Sales Order delivered by one note and invoiced apart: the note's average incoming rate
		self.run_erpnext("test_order_connected_dn_and_inv")
		self.check(expected=-100.0)

	def test_crnote_against_invoice_with_multiple_instances_of_same_item(self):
		# no stock at all: two rows of 100, both returned. The report leaves the credit note out (200);
		# netted, nothing was earned
		self.run_erpnext("test_crnote_against_invoice_with_multiple_instances_of_same_item")
		ours, report, _ledger = self.check(expected=0.0)
		self.assertEqual(report, 200.0)

	def test_standalone_cr_notes(self):
		self.run_erpnext("test_standalone_cr_notes")
		self.check(expected=-100.0)

	def test_different_rates_in_si_and_dn(self):
		# 10 ordered and delivered at 700 by two notes, 4 invoiced at 800 apart from them
		self.run_erpnext("test_different_rates_in_si_and_dn")
		self.check(expected=400.0)

	# -- the cases the file does not reach --------------------------------------------------------
	def receive(self, item: str, qty: float, rate: float, warehouse: str | None = None):
		from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

		return make_stock_entry(
			company=self.company,
			item_code=item,
			target=warehouse or self.case.warehouse,
			qty=qty,
			basic_rate=rate,
		)

	def sell(self, item: str, qty: float, rate: float, update_stock: int = 1, **more):
		from erpnext.accounts.doctype.sales_invoice.test_sales_invoice import create_sales_invoice

		case = self.case
		return create_sales_invoice(
			qty=qty,
			rate=rate,
			company=self.company,
			customer=self.customer,
			item_code=item,
			item_name=item,
			cost_center=case.cost_center,
			warehouse=case.warehouse,
			debit_to=case.debit_to,
			parent_cost_center=case.cost_center,
			update_stock=update_stock,
			currency="INR",
			income_account=case.income_account,
			expense_account=case.expense_account,
			**more,
		)

	def test_update_stock_invoice_with_a_linked_return(self):
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		self.receive(self.case.item, 10, 100)
		invoice = self.sell(self.case.item, 5, 150)
		credit = make_sales_return(invoice.name)
		credit.items[0].qty = -2
		credit.save().submit()
		# 5 × 50 earned, 2 × 50 of it returned; the report leaves the credit note out
		ours, report, ledger = self.check(expected=150.0)
		self.assertEqual(report, 250.0)

	def test_delivery_note_of_4_invoiced_as_2(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		self.receive(self.case.item, 10, 100)
		note = self.case.create_delivery_note(qty=4, rate=150)
		invoice = make_sales_invoice(note.name)
		invoice.items[0].qty = 2
		invoice.save().submit()
		# half of what the note took out of stock (4 × 100) is the cost of the 2 invoiced
		ours, report, ledger = self.check(report_is_right=False, expected=100.0)
		self.report_on_delivery_note_invoices(report, ours, delivered_cost=400.0, invoiced_share=0.5)

	def report_on_delivery_note_invoices(self, report, ours, delivered_cost, invoiced_share):
		"""On an invoice made from a Delivery Note the report has been seen to charge the note's cost
		twice (ERPNext 15.18.3, fixed upstream later); on this scenario it may agree. The ledger decides,
		and the app follows the ledger."""
		once = ours
		twice = flt(ours - delivered_cost * invoiced_share, 2)
		self.assertIn(report, (once, twice))

	def test_bundle_on_an_update_stock_invoice(self):
		self.receive(self.case.item, 1, 100)
		self.receive(self.case.item2, 1, 100)
		self.sell(self.case.bundle, 1, 300)
		# the packed items' entries cost 100 + 100
		self.check(expected=100.0)

	def test_bundle_of_two_per_bundle(self):
		"""A packed item at 2 per bundle: the report divides the entry's value (2 × 100) by the packed
		qty (2) but multiplies by the bundle qty (1), charging 100; the ledger took 200 out."""
		from erpnext.selling.doctype.product_bundle.test_product_bundle import make_product_bundle
		from erpnext.stock.doctype.item.test_item import create_item

		bundle = create_item(
			"_Test GP bundle of two", is_stock_item=0, company=self.company, warehouse=self.case.warehouse
		).name
		make_product_bundle(parent=bundle, items=[self.case.item], qty=2)
		self.receive(self.case.item, 2, 100)
		self.sell(bundle, 1, 500)
		ours, report, ledger = self.check(report_is_right=False, expected=300.0)
		self.assertEqual(report, 400.0)

	def test_non_stock_item_priced_by_a_purchase_invoice(self):
		from erpnext.stock.doctype.item.test_item import create_item

		service = create_item(
			"_Test GP Service", is_stock_item=0, company=self.company, warehouse=self.case.warehouse
		).name
		supplier = "_Test GP Supplier"
		if not frappe.db.exists("Supplier", supplier):
			frappe.get_doc(
				{"doctype": "Supplier", "supplier_name": supplier, "supplier_group": "All Supplier Groups"}
			).insert()
		frappe.get_doc(
			{
				"doctype": "Purchase Invoice",
				"company": self.company,
				"supplier": supplier,
				"currency": "INR",
				"credit_to": self.case.creditors,
				"items": [
					{
						"item_code": service,
						"qty": 3,
						"rate": 40,
						"cost_center": self.case.cost_center,
						"expense_account": self.case.expense_account,
					}
				],
			}
		).insert().submit()
		self.sell(service, 2, 90, update_stock=0)
		self.check(expected=100.0)

	def test_invoice_not_yet_delivered(self):
		self.receive(self.case.item, 10, 100)
		invoice = self.sell(self.case.item, 2, 150, update_stock=0)
		# nothing left stock yet: the report and the app value it at the valuation rate of its posting
		ours, report, ledger = self.check(expected=100.0)
		self.assertIsNone(ledger)
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice.name, "update_stock"), 0)
