"""A post's text as a feed shows it: links, hashtags and mentions marked, folded at "see more".

Links are found with `buffer_integration.counting.URL_RE`, the pattern the length rule counts them with,
so the preview marks exactly the links the counter shortens. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from buffer_integration.counting import URL_RE

# A hashtag or mention starts a word; a mention may name a server (Mastodon @name@host) or a domain
# handle (Bluesky @name.bsky.social). Trailing dots stay with the sentence.
HASHTAG_RE = regex.compile(r"(?<![\w#])#\w+")
MENTION_RE = regex.compile(r"(?<![\w@])@\w(?:[\w.-]*\w)?(?:@\w(?:[\w.-]*\w)?)?")
GRAPHEME_RE = regex.compile(r"\X")
# Fold at a word boundary when one lies this close before the fold point (as the networks do).
WORD_BACKOFF = 20


@dataclass(frozen=True)
class Segment:
    kind: str  # "text", "link", "hashtag", "mention"
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


def segments(text: str) -> list[Segment]:
    """`text` cut into plain runs and marked tokens; joined again they are `text`."""
    marks: list[tuple[int, int, str]] = []
    for pattern, kind in ((URL_RE, "link"), (MENTION_RE, "mention"), (HASHTAG_RE, "hashtag")):
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(start < taken_end and taken_start < end for taken_start, taken_end, _ in marks):
                marks.append((start, end, kind))
    marks.sort()
    found: list[Segment] = []
    position = 0
    for start, end, kind in marks:
        if start > position:
            found.append(Segment("text", text[position:start]))
        found.append(Segment(kind, text[start:end]))
        position = end
    if position < len(text):
        found.append(Segment("text", text[position:]))
    return found


def fold_point(text: str, see_more: int | None) -> int | None:
    """Where a feed folds `text` (a character index), or None when it is shown in full.

    `see_more` counts graphemes (what a reader sees as one character), so an emoji is never split; the
    fold moves back to the last space within WORD_BACKOFF graphemes.
    """
    if see_more is None:
        return None
    clusters = GRAPHEME_RE.findall(text)
    if len(clusters) <= see_more:
        return None
    index = sum(len(cluster) for cluster in clusters[:see_more])
    space = text.rfind(" ", 0, index + 1)
    back = len(GRAPHEME_RE.findall(text[space:index])) if space > 0 else WORD_BACKOFF + 1
    return space if space > 0 and back <= WORD_BACKOFF else index


def cut(parts: list[Segment], at: int | None) -> list[Segment]:
    """The segments of the first `at` characters (all of them when `at` is None)."""
    if at is None:
        return parts
    kept: list[Segment] = []
    position = 0
    for part in parts:
        if position >= at:
            break
        room = at - position
        kept.append(part if len(part.text) <= room else Segment(part.kind, part.text[:room]))
        position += len(part.text)
    if kept and kept[-1].kind == "text":
        kept[-1] = Segment("text", kept[-1].text.rstrip())
    return kept
