"""ABC reclassification on a real ERPNext ledger: both bases, the Gross Profit report, history,
override, notifications, atomicity, locking and the API."""

import time
from unittest.mock import patch

import frappe
from frappe.utils import add_days, flt, today

from key_account_management.classification import reclassify as reclassify_module
from key_account_management.classification.api import reclassify_customers
from key_account_management.classification.basis import get_gross_profit, get_net_revenue
from key_account_management.classification.reclassify import reclassify
from key_account_management.core.periods import trailing_period
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

ALPHA, BETA, GAMMA, DELTA, EPSILON, ZETA = (
	f"KAM-GP-{n}" for n in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta")
)
SCENARIO = (ALPHA, BETA, GAMMA, DELTA, ZETA)
STOCK_1, STOCK_2, SERVICE = "KAM-GP-STOCK-1", "KAM-GP-STOCK-2", "KAM-GP-SERVICE"
MANAGER = "kam.gp.manager@example.com"


def set_settings(**values):
	f.save_settings(
		{
			"company": f.COMPANY,
			"basis": "Gross Profit",
			"period_months": 12,
			"a_threshold": 80,
			"b_threshold": 95,
			"auto_create_profiles": 0,
			**values,
		}
	)


def erpnext_gross_profit_by_customer(from_date, to_date):
	from erpnext.accounts.report.gross_profit.gross_profit import execute

	columns, data = execute(
		frappe._dict(company=f.COMPANY, from_date=from_date, to_date=to_date, group_by="Customer")
	)[:2]
	index = {column["fieldname"]: i for i, column in enumerate(columns)}
	return {row[index["customer"]]: flt(row[index["gross_profit"]]) for row in data if row[index["customer"]]}


def erpnext_gross_profit_by_invoice(from_date, to_date):
	"""ERPNext's Gross Profit report grouped by invoice: {invoice: gross profit}."""
	from erpnext.accounts.report.gross_profit.gross_profit import execute

	_columns, data = execute(
		frappe._dict(company=f.COMPANY, from_date=from_date, to_date=to_date, group_by="Invoice")
	)[:2]
	return {row["sales_invoice"]: flt(row["gross_profit"]) for row in data if not row.get("indent")}


def delivering_rows(from_date, to_date, customers):
	"""Every submitted invoice row of ``customers`` in the period with the voucher row that moved its goods:
	the invoice row itself when the invoice updated stock (a credit note's too), else the Delivery Note row
	it was made from; None when no stock moved (a non-stock item, or an invoice without stock update)."""
	return frappe.db.sql(
		"""select si.customer, si.name as invoice, sii.name as row_name, sii.base_net_amount, sii.stock_qty,
			sii.expense_account,
			case when si.update_stock = 1 then 'Sales Invoice'
				when ifnull(sii.dn_detail, '') != '' then 'Delivery Note' end as voucher_type,
			case when si.update_stock = 1 then si.name
				when ifnull(sii.dn_detail, '') != '' then sii.delivery_note end as voucher_no,
			case when si.update_stock = 1 then sii.name
				when ifnull(sii.dn_detail, '') != '' then sii.dn_detail end as voucher_detail_no,
			dni.stock_qty as delivered_qty
		from `tabSales Invoice` si
		join `tabSales Invoice Item` sii on sii.parent = si.name and sii.parenttype = 'Sales Invoice'
		left join `tabDelivery Note Item` dni on dni.name = sii.dn_detail
		where si.docstatus = 1 and si.company = %(company)s and si.customer in %(customers)s
			and si.posting_date between %(from_date)s and %(to_date)s""",
		{"company": f.COMPANY, "customers": tuple(customers), "from_date": from_date, "to_date": to_date},
		as_dict=True,
	)


def stock_ledger_cost(row) -> float | None:
	"""What the goods of ``row`` cost, from the stock ledger: the value that left stock with the delivering
	voucher row (a return brings value back: negative cost), the invoiced share of a delivery; None when
	the row moved no stock (a non-stock item)."""
	if not row.voucher_type:
		return None
	entries, moved = frappe.db.sql(
		"""select count(*), sum(stock_value_difference) from `tabStock Ledger Entry`
		where voucher_type = %s and voucher_no = %s and voucher_detail_no = %s and is_cancelled = 0""",
		(row.voucher_type, row.voucher_no, row.voucher_detail_no),
	)[0]
	if not entries:
		return None
	share = flt(row.stock_qty) / flt(row.delivered_qty) if row.voucher_type == "Delivery Note" else 1.0
	return -flt(moved) * share


