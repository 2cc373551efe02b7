"""The commercial position's rules (docs/DOMAIN.md §12): overdue by payment terms, oldest overdue days."""

import datetime as dt

from key_account_management.core.commercial import last_months, overdue_days, overdue_of

D = dt.date
TODAY = D(2026, 12, 7)


def test_an_invoice_past_its_due_date_is_overdue_in_full():
	result = overdue_of(100, [(D(2026, 11, 1), 100)], TODAY)
	assert result.amount == 100 and result.oldest_due_date == D(2026, 11, 1)
	assert overdue_days(result.oldest_due_date, TODAY) == 36


def test_due_today_or_later_is_not_overdue():
	assert overdue_of(100, [(TODAY, 100)], TODAY).amount == 0
	assert overdue_of(100, [(D(2027, 1, 1), 100)], TODAY).oldest_due_date is None


def test_payments_go_to_the_earliest_terms_first():
	terms = [(D(2026, 10, 1), 50), (D(2026, 11, 1), 30), (D(2027, 1, 1), 20)]
	# 60 paid: the first term is paid, 20 of the second is left, the third is not due yet
	result = overdue_of(40, terms, TODAY)
	assert result.amount == 20 and result.oldest_due_date == D(2026, 11, 1)


def test_paid_or_credited_in_full_is_nothing():
	assert overdue_of(0, [(D(2026, 1, 1), 100)], TODAY).amount == 0
	assert overdue_of(-5, [(D(2026, 1, 1), 100)], TODAY).oldest_due_date is None


def test_an_outstanding_above_the_terms_is_due_with_the_last_term():
	result = overdue_of(101, [(D(2026, 11, 1), 100)], TODAY)
	assert result.amount == 101


def test_no_overdue_days_without_an_overdue_date():
	assert overdue_days(None, TODAY) == 0


def test_the_twelve_months_end_with_this_month():
	months = last_months(D(2026, 11, 22))
	assert months[0] == D(2025, 12, 1) and months[-1] == D(2026, 11, 1) and len(months) == 12
