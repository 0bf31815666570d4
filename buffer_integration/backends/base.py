"""The operations SocialHub needs from Buffer, independent of which Buffer API serves them.

Everything above `buffer_integration` (views, services, tasks) talks to a `BufferBackend`; the
v1 REST implementation lives in `v1.py`. Values crossing this seam are plain dataclasses with
timezone-aware datetimes, never raw Buffer JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from buffer_integration.backends.http import JsonHttpClient


@dataclass(frozen=True)
class BufferUser:
    id: str
    timezone: str
    plan: str = ""


@dataclass(frozen=True)
class BufferProfile:
    id: str
    service: str  # Buffer's service name: twitter, facebook, instagram, linkedin, ...
    service_type: str = "profile"  # profile | page | group
    service_username: str = ""
    formatted_username: str = ""
    avatar_url: str = ""
    timezone: str = "UTC"
    schedules: list[dict[str, Any]] = field(default_factory=list)  # [{"days": [...], "times": ["HH:MM"]}]
    # GraphQL: the whole week as Buffer keeps it, paused days with their times ([{"day", "times", "paused"}],
    # `Channel.postingSchedule` / ScheduleV2); empty on v1, whose `schedules` has no paused days.
    posting_days: list[dict[str, Any]] = field(default_factory=list)
    is_disconnected: bool = False
    followers: int | None = None
    organization_id: str = ""  # GraphQL: the organization holding the channel ("" on v1)
    boards: list[dict[str, Any]] = field(default_factory=list)  # Pinterest: [{"id": serviceId, "name": ...}]


@dataclass(frozen=True)
class BufferUpdate:
    id: str
    profile_id: str
    status: str  # "buffer" (pending), "sent", "error"
    text: str
    created_at: datetime | None = None
    due_at: datetime | None = None
    sent_at: datetime | None = None
    service_link: str = ""
    service_update_id: str = ""
    statistics: dict[str, int] = field(default_factory=dict)
    media: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BufferInteraction:
    id: str
    update_id: str
    event: str  # "comment", "like", "retweet", ...
    created_at: datetime | None = None
    updated_at: datetime | None = None
    text: str = ""
    author_name: str = ""
    author_link: str = ""
    author_avatar: str = ""
    parent_id: str = ""


@dataclass(frozen=True)
class DraftAsset:
    """One image or video of a post, in the order it is shown (posts.media.post_media_assets builds them)."""

    kind: str  # "image" or "video"
    url: str  # public: Buffer downloads the file from it
    thumbnail_url: str = ""
    alt_text: str = ""


@dataclass(frozen=True)
class UpdateDraft:
    """What we ask Buffer to post. Exactly one of `now` / `scheduled_at` / neither (queue)."""

    profile_id: str
    text: str
    photo_url: str = ""
    link_url: str = ""
    video_url: str = ""
    now: bool = False
    scheduled_at: datetime | None = None
    service: str = ""  # the channel's network (twitter, instagram, ...), for per-network metadata
    # The post's options for that network in SocialHub's names, defaults already filled in
    # (posts.network_options.resolve); the backend only translates them into Buffer's metadata.
    network_options: dict[str, Any] = field(default_factory=dict)
    # Every image and video in order (GraphQL sends them all, with alt text); v1 takes one photo and one video,
    # `photo_url` / `video_url` (the first of each kind). Empty: the GraphQL client falls back to those two.
    assets: tuple[DraftAsset, ...] = ()


class BufferBackend(Protocol):
    """One Buffer credential's view of Buffer. Every method raises only `BufferError` subclasses."""

    _http: JsonHttpClient  # every backend sends through one client; `with_budget` attaches the key's budget

    def get_user(self) -> BufferUser: ...

    def list_profiles(self) -> list[BufferProfile]: ...

    def get_profile(self, profile_id: str) -> BufferProfile: ...

    def create_update(self, draft: UpdateDraft) -> BufferUpdate: ...

    def edit_update(self, update_id: str, draft: UpdateDraft) -> BufferUpdate: ...

    def destroy_update(self, update_id: str) -> None: ...

    def get_update(self, update_id: str) -> BufferUpdate: ...

    def list_pending(self, profile_id: str, *, since: datetime | None = None) -> list[BufferUpdate]: ...

    def list_sent(self, profile_id: str, *, since: datetime | None = None) -> list[BufferUpdate]: ...

    def find_updates(
        self,
        profile_ids: list[str],
        *,
        organization_id: str = "",
        status: str = "",
        due_after: datetime | None = None,
        due_before: datetime | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> list[BufferUpdate]:
        """Updates of these profiles, filtered at Buffer (GraphQL: per organization, server-side filters;
        v1: per profile). `status` is "buffer" (pending), "sent" or "" for both (GraphQL: any status).
        `organization_id` is the profiles' organization when known (SocialAccount.buffer_organization_id):
        it saves the GraphQL backend the lookup."""
        ...

    def list_interactions(self, update_id: str, *, event: str = "comment") -> list[BufferInteraction]: ...

    def get_configuration(self) -> dict[str, Any]: ...
