"""Accounts: roles and series access (deny by default), sessions, login limits, API tokens.

``access`` declares who may call a view (``allow``) and checks series access per
request; ``operations`` changes accounts (they flush, the caller commits);
``limits`` slows down password guessing; ``session`` tells Flask-Login who is asking;
``cli`` is the ``survey-app users`` command group.
"""
