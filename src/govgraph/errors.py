"""Typed errors: every failure a user can cause carries a message and a hint to act on."""

from __future__ import annotations


class GovGraphError(Exception):
    """Base of every error govgraph raises on purpose; the CLI prints it as one line."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class DocumentError(GovGraphError):
    """A document could not be read: empty, binary, mis-encoded, truncated or unreadable."""


class StoreError(GovGraphError):
    """The store could not be opened, read or written."""


class ValidationError(GovGraphError):
    """The graph does not conform to the SHACL shapes."""


class QueryError(GovGraphError):
    """A query is unknown, malformed, or given wrong parameters."""


class NotFoundError(GovGraphError):
    """A named thing (speech, speaker, entity) is not in the graph, or the name is ambiguous."""


class EndpointError(GovGraphError):
    """A remote SPARQL endpoint could not be reached, refused the request, or failed."""

    def __init__(self, message: str, hint: str | None = None, retryable: bool = False) -> None:
        super().__init__(message, hint)
        self.retryable = retryable
