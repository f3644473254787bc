"""Accounts: login and logout, roles, series access, API tokens."""
