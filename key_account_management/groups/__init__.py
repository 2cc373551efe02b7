"""Group accounts (集团客户): a profile that covers several ERPNext Customers (docs/DOMAIN.md §13)."""
