"""Fixtures the service tests share across packages."""

from tests.services.state_machines import fresh_db  # noqa: F401 (a fixture for the stateful tests)
