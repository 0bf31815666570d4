"""`Post.network_options`: the options of a post's own network, in SocialHub's names.

One function checks them (`network_option_errors`, called from `posts.rules.post_errors`, so the API,
bulk, the composer, the publisher and scheduling share it) and one fills Buffer's defaults at send
time (`resolve_network_options`, for `UpdateDraft.network_options`). What each network requires comes
from Buffer's rules: https://developers.buffer.com/guides/posts.html (metadata per service) and
../shared/reference/buffer-graphql/README.md rule 1.
"""

from __future__ import annotations

from collections.abc import Callable

from buffer_integration.counting import weighted_length
from buffer_integration.platforms import (
    NETWORK_OPTIONS,
    OPTION_CHOICES,
    YOUTUBE_TITLE_MAX,
    missing_required_options,
    network_limits,
    option_defaults,
)

# What Buffer accepts (names, choices, defaults, required choices) is buffer_integration.platforms';
# this module adds SocialHub's own bounds and the account-aware checks (boards, thread lengths).
PINTEREST_TITLE_MAX = 100
FIRST_COMMENT_MAX = 2200
MAX_THREAD_PARTS = 25
INSTAGRAM_TYPES = OPTION_CHOICES[("instagram", "type")]
YOUTUBE_PRIVACY = OPTION_CHOICES[("youtube", "privacy")]
GOOGLE_TYPES = OPTION_CHOICES[("googlebusiness", "type")]


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
        return check(value) or (None if isinstance(value, str) and value.strip() else "Must not be blank.")

    return nonblank


# network → option → value check. Networks not listed take no options.
OPTIONS: dict[str, dict[str, Callable[[object], str | None] | None]] = {
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
assert {network: set(checks) for network, checks in OPTIONS.items()} == {
    network: set(names) for network, names in NETWORK_OPTIONS.items()
}, "posts.network_options.OPTIONS must check exactly the options buffer_integration.platforms knows"


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
        elif (check := allowed[key]) is not None and (message := check(value)):
            errors[key] = [message]
    if platform == "pinterest" and "board_id" not in errors:
        board = (options.get("board_id") or "").strip() or account.default_pinterest_board_id
        known = board_ids(account)
        if board and known and board not in known:
            errors["board_id"] = [f"Not one of the account's boards: {', '.join(known)}."]
    if complete:
        for name in missing_required_options(platform, _with_account_fallbacks(account, options)):
            errors.setdefault(name, [REQUIRED_MESSAGES.get((platform, name), f"{platform} needs {name}.")])
    return errors


REQUIRED_MESSAGES = {
    ("pinterest", "board_id"): "Pinterest needs a board: give board_id or set the account's default board.",
    ("youtube", "title"): f"YouTube needs a title (at most {YOUTUBE_TITLE_MAX} characters).",
}


def _with_account_fallbacks(account, options: dict) -> dict:
    """`options` as they will be sent: a Pinterest post without a board takes the account's default."""
    if account.platform == "pinterest" and account.default_pinterest_board_id and not options.get("board_id"):
        return {**options, "board_id": account.default_pinterest_board_id}
    return options


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
    return _with_account_fallbacks(account, {**option_defaults(account.platform), **clean_network_options(options)})
