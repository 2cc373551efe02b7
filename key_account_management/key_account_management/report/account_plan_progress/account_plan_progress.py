# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from key_account_management.plan.progress import PlanProgress


def execute(filters=None):
	return PlanProgress(filters).run()
