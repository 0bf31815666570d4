"""A row's account and campaign cells to the workspace's ids: by id, or by name (an ambiguous name is an error).

Everything is looked up once per file (one query for the accounts, one for the campaigns), never per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from accounts.models import SocialAccount, Workspace
from campaigns.models import Campaign


@dataclass
class Directory:
    """The workspace's accounts and campaigns, by id and by name (case-insensitive)."""

    account_ids: dict[int, SocialAccount] = field(default_factory=dict)
    accounts_by_name: dict[str, list[SocialAccount]] = field(default_factory=lambda: defaultdict(list))
    campaign_ids: dict[int, Campaign] = field(default_factory=dict)
    campaigns_by_name: dict[str, list[Campaign]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, workspace: Workspace) -> Directory:
        directory = cls()
        for account in SocialAccount.objects.in_workspace(workspace).only("id", "account_name", "platform"):
            directory.account_ids[account.pk] = account
            directory.accounts_by_name[account.account_name.casefold()].append(account)
        for campaign in Campaign.objects.in_workspace(workspace).only("id", "name"):
            directory.campaign_ids[campaign.pk] = campaign
            directory.campaigns_by_name[campaign.name.casefold()].append(campaign)
        return directory

    def account(self, value: str, *, platform: str = "") -> tuple[int | None, str]:
        """(account id, "") or (None, why not). Digits are an id first, then a name (an account may be "1000")."""
        if value.isdigit() and int(value) in self.account_ids:
            return int(value), ""
        named = self.accounts_by_name.get(value.casefold(), [])
        if platform:
            named = [account for account in named if account.platform == platform]
        if len(named) == 1:
            return named[0].pk, ""
        on = f" on {platform}" if platform else ""
        if not named:
            return None, f"This workspace has no social account {value!r}{on} (give its id or its name)."
        ids = ", ".join(str(account.pk) for account in named)
        hint = "give its id" if platform else "give its id, or its network in the platform column"
        return None, f"{len(named)} social accounts are named {value!r}{on} (ids {ids}): {hint}."

    def campaign(self, value: str) -> tuple[int | None, str]:
        if value.isdigit() and int(value) in self.campaign_ids:
            return int(value), ""
        named = self.campaigns_by_name.get(value.casefold(), [])
        if len(named) == 1:
            return named[0].pk, ""
        if not named:
            return None, f"This workspace has no campaign {value!r} (give its id or its name)."
        ids = ", ".join(str(campaign.pk) for campaign in named)
        return None, f"{len(named)} campaigns are named {value!r} (ids {ids}): give its id."

    def account_label(self, account_id: int) -> tuple[str, str]:
        """What export writes for an account: its name and network when the name alone is unambiguous
        with the network, else its id (which only this workspace resolves)."""
        account = self.account_ids[account_id]
        same = [a for a in self.accounts_by_name[account.account_name.casefold()] if a.platform == account.platform]
        name = account.account_name if len(same) == 1 and not account.account_name.isdigit() else str(account.pk)
        return name, account.platform

    def campaign_label(self, campaign_id: int | None) -> str:
        if campaign_id is None or campaign_id not in self.campaign_ids:
            return ""
        campaign = self.campaign_ids[campaign_id]
        unique = len(self.campaigns_by_name[campaign.name.casefold()]) == 1 and not campaign.name.isdigit()
        return campaign.name if unique else str(campaign.pk)