def ground_truth_gross_profit(from_date, to_date, customers):
	"""Gross profit per customer from the ledgers: invoiced net amount less the stock ledger's cost of the
	delivering voucher rows, credit notes netted; invoices that moved no stock (non-stock items, stock
	items invoiced without a stock update) from ERPNext's report by invoice, which is right for them."""
	by_invoice = erpnext_gross_profit_by_invoice(from_date, to_date)
	truth: dict[str, float] = {}
	moving, still = set(), set()
	for row in delivering_rows(from_date, to_date, customers):
		cost = stock_ledger_cost(row)
		if cost is not None:
			truth[row.customer] = truth.get(row.customer, 0.0) + flt(row.base_net_amount) - cost
			moving.add(row.invoice)
		else:
			still.add((row.customer, row.invoice))
	assert not moving & {invoice for _customer, invoice in still}, "an invoice both moved stock and not"
	for customer, invoice in still:
		truth[customer] = truth.get(customer, 0.0) + by_invoice[invoice]
	return truth


class TestABCReclassification(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		set_settings()
		for item in (STOCK_1, STOCK_2):
			f.make_item(item)
		f.make_item(SERVICE, is_stock_item=0)
		f.make_user(MANAGER, "Key Account Manager")
		for customer in (*SCENARIO, EPSILON):
			f.make_customer(customer)

		f.receive_stock(STOCK_1, 100, 60, f.days_ago(90))
		f.receive_stock(STOCK_2, 100, 30, f.days_ago(90))
		f.purchase(SERVICE, 10, 40, f.days_ago(85))

		# Alpha: invoice with update stock, then a credit note returning 2 of the 10
		alpha_invoice = f.sell(ALPHA, [(STOCK_1, 10, 100)], f.days_ago(60))
		f.return_against(alpha_invoice, [(STOCK_1, 2)], f.days_ago(50))
		# Beta: delivered by a Delivery Note, invoiced from it
		f.deliver_then_invoice(BETA, [(STOCK_2, 5, 50)], f.days_ago(40))
		# Gamma: a non-stock item, costed at its last purchase rate
		f.sell(GAMMA, [(SERVICE, 3, 90)], f.days_ago(30))
		# Delta: a stock item invoiced without moving stock (report's average-rate fallback) + a loss line
		f.sell(DELTA, [(STOCK_1, 1, 120)], f.days_ago(20), update_stock=0)
		f.sell(DELTA, [(STOCK_2, 2, 20)], f.days_ago(20))
		# Zeta: sold below cost
		f.sell(ZETA, [(STOCK_1, 1, 10)], f.days_ago(15))

		frappe.get_doc(
			{"doctype": "Key Account Profile", "customer": ALPHA, "account_manager": MANAGER}
		).insert(ignore_permissions=True)
		frappe.get_doc({"doctype": "Key Account Profile", "customer": EPSILON}).insert(
			ignore_permissions=True
		)
		cls.from_date, cls.to_date = trailing_period(frappe.utils.getdate(today()), 12)

	def setUp(self):
		super().setUp()
		set_settings()

	def scenario(self, values):
		return {c: flt(v, 2) for c, v in values.items() if c in SCENARIO}

	# -- basis ---------------------------------------------------------------------------------
	def test_gross_profit_equals_the_stock_ledger(self):
		"""The ground truth is the ledger: what each delivering voucher row took out of stock (and, where
		perpetual inventory posts it, the cost of goods sold in the GL), against what was invoiced."""
		ours = get_gross_profit(f.COMPANY, self.from_date, self.to_date)
		truth = ground_truth_gross_profit(self.from_date, self.to_date, SCENARIO)
		self.assertEqual(set(truth), set(SCENARIO))
		for customer in SCENARIO:
			self.assertAlmostEqual(ours[customer], truth[customer], delta=0.01, msg=customer)

	def test_the_stock_ledgers_cost_is_the_gls_cost_of_goods_sold(self):
		if not frappe.get_cached_value("Company", f.COMPANY, "enable_perpetual_inventory"):
			self.skipTest("perpetual inventory is off: the GL posts no cost of goods sold")
		vouchers: dict[tuple, list] = {}
		for row in delivering_rows(self.from_date, self.to_date, SCENARIO):
			if stock_ledger_cost(row) is not None:
				vouchers.setdefault((row.voucher_type, row.voucher_no, row.expense_account), []).append(row)
		self.assertTrue(vouchers)
		for (voucher_type, voucher_no, account), rows in vouchers.items():
			posted = frappe.db.sql(
				"""select sum(debit - credit) from `tabGL Entry`
				where voucher_type = %s and voucher_no = %s and account = %s and is_cancelled = 0""",
				(voucher_type, voucher_no, account),
			)[0][0]
			self.assertAlmostEqual(
				flt(posted), sum(stock_ledger_cost(row) for row in rows), delta=0.01, msg=voucher_no
			)

	def test_gross_profit_equals_erpnext_gross_profit_report_where_the_report_is_right(self):
		"""ERPNext's report is the reference for invoices that update stock themselves and for items that
		move no stock. For invoices made from Delivery Notes the ledger is the reference (test above):
		ERPNext 15.18.3's report was reported to charge the delivery note's cost twice."""
		ours = get_gross_profit(f.COMPANY, self.from_date, self.to_date, include_linked_returns=False)
		report = erpnext_gross_profit_by_customer(self.from_date, self.to_date)
		self.assertEqual(set(self.scenario(ours)), set(SCENARIO))
		for customer in (ALPHA, GAMMA, DELTA, ZETA):
			tolerance = max(0.01, abs(report[customer]) * 0.001)
			self.assertAlmostEqual(ours[customer], report[customer], delta=tolerance, msg=customer)
		# every customer of the company, not only the scenario's
		self.assertEqual(set(ours), set(report))

	def test_a_delivery_notes_cost_is_charged_once(self):
		ours = get_gross_profit(f.COMPANY, self.from_date, self.to_date)
		self.assertAlmostEqual(ours[BETA], 250.0 - 150.0, delta=0.01)  # 5 × 50 invoiced, 5 × 30 delivered
		report = erpnext_gross_profit_by_customer(self.from_date, self.to_date)
		# the report agrees here (as on this bench's 15.18.3) or charges the 150 twice (as reported for
		# 15.18.3): either way the app's figure is the ledger's
		self.assertIn(round(report[BETA], 2), (100.0, -50.0))

	def test_gross_profit_values_by_path(self):
		ours = self.scenario(get_gross_profit(f.COMPANY, self.from_date, self.to_date))
		self.assertEqual(
			ours,
			{
				ALPHA: 320.0,  # 10 × (100 − 60), less the 2 returned: −200 + 120
				BETA: 100.0,  # 5 × (50 − 30) through the Delivery Note's ledger entry
				GAMMA: 150.0,  # 3 × (90 − 40 last purchase rate)
				DELTA: 40.0,  # (120 − 60) + 2 × (20 − 30)
				ZETA: -50.0,
			},
		)

	def test_linked_credit_notes_are_netted_where_the_report_leaves_them_out(self):
		report = erpnext_gross_profit_by_customer(self.from_date, self.to_date)
		ours = get_gross_profit(f.COMPANY, self.from_date, self.to_date)
		self.assertAlmostEqual(report[ALPHA], 400.0, delta=0.01)
		self.assertAlmostEqual(ours[ALPHA], 320.0, delta=0.01)

	def test_net_revenue_nets_credit_notes(self):
		ours = self.scenario(get_net_revenue(f.COMPANY, self.from_date, self.to_date))
		self.assertEqual(ours, {ALPHA: 800.0, BETA: 250.0, GAMMA: 270.0, DELTA: 160.0, ZETA: 10.0})

	# -- classification ------------------------------------------------------------------------
	def classes(self):
		return dict(
			frappe.db.sql(
				"select name, kam_abc_class from tabCustomer where name in %s", [(*SCENARIO, EPSILON)]
			)
		)

	def test_classes_on_gross_profit(self):
		summary = reclassify(f.COMPANY)
		# 610 total: Alpha 52%, Gamma → 77%, Beta → 93%, Delta → 100%; Zeta negative; Epsilon no sales
		self.assertEqual(
			self.classes(),
			{ALPHA: "A", GAMMA: "A", BETA: "A", DELTA: "B", ZETA: "C", EPSILON: "C"},
		)
		for key in ("classified", "A", "B", "C", "changed"):
			self.assertIn(key, summary)
		profile = frappe.get_doc("Key Account Profile", ALPHA)
		self.assertEqual(profile.abc_class, "A")
		self.assertEqual(profile.computed_abc_class, "A")
		self.assertAlmostEqual(profile.basis_value, 320.0, delta=0.01)
		self.assertEqual(profile.abc_rank, 1)
		self.assertAlmostEqual(profile.cumulative_share_percent, 320 / 610 * 100, delta=0.01)
		self.assertEqual(frappe.db.get_value("Key Account Profile", EPSILON, "abc_class"), "C")

	def test_classes_on_net_revenue(self):
		set_settings(basis="Net Revenue")
		reclassify(f.COMPANY)
		self.assertEqual(
			self.classes(),
			{ALPHA: "A", GAMMA: "A", BETA: "A", DELTA: "B", ZETA: "C", EPSILON: "C"},
		)
		set_settings(a_threshold=50, b_threshold=80)
		reclassify(f.COMPANY)
		classes = self.classes()
		self.assertEqual((classes[ALPHA], classes[GAMMA], classes[BETA]), ("A", "B", "B"))

	def test_rerun_on_unchanged_data_changes_nothing(self):
		reclassify(f.COMPANY)
		history = frappe.db.count("Key Account Class History")
		notifications = frappe.db.count("Notification Log")
		summary = reclassify(f.COMPANY)
		self.assertEqual(summary["changed"], 0)
		self.assertEqual(summary["profiles_updated"], 0)
		self.assertEqual(frappe.db.count("Key Account Class History"), history)
		self.assertEqual(frappe.db.count("Notification Log"), notifications)

	def test_change_is_logged_and_the_account_manager_notified(self):
		frappe.db.set_value("Key Account Profile", ALPHA, {"abc_class": "C", "computed_abc_class": "C"})
		reclassify(f.COMPANY)
		profile = frappe.get_doc("Key Account Profile", ALPHA)
		last = profile.class_history[-1]
		self.assertEqual((last.from_class, last.to_class, last.source), ("C", "A", "Computed"))
		self.assertAlmostEqual(flt(last.basis_value), 320.0, delta=0.01)
		self.assertEqual(last.changed_by, "Administrator")
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": MANAGER, "document_type": "Key Account Profile", "document_name": ALPHA},
			)
		)

	def test_override_wins_while_valid_and_computed_class_stays_visible(self):
		reclassify(f.COMPANY)
		profile = frappe.get_doc("Key Account Profile", EPSILON)
		profile.override_class = "A"
		profile.override_reason = "Strategic account signed last week"
		profile.override_valid_until = add_days(today(), 30)
		profile.save(ignore_permissions=True)
		self.assertEqual(profile.abc_class, "A")
		self.assertEqual(profile.computed_abc_class, "C")
		self.assertEqual(profile.class_history[-1].source, "Override")
		self.assertEqual(frappe.db.get_value("Customer", EPSILON, "kam_abc_class"), "A")

		reclassify(f.COMPANY)  # a run keeps a valid override
		self.assertEqual(frappe.db.get_value("Key Account Profile", EPSILON, "abc_class"), "A")

		frappe.db.set_value("Key Account Profile", EPSILON, "override_valid_until", add_days(today(), -1))
		reclassify(f.COMPANY)  # ... and drops an expired one
		self.assertEqual(frappe.db.get_value("Key Account Profile", EPSILON, "abc_class"), "C")
		self.assertEqual(frappe.db.get_value("Customer", EPSILON, "kam_abc_class"), "C")

	def test_failed_run_leaves_every_class_as_it_was(self):
		reclassify(f.COMPANY)
		before = self.classes()
		set_settings(a_threshold=10, b_threshold=20)  # would move most classes
		with patch.object(reclassify_module, "log_history", side_effect=RuntimeError("killed")):
			self.assertRaises(RuntimeError, reclassify, f.COMPANY)
		self.assertEqual(self.classes(), before)
		self.assertEqual(frappe.db.get_value("Key Account Profile", ALPHA, "abc_class"), "A")

	def test_two_runs_cannot_overlap(self):
		with f.lock_held_elsewhere(reclassify_module.lock_name(f.COMPANY)) as acquired:
			self.assertEqual(acquired, 1)
			self.assertRaises(frappe.ValidationError, reclassify, f.COMPANY)
		# the server frees the lock once it has handled the disconnect, a moment after close()
		key = f"{frappe.conf.db_name}:{reclassify_module.lock_name(f.COMPANY)}"[:64]
		for _attempt in range(50):
			if frappe.db.sql("select is_free_lock(%s)", key)[0][0]:
				break
			time.sleep(0.1)
		reclassify(f.COMPANY)  # the lock died with its connection

	def test_cancelled_invoice_is_reflected_at_the_next_run(self):
		eta = f.make_customer("KAM-GP-Eta")
		invoice = f.sell(eta, [(STOCK_2, 10, 500)], f.days_ago(5))
		reclassify(f.COMPANY)
		self.assertEqual(frappe.db.get_value("Customer", eta, "kam_abc_class"), "A")
		invoice.reload()
		invoice.cancel()
		reclassify(f.COMPANY)
		self.assertIsNone(frappe.db.get_value("Customer", eta, "kam_abc_class") or None)

	# -- API and report ------------------------------------------------------------------------
	def test_api_runs_now_for_directors_only(self):
		summary = reclassify_customers(company=f.COMPANY, now=True)
		self.assertIn("classified", summary)
		f.make_user("kam.gp.director@example.com", "Key Account Director")
		frappe.set_user("kam.gp.director@example.com")
		self.assertEqual(reclassify_customers(company=f.COMPANY, now=True)["changed"], 0)
		frappe.set_user(MANAGER)
		self.assertRaises(frappe.PermissionError, reclassify_customers, company=f.COMPANY, now=True)
		frappe.set_user("Administrator")
		self.assertRaises(frappe.DoesNotExistError, reclassify_customers, company="No Such Co", now=True)

	def test_invoice_submit_does_not_reclassify(self):
		reclassify(f.COMPANY)
		before = self.classes()
		f.sell(ZETA, [(STOCK_2, 50, 900)], f.days_ago(1))  # would make Zeta an A
		self.assertEqual(self.classes(), before)

	def test_abc_analysis_report(self):
		from key_account_management.key_account_management.report.abc_analysis.abc_analysis import execute

		reclassify(f.COMPANY)
		columns, data, _message, chart, summary = execute({"company": f.COMPANY, "basis": "Gross Profit"})
		rows = {row["customer"]: row for row in data}
		self.assertEqual(rows[ALPHA]["rank"], 1)
		self.assertEqual(rows[ALPHA]["abc_class"], "A")
		self.assertEqual(rows[ALPHA]["previous_class"], "A")
		self.assertEqual(rows[ZETA]["abc_class"], "C")
		self.assertAlmostEqual(rows[DELTA]["cumulative_share"], 100.0, delta=0.01)
		self.assertEqual(chart["type"], "axis-mixed")
		self.assertEqual([d["chartType"] for d in chart["data"]["datasets"]], ["bar", "line"])
		self.assertEqual(
			{c["fieldname"] for c in columns}
			>= {
				"rank",
				"customer",
				"basis_value",
				"share",
				"cumulative_share",
				"abc_class",
				"previous_class",
			},
			True,
		)
		_c, only_c, *_ = execute({"company": f.COMPANY, "basis": "Net Revenue", "abc_class": "C"})
		self.assertTrue(all(row["abc_class"] == "C" for row in only_c))
