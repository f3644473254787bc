"""Helpers shared by the tests and the benchmarks: a real server, started as users start it."""
