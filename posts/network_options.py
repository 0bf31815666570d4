"""`Post.network_options`: the options of a post's own network, in SocialHub's names.

One function checks them (`network_option_errors`, called from `posts.rules.post_errors`, so the API,
bulk, the composer, the publisher and scheduling share it) and one fills Buffer's defaults at send
time (`resolve_network_options`, for `UpdateDraft.network_options`). What each network requires comes
from Buffer's rules: https://developers.buffer.com/guides/posts.html (metadata per service) and
../shared/reference/buffer-graphql/README.md rule 1.
"""

from __future__ import annotations

from collections.abc import Callable

from buffer_integration.platforms import network_limits
from posts.text import weighted_length

YOUTUBE_TITLE_MAX = 100  # Buffer: metadata.youtube.title ≤ 100 characters
PINTEREST_TITLE_MAX = 100
FIRST_COMMENT_MAX = 2200
MAX_THREAD_PARTS = 25

INSTAGRAM_TYPES = ("post", "story", "reel")
YOUTUBE_PRIVACY = ("public", "unlisted", "private")
GOOGLE_TYPES = ("whats_new", "offer", "event")

# Buffer's API does not post to TikTok (README rule 9); an account may be stored, a post may not.
UNPUBLISHABLE = {"tiktok": "Buffer's API cannot publish to TikTok: posts to a TikTok account are not accepted."}


def _string(max_length: int) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if not isinstance(value, str):
            return "Must be a string."
        if len(value) > max_length:
            return f"At most {max_length} characters ({len(value)} given)."
        return None

    return check


def _choice(choices: tuple[str, ...]) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if value not in choices:
            return f"Must be one of: {', '.join(choices)}."
        return None

    return check


def _boolean(value: object) -> str | None:
    return None if isinstance(value, bool) else "Must be true or false."


def _nonblank(check: Callable[[object], str | None]) -> Callable[[object], str | None]:
    def nonblank(value: object) -> str | None:
        return check(value) or (None if value.strip() else "Must not be blank.")

    return nonblank


# network → option → value check. Networks not listed take no options.
OPTIONS: dict[str, dict[str, Callable[[object], str | None]]] = {
    "instagram": {
        "type": _choice(INSTAGRAM_TYPES),
        "share_to_feed": _boolean,
        "first_comment": _string(FIRST_COMMENT_MAX),
    },
    "pinterest": {"board_id": _nonblank(_string(64)), "title": _string(PINTEREST_TITLE_MAX)},
    "youtube": {
        "title": _nonblank(_string(YOUTUBE_TITLE_MAX)),
        "category_id": _nonblank(_string(8)),
        "privacy": _choice(YOUTUBE_PRIVACY),
    },
    "googlebusiness": {"type": _choice(GOOGLE_TYPES)},
    "facebook": {"first_comment": _string(FIRST_COMMENT_MAX)},
    "linkedin": {"first_comment": _string(FIRST_COMMENT_MAX)},
    "twitter": {"thread": None},  # checked by _thread_errors: it needs the network's length rule
    "threads": {"thread": None},
    "bluesky": {"thread": None},
}

# Buffer's sensible defaults, filled at send time (a later default board change applies to drafts too).
DEFAULTS: dict[str, dict[str, object]] = {
    "instagram": {"type": "post", "share_to_feed": True},
    "youtube": {"category_id": "22", "privacy": "public"},
    "googlebusiness": {"type": "whats_new"},
}


def option_keys(platform: str) -> list[str]:
    return list(OPTIONS.get(platform, {}))


def _owners(key: str) -> list[str]:
    return [network for network, options in OPTIONS.items() if key in options]


def _thread_errors(*, platform: str, parts: object, service_type: str) -> list[str]:
    if not isinstance(parts, list) or not all(isinstance(part, str) for part in parts):
        return ["Must be a list of texts (the follow-up posts of the thread)."]
    if len(parts) > MAX_THREAD_PARTS:
        return [f"At most {MAX_THREAD_PARTS} follow-up posts."]
    limit = network_limits(platform, service_type).get("character_limit")
    errors = []
    for index, part in enumerate(parts):
        if not part.strip():
            errors.append(f"Part {index + 1}: must not be blank.")
        elif limit is not None and (length := weighted_length(part, platform, service_type)) > limit:
            errors.append(f"Part {index + 1}: too long, {length} characters, the limit is {limit}.")
    return errors


def board_ids(account) -> list[str]:
    return [str(board.get("id")) for board in account.pinterest_boards or [] if isinstance(board, dict)]


def network_option_errors(*, account, options: object, complete: bool = True) -> dict[str, list[str]]:
    """Problems with `options` for `account`'s network, by option name (`_` for the whole object).

    `complete=False` checks names and values only, not the required choices: a publisher post type's
    defaults, which a payload completes (a YouTube title per post).
    """
    platform = account.platform
    if options is None:
        options = {}
    if not isinstance(options, dict):
        return {"_": ["Must be an object of options for the post's network."]}
    allowed = OPTIONS.get(platform, {})
    errors: dict[str, list[str]] = {}
    for key, value in options.items():
        if key not in allowed:
            owners = _owners(key)
            where = f" it is an option of {', '.join(owners)}" if owners else " unknown option"
            takes = ", ".join(allowed) or "none"
            errors[key] = [f"Not an option of {platform}:{where}. {platform} takes: {takes}."]
        elif key == "thread":
            if thread_errors := _thread_errors(
                platform=platform, parts=value, service_type=account.service_type or "profile"
            ):
                errors[key] = thread_errors
        elif message := allowed[key](value):
            errors[key] = [message]
    if platform == "pinterest" and "board_id" not in errors:
        board = (options.get("board_id") or "").strip() or account.default_pinterest_board_id
        known = board_ids(account)
        if board and known and board not in known:
            errors["board_id"] = [f"Not one of the account's boards: {', '.join(known)}."]
        elif not board and complete:
            errors["board_id"] = ["Pinterest needs a board: give board_id or set the account's default board."]
    if platform == "youtube" and complete and "title" not in errors and not options.get("title"):
        errors["title"] = ["YouTube needs a title (at most 100 characters)."]
    return errors


def clean_network_options(options: dict | None) -> dict:
    """What is stored: the given options (already valid), blank strings dropped, text trimmed."""
    cleaned = {}
    for key, value in (options or {}).items():
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        cleaned[key] = value
    return cleaned


def resolve_network_options(*, account, options: dict | None) -> dict:
    """The options sent to Buffer: stored ones over Buffer's defaults, the account's board if none given."""
    resolved = {**DEFAULTS.get(account.platform, {}), **clean_network_options(options)}
    if account.platform == "pinterest" and not resolved.get("board_id") and account.default_pinterest_board_id:
        resolved["board_id"] = account.default_pinterest_board_id
    return resolved
