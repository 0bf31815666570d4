import factory

from accounts.models import Membership, Platform, Role, SocialAccount, User, Workspace
from accounts.workspaces import workspace_personal_for


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    timezone = "UTC"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SocialAccountFactory(factory.django.DjangoModelFactory[SocialAccount]):
    class Meta:
        model = SocialAccount

    owner = factory.SubFactory(UserFactory)
    workspace = factory.LazyAttribute(
        lambda account: workspace_personal_for(account.owner) if account.owner.pk else None
    )
    platform = Platform.TWITTER
    account_name = factory.Sequence(lambda n: f"@account{n}")
    buffer_profile_id = ""

    @classmethod
    def _create(cls, model_class, *args, access_token: str = "", **kwargs):
        account = model_class(*args, **kwargs)
        account.set_access_token(access_token)
        account.save()
        return account


class WorkspaceFactory(factory.django.DjangoModelFactory[Workspace]):
    """A team workspace (not anyone's personal one); add people with MembershipFactory."""

    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Team {n}")
    timezone = "UTC"


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR
