"""The monthly rollups equal the ledger after random submits, cancels, returns, deliveries and
valuation reposts; the rebuild finds and corrects what differs; the reclassification on the rollups
gives the classes a full read of the ledger gives; only directors and system managers read them."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import frappe
from frappe.utils import add_days, flt, getdate, today

from key_account_management.classification import rollup, rollup_read
from key_account_management.classification.basis import get_gross_profit, get_net_revenue
from key_account_management.classification.reclassify import reclassify
from key_account_management.classification.rollup_rebuild import rebuild
from key_account_management.core.abc_classification import classify
from key_account_management.core.periods import calendar_months
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

CUSTOMERS = tuple(f"KAM-RU-{n}" for n in ("North", "South", "East", "West", "Centre"))
STOCK_1, STOCK_2, SERVICE = "KAM-RU-STOCK-1", "KAM-RU-STOCK-2", "KAM-RU-SERVICE"
DIRECTOR, MANAGER = "kam.ru.director@example.com", "kam.ru.manager@example.com"
SEED = 20


def ledger_months():
	return rollup.from_ledger(f.COMPANY, customers=CUSTOMERS)


def stored_months():
	return rollup.stored_rows(f.COMPANY, customers=CUSTOMERS)


def make_delivery_note_from(invoice):
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_delivery_note

	note = make_delivery_note(invoice.name)
	note.posting_date = invoice.posting_date
	note.set_posting_time = 1
	note.insert(ignore_permissions=True)
	note.submit()
	return note


class TestMonthlyRollup(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_users({"Key Account Director": (DIRECTOR,), "Key Account Manager": (MANAGER,)})
		for item in (STOCK_1, STOCK_2):
			f.make_item(item)
		f.make_item(SERVICE, is_stock_item=0)
		for customer in CUSTOMERS:
			f.make_customer(customer)
		f.receive_stock(STOCK_1, 1000, 50, f.days_ago(130))
		f.receive_stock(STOCK_2, 1000, 20, f.days_ago(130))
		f.purchase(SERVICE, 10, 30, f.days_ago(125))
		cls.operations = cls.random_operations(random.Random(SEED))

	@classmethod
	def random_operations(cls, rnd: random.Random) -> list[str]:
		"""Submits of every kind, credit notes, deliveries of undelivered invoices, cancels, and two
		valuation reposts (a back-dated receipt, a back-dated cancel), spread over four months."""
		done, invoices, undelivered = [], [], []
		for step in range(36):
			customer = rnd.choice(CUSTOMERS)
			days = rnd.randint(0, 110)
			item = rnd.choice((STOCK_1, STOCK_2))
			qty, rate = rnd.randint(1, 9), rnd.choice((40, 60, 75, 90))
			kind = rnd.choice(("update stock", "update stock", "from note", "undelivered", "service"))
			if kind == "update stock":
				invoices.append(f.sell(customer, [(item, qty, rate), (SERVICE, 1, 50)], f.days_ago(days)))
			elif kind == "from note":
				invoices.append(f.deliver_then_invoice(customer, [(item, qty, rate)], f.days_ago(days)))
			elif kind == "undelivered":
				invoice = f.sell(customer, [(item, qty, rate)], f.days_ago(days), update_stock=0)
				invoices.append(invoice)
				undelivered.append(invoice)
			else:
				invoices.append(f.sell(customer, [(SERVICE, qty, rate)], f.days_ago(days), update_stock=0))
			done.append(kind)
			if step % 6 == 5 and invoices:
				original = rnd.choice([i for i in invoices if i.update_stock])
				row = original.items[0]
				returned_on = min(getdate(add_days(original.posting_date, 3)), getdate(today()))
				f.return_against(original, [(row.item_code, 1)], str(returned_on))
				done.append("credit note")
			if step % 9 == 8 and undelivered:
				make_delivery_note_from(undelivered.pop(0))
				done.append("delivery of an invoice")
			if step % 10 == 9:
				# a stock-moving invoice with nothing made from it, cancelled: its later entries repost
				candidates = [
					i
					for i in invoices
					if i.update_stock
					and not frappe.db.exists("Sales Invoice", {"return_against": i.name, "docstatus": 1})
				]
				if candidates:
					victim = rnd.choice(candidates)
					invoices.remove(victim)
					victim.reload()
					victim.cancel()
					done.append("cancel")
		# a receipt dated before most of the sales, at another rate: ERPNext reposts every later entry
		f.receive_stock(STOCK_1, 200, 80, f.days_ago(115))
		done.append("back-dated receipt")
		return done

	def assert_rollups_equal_the_ledger(self):
		stored, ledger = stored_months(), ledger_months()
		self.assertEqual(set(stored), set(ledger))
		for key in ledger:
			self.assertEqual(rollup.compare(stored[key], ledger[key], 2), [], msg=str(key))

	def test_rollups_equal_the_ledger_after_random_postings(self):
		self.assertGreaterEqual(self.operations.count("cancel"), 2)
		self.assertIn("credit note", self.operations)
		self.assertIn("delivery of an invoice", self.operations)
		reposts = frappe.get_all(
			"Repost Item Valuation", filters={"docstatus": 1, "status": "Completed"}, pluck="name"
		)
		self.assertTrue(reposts, "the back-dated receipt and cancels reposted valuations")
		self.assertGreaterEqual(len({month for _customer, month in ledger_months()}), 4)
		self.assert_rollups_equal_the_ledger()

	def test_invoice_counts_and_item_groups_equal_a_hand_count_of_the_documents(self):
		# counted from the documents one by one, not by the app's SQL: the item groups come from the
		# gross-profit pass itself, so a comparison with from_ledger alone would prove nothing
		counts, groups = Counter(), defaultdict(set)
		for invoice in frappe.get_all(
			"Sales Invoice",
			filters={"docstatus": 1, "company": f.COMPANY, "customer": ("in", CUSTOMERS)},
			fields=["name", "customer", "posting_date", "is_return"],
		):
			key = (invoice.customer, getdate(invoice.posting_date).replace(day=1))
			counts[key] += 1
			if not invoice.is_return:
				for row in frappe.get_doc("Sales Invoice", invoice.name).items:
					if row.item_group:
						groups[key].add(row.item_group)
		stored = stored_months()
		self.assertTrue(groups)
		self.assertEqual({key: month.invoice_count for key, month in stored.items()}, dict(counts))
		self.assertEqual(
			{key: month.item_groups for key, month in stored.items() if month.item_groups}, dict(groups)
		)

	def test_the_repost_moved_the_cost_and_the_rollups_followed(self):
		"""The back-dated receipt at 80 raised the cost of later STOCK_1 sales; the rollups hold the new
		cost, not the one the invoices had when they were submitted."""
		moved = frappe.db.sql(
			"""select count(*) from `tabStock Ledger Entry`
			where item_code = %s and voucher_type in ('Sales Invoice', 'Delivery Note') and is_cancelled = 0
				and abs(stock_value_difference / actual_qty) > 50.001""",
			STOCK_1,
		)[0][0]
		self.assertGreater(moved, 0)
		from_date, to_date = calendar_months(getdate(today()), 12)
		ledger = get_gross_profit(f.COMPANY, from_date, to_date)
		ours = rollup_read.basis_values("Gross Profit", f.COMPANY, from_date, to_date, CUSTOMERS)
		for customer in CUSTOMERS:
			if customer in ledger:
				self.assertAlmostEqual(ours[customer], ledger[customer], delta=0.005, msg=customer)

	def test_net_revenue_and_gross_profit_equal_a_full_ledger_read(self):
		from_date, to_date = calendar_months(getdate(today()), 12)
		for basis, read in (("Net Revenue", get_net_revenue), ("Gross Profit", get_gross_profit)):
			ledger = {c: flt(v, 2) for c, v in read(f.COMPANY, from_date, to_date).items()}
			ours = {
				c: flt(v, 2)
				for c, v in rollup_read.basis_values(basis, f.COMPANY, from_date, to_date).items()
			}
			self.assertEqual(ours, ledger, basis)
			self.assertEqual(classify(ours, 80, 95), classify(ledger, 80, 95), basis)

	def test_submit_and_cancel_of_one_invoice(self):
		customer = CUSTOMERS[0]
		key = (customer, rollup.month_start(getdate(today())))
		before = stored_months().get(key, rollup.Month())
		invoice = f.sell(customer, [(STOCK_2, 3, 99), (SERVICE, 2, 45)], today())
		after = stored_months()[key]
		self.assertAlmostEqual(after.net_revenue - before.net_revenue, 3 * 99 + 2 * 45, delta=0.001)
		self.assertEqual(after.invoice_count, before.invoice_count + 1)
		self.assertEqual(getdate(after.last_order_date), getdate(today()))
		invoice.reload()
		invoice.cancel()
		restored = stored_months().get(key, rollup.Month())
		self.assertEqual(rollup.compare(restored, before, 2), [])
		self.assertEqual(rollup.compare(restored, ledger_months().get(key), 2), [])

	def test_rebuild_corrects_and_reports_what_differs(self):
		stored = stored_months()
		(customer, month), figures = sorted(stored.items())[0]
		name = rollup.rollup_name(f.COMPANY, customer, month)
		frappe.db.sql(
			f"update {rollup.TABLE} set buying_amount = buying_amount + 10, gross_profit = gross_profit - 10 where name = %s",
			name,
		)
		other = sorted(stored)[-1]
		frappe.db.sql(f"delete from {rollup.TABLE} where name = %s", rollup.rollup_name(f.COMPANY, *other))
		phantom = rollup.Month(net_revenue=5, selling_amount=5, invoice_count=1)
		rollup.add(f.COMPANY, {(CUSTOMERS[1], getdate("2001-01-01")): phantom})

		summary = rebuild(f.COMPANY, commit=False)
		self.assertEqual(summary["rows_corrected"], 3)
		fields = {(d["customer"], d["month"], d["field"]) for d in summary["differences"]}
		self.assertIn((customer, str(month), "buying_amount"), fields)
		self.assertIn((other[0], str(other[1]), "net_revenue"), fields)
		self.assertIn((CUSTOMERS[1], "2001-01-01", "invoice_count"), fields)
		gone = stored[other]
		largest = max(10.0, 5.0, *(abs(flt(getattr(gone, field))) for field in rollup.AMOUNTS))
		self.assertAlmostEqual(summary["largest_difference"], largest, delta=0.01)
		log = frappe.get_doc("Key Account Rollup Rebuild", summary["log"])
		self.assertEqual((log.status, log.rows_corrected, log.progress), ("Completed", 3, 100))
		self.assert_rollups_equal_the_ledger()
		# a second run finds nothing
		self.assertEqual(rebuild(f.COMPANY, commit=False)["rows_corrected"], 0)

	def test_rebuild_of_a_period_leaves_other_months_alone(self):
		stored = stored_months()
		months = sorted({month for _customer, month in stored})
		oldest, newest = months[0], months[-1]
		for month in (oldest, newest):
			key = next(k for k in stored if k[1] == month)
			frappe.db.sql(
				f"update {rollup.TABLE} set net_revenue = net_revenue + 1 where name = %s",
				rollup.rollup_name(f.COMPANY, *key),
			)
		summary = rebuild(f.COMPANY, newest, rollup.month_end(newest), commit=False)
		self.assertEqual(summary["rows_corrected"], 1)
		self.assertEqual({d["month"] for d in summary["differences"]}, {str(newest)})

	def test_reclassification_reads_the_rollups(self):
		from_date, to_date = calendar_months(getdate(today()), 12)
		frappe.db.set_single_value("Key Account Settings", {"basis": "Gross Profit", "period_months": 12})
		settings = frappe.get_single("Key Account Settings")
		reclassify(f.COMPANY)
		ledger = get_gross_profit(f.COMPANY, from_date, to_date)
		expected = classify(ledger, settings.a_threshold, settings.b_threshold)
		classes = dict(
			frappe.db.sql("select name, kam_abc_class from tabCustomer where name in %s", [CUSTOMERS])
		)
		for customer in CUSTOMERS:
			if customer in expected:
				self.assertEqual(classes[customer], expected[customer].abc_class, customer)

	def test_only_directors_read_the_rollups(self):
		frappe.set_user(DIRECTOR)
		self.assertTrue(frappe.get_list(rollup.ROLLUP, filters={"company": f.COMPANY}, limit=1))
		self.assertFalse(frappe.has_permission(rollup.ROLLUP, "write"))
		frappe.set_user(MANAGER)
		self.assertFalse(frappe.has_permission(rollup.ROLLUP, "read"))
		self.assertRaises(frappe.PermissionError, frappe.get_list, rollup.ROLLUP, limit=1)

	def test_renamed_customer_keeps_its_rows(self):
		old, new = CUSTOMERS[2], "KAM-RU-Renamed"
		self.assertTrue(any(customer == old for customer, _month in stored_months()))
		frappe.rename_doc("Customer", old, new, force=True)
		stored = rollup.stored_rows(f.COMPANY, customers=[new, old])
		ledger = rollup.from_ledger(f.COMPANY, customers=[new, old])
		self.assertTrue(ledger)
		self.assertEqual(set(stored), set(ledger))
		for key in ledger:
			self.assertEqual(rollup.compare(stored[key], ledger[key], 2), [], msg=str(key))
		# and the rows go on counting the customer's invoices under the new name
		f.sell(new, [(STOCK_2, 1, 70)], today())
		self.assertEqual(rebuild(f.COMPANY, commit=False)["rows_corrected"], 0)
		# one row per customer and month: each row is found again by its key
		self.assertFalse(
			frappe.db.sql(
				f"""select customer, month from {rollup.TABLE} where company = %s
				group by customer, month having count(*) > 1""",
				f.COMPANY,
			)
		)
		for name, customer, month in frappe.db.sql(
			f"select name, customer, month from {rollup.TABLE} where company = %s", f.COMPANY
		):
			self.assertEqual(name, rollup.rollup_name(f.COMPANY, customer, month))
