"""Errors a service raises on purpose. Their message is safe and clear enough to show a user."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ServiceError):
    """The caller may not do this (wrong role, or not their object). Same message whether or not
    the object exists, so ids cannot be probed."""

    def __init__(self, message: str = "You are not allowed to do that.") -> None:
        super().__init__(message)


class NotFound(ServiceError):
    pass
