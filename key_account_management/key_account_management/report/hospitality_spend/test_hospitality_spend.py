# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""Hospitality Spend on real requests and real gross profit: totals, recipient shares, months, officials,
spend as % of the account's gross profit, and the filters."""

import frappe
from frappe.utils import flt, get_first_day, getdate, today

from key_account_management.key_account_management.doctype.hospitality_request.test_hospitality_request import (
	ACME,
	DIRECTOR,
	DOCTYPE,
	OTHER,
	OUTSIDER,
	REQUESTER,
	STOCK_ITEM,
	HospitalityTestCase,
)
from key_account_management.key_account_management.report.hospitality_spend.hospitality_spend import execute
from key_account_management.tests import factories as f

test_ignore = ["Customer", "Contact", "User", "Key Account Profile", "Company", "Currency", "Workflow State"]


class TestHospitalitySpend(HospitalityTestCase):
	def run_report(self, **filters):
		first = getdate(today()).replace(month=1, day=1)
		columns, data, _message, chart, summary = execute(
			{"company": f.COMPANY, "from_date": first, "to_date": today(), **filters}
		)
		return columns, data, chart, summary

	def settle(self, name, amount):
		file_url = self.attach_receipt(name)
		frappe.set_user(REQUESTER)
		doc = frappe.get_doc(DOCTYPE, name)
		doc.actual_amount = amount
		doc.receipt = file_url
		doc.save()
		self.act(name, "Settle", REQUESTER)

	def test_spend_by_account_recipient_type_and_month_against_gross_profit(self):
		f.make_item(STOCK_ITEM)
		f.receive_stock(STOCK_ITEM, 20, 60, f.days_ago(40))
		f.sell(ACME, [(STOCK_ITEM, 10, 100)], f.days_ago(30))  # Acme's gross profit: 400

		meal = self.approved(amount=300, recipients=[(self.buyer, 200), (self.engineer, 100)])
		self.settle(meal, 330)  # counts with the actual amount
		self.approved(amount=100, request_type="Gift", recipients=[(self.official, 100)])
		pending = self.submitted(amount=500)  # not approved: not spend
		# an approved request of an earlier month of the year, when there is one
		earlier = self.approved(amount=50, request_type="Entertainment", recipients=[(self.buyer, 50)])
		first_of_month = get_first_day(today())
		earlier_month = (
			first_of_month
			if first_of_month.month == 1
			else first_of_month.replace(month=first_of_month.month - 1)
		)
		frappe.db.set_value(DOCTYPE, earlier, "planned_date", earlier_month)
		# another account, another manager, no profit
		frappe.set_user("Administrator")
		other_contact = f.make_contact("Hosp Other Buyer", OTHER)
		other = self.new_request(
			user=OUTSIDER, key_account=OTHER, amount=80, recipients=[(other_contact, 80)]
		)
		self.act(other.name, "Submit for Approval", OUTSIDER)
		self.act(other.name, "Approve", DIRECTOR)

		columns, data, chart, summary = self.run_report()
		self.assertIn("spend_percent_of_gp", {c["fieldname"] for c in columns})
		accounts = {row["key_account"]: row for row in data if row["indent"] == 0}
		acme = accounts[ACME]
		self.assertEqual(acme["requests"], 3)
		self.assertAlmostEqual(acme["spend"], 330 + 100 + 50, places=2)
		self.assertAlmostEqual(acme["gross_profit"], 400, places=2)
		self.assertAlmostEqual(acme["spend_percent_of_gp"], 480 / 400 * 100, places=2)
		self.assertAlmostEqual(acme["official_spend"], 100, places=2)
		self.assertEqual(acme["account_manager"], REQUESTER)
		self.assertIsNone(accounts[OTHER]["spend_percent_of_gp"])  # no profit: no percentage
		self.assertAlmostEqual(accounts[OTHER]["spend"], 80, places=2)

		children = [row for row in data if row.get("parent_row") == ACME]
		self.assertAlmostEqual(sum(row["spend"] for row in children), acme["spend"], places=2)
		this_month = getdate(today()).strftime("%Y-%m")
		by_key = {(r["month"], r["request_type"], r["contact"]): r for r in children}
		self.assertAlmostEqual(by_key[(this_month, "Meal", self.buyer)]["spend"], 220, places=2)
		self.assertAlmostEqual(by_key[(this_month, "Meal", self.engineer)]["spend"], 110, places=2)
		official = by_key[(this_month, "Gift", self.official)]
		self.assertEqual(official["is_official"], 1)
		self.assertAlmostEqual(official["spend_percent_of_gp"], 25, places=2)
		self.assertAlmostEqual(
			by_key[(earlier_month.strftime("%Y-%m"), "Entertainment", self.buyer)]["spend"], 50
		)
		self.assertNotIn(pending, {r.get("row_id") for r in data})

		self.assertEqual(len(chart["data"]["labels"]), len({r["month"] for r in children} | {this_month}))
		self.assertAlmostEqual(summary[0]["value"], 480 + 80, places=2)

		# filters: manager, class, period, type
		_c, data, _chart, _s = self.run_report(account_manager=OUTSIDER)
		self.assertEqual({r["key_account"] for r in data}, {OTHER})
		frappe.db.set_value("Key Account Profile", ACME, "abc_class", "A")
		frappe.db.set_value("Key Account Profile", OTHER, "abc_class", "C")
		_c, data, _chart, _s = self.run_report(abc_class="A")
		self.assertEqual({r["key_account"] for r in data}, {ACME})
		_c, data, _chart, _s = self.run_report(request_type="Gift")
		self.assertEqual([r["spend"] for r in data if r["indent"] == 0], [100])
		_c, data, _chart, _s = self.run_report(from_date=today())
		acme = next(r for r in data if r["key_account"] == ACME)
		self.assertAlmostEqual(acme["spend"], 430 if earlier_month < getdate(today()) else 480, places=2)

	def test_bad_filters(self):
		with self.assertRaises(frappe.ValidationError):
			self.run_report(from_date=today(), to_date="2000-01-01")
		with self.assertRaises(frappe.ValidationError):
			self.run_report(abc_class="Z")
		_c, data, chart, _s = self.run_report()
		self.assertEqual((data, chart), ([], None))
