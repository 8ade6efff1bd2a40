"""Benchmarks: scripts run by scripts/benchmark.sh, and the web benchmark's server settings."""
