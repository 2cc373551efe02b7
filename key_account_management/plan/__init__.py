"""The account plan (客户计划 / 大客户经营计划, docs/DOMAIN.md §10): objectives with measures whose actuals
come from the account's data, progress against what is expected by now, for the manager and director.

- validation.py: what a plan must hold before it is saved (period, targets, one active plan, closed plans).
- actuals.py: every active plan's actuals, set-based, from the monthly rollups, visits, opportunities and
  the profile's levels; stored on the measures with their expected-by-now and status.
- api.py: refresh a plan now, start next period's plan as a copy.
- permissions.py: a plan follows its key account's row rules.
- jobs.py: the nightly refresh.
The arithmetic (expected by now, status, bad input) is plain Python in core/plan.py.
"""
