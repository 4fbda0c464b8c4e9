"""Domain errors: each carries a message fit to show to the user."""


class DomainError(Exception):
    """A rule of the service refused the action. The message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidTransition(DomainError):
    """A status change that the lifecycle does not allow."""


class NotEligible(DomainError):
    """An action that needs an eligible decision was tried without one."""


class ConcurrentEdit(DomainError):
    """Someone else changed the record since this person loaded it."""
