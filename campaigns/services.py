"""Writes on campaigns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypedDict, Unpack

from django.db import IntegrityError, transaction

from accounts.models import User, Workspace
from campaigns.models import Campaign, CampaignStatus
from kernel.errors import InvalidInput


class CampaignChanges(TypedDict, total=False):
    """What `campaign_update` may change; a key left out keeps the campaign's value."""

    name: str
    description: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: str


_EDITABLE_FIELDS = CampaignChanges.__optional_keys__
_END_BEFORE_START = "end_date must be on or after start_date."


def _check_dates(*, start_date: dt.date | None, end_date: dt.date | None) -> None:
    if start_date and end_date and end_date < start_date:
        raise InvalidInput(_END_BEFORE_START, errors={"end_date": [_END_BEFORE_START]})


def _save(campaign: Campaign) -> None:
    """The check constraint is the last word should a check above ever be bypassed."""
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError:
        raise InvalidInput(_END_BEFORE_START, errors={"end_date": [_END_BEFORE_START]}) from None


def campaign_create(
    *,
    workspace: Workspace,
    actor: User,
    name: str,
    description: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    status: str = CampaignStatus.ACTIVE,
) -> Campaign:
    _check_dates(start_date=start_date, end_date=end_date)
    campaign = Campaign(
        workspace=workspace,
        owner=actor,
        name=name,
        description=description,
        start_date=start_date,
        end_date=end_date,
        status=status,
    )
    _save(campaign)
    return campaign


def campaign_update(*, campaign: Campaign, **changes: Unpack[CampaignChanges]) -> Campaign:
    fields: Mapping[str, object] = changes
    unknown = set(fields) - _EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    # Check the dates the campaign will have, so a PATCH of one date is checked against the stored other.
    _check_dates(
        start_date=changes.get("start_date", campaign.start_date), end_date=changes.get("end_date", campaign.end_date)
    )
    for name, value in fields.items():
        setattr(campaign, name, value)
    _save(campaign)
    return campaign


def campaign_delete(*, campaign: Campaign) -> None:
    """The campaign's posts stay: their `campaign` becomes null (the foreign key is SET_NULL)."""
    campaign.delete()
