"""Demo data: `bench --site <site> execute key_account_management.demo.make_demo` (and remove_demo)."""

from key_account_management.demo.make import demo_logins, make_demo, remove_demo
