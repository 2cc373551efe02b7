"""The account's commercial position and its ERPNext documents (docs/DOMAIN.md §12).

- doctypes.py: the ERPNext document types opened from the profile, their customer fields and child
  tables (plain: hooks.py imports it).
- position.py: credit limit, receivables, overdue, open orders and the 12 months' chart of an account.
- api.py: the profile's Commercial tab reads it (whitelisted, read-only).
- permissions.py: the account's people read those documents, only those of their accounts' customers.

Plain itself (no frappe): hooks.py imports doctypes.py through it.
"""
