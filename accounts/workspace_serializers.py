"""The JSON of workspaces, their members and invitations. Rules stay in `accounts.workspaces`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Invitation, Membership, Role, Workspace
from kernel.api.strict import StrictModelSerializer, StrictSerializer


class WorkspaceSerializer(StrictModelSerializer):
    """`role` is the caller's role in the workspace; `personal` marks their (or a member's) personal one."""

    name = serializers.CharField(max_length=100)
    timezone = serializers.CharField(
        max_length=64, required=False, help_text="IANA name, e.g. Europe/Berlin (default: yours, on create)."
    )
    approval_required = serializers.BooleanField(
        required=False, help_text="Every post needs a manager's approval before it goes out."
    )
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    personal = serializers.SerializerMethodField()

    class Meta:
        model = Workspace
        fields = ["id", "name", "timezone", "approval_required", "role", "personal", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_personal(self, workspace: Workspace) -> bool:
        return workspace.personal_for_id is not None


class WorkspaceUpdateSerializer(WorkspaceSerializer):
    name = serializers.CharField(max_length=100, required=False)


class MemberSerializer(StrictModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user_id", "username", "email", "role", "created_at"]
        read_only_fields = ["created_at"]


class MemberAddSerializer(StrictSerializer):
    user = serializers.CharField(
        max_length=254, help_text="A username or an email; an email without an account gets an invitation link."
    )
    role = serializers.ChoiceField(choices=Role.choices)


class MemberRoleSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(StrictModelSerializer):
    invited_by = serializers.CharField(source="invited_by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "invited_by", "expires_at", "created_at"]
        read_only_fields = fields


class NewInvitationSerializer(InvitationSerializer):
    url = serializers.CharField(read_only=True, help_text="The invitation link, shown this once (also emailed).")

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "url"]
        read_only_fields = fields


class MemberAddedSerializer(serializers.Serializer):
    """Exactly one of the two is set: `member` for an existing user, `invitation` for an email without an account."""

    member = MemberSerializer(allow_null=True, read_only=True)
    invitation = NewInvitationSerializer(allow_null=True, read_only=True)
