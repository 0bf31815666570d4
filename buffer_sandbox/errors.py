"""Buffer-shaped API errors.

Domain code raises `ApiError`; the v1 dispatcher turns it into Buffer's error body
`{"success": false, "code": ..., "message": ...}` with the HTTP status Buffer groups that code under
(reference §7), so every rule lives next to the check that triggers it.
"""

from __future__ import annotations

# Buffer's own texts (reference §7); a raise site may pass a friendlier message, as Buffer itself does.
MESSAGES: dict[int, str] = {
    404: "Endpoint not found.",
    405: "Method not allowed.",
    1000: "An unknown error occurred.",
    1003: "Parameter not recognized.",
    1004: "Required parameter missing.",
    1005: "Unsupported response format.",
    1006: "Parameter value not within bounds.",
    1010: "Profile could not be found.",
    1011: "No authorization to access profile.",
    1012: "Profile did not save successfully.",
    1020: "Update could not be found.",
    1021: "No authorization to access update.",
    1022: "Update did not save successfully.",
    1025: (
        "Whoops, it looks like you've posted that one recently. Unfortunately, we're not able to "
        "post the same thing again so soon!"
    ),
    1027: "Update must be in buffer and not custom scheduled in order to move to top.",
    1029: "Event type not supported.",
    1034: "Cannot schedule updates in the past.",
}

# HTTP status per code, as grouped by the unofficial spec and kaneda/buffer-ruby (reference §7).
STATUSES: dict[int, int] = {
    404: 404,
    405: 405,
    1000: 500,
    1005: 406,
    1010: 404,
    1011: 403,
    1020: 404,
    1021: 403,
}


class ApiError(Exception):
    """A v1 request Buffer would refuse; `status` defaults to the code's group (400 for most)."""

    def __init__(self, code: int, message: str | None = None, *, status: int | None = None):
        self.code = code
        self.message = message or MESSAGES.get(code, "Error.")
        self.status = status or STATUSES.get(code, 400)
        super().__init__(f"{self.status} {self.code}: {self.message}")

    def body(self) -> dict:
        return {"success": False, "code": self.code, "message": self.message}


class AdminError(Exception):
    """A malformed admin (`/__sandbox/`) request; answered as `{"error": message}`."""

    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message
        super().__init__(message)
