import factory

from apps.accounts.models import ResidentProfile, ServicePoint, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    phone = None
    display_name = factory.Sequence(lambda n: f"User {n}")


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    code = factory.Sequence(lambda n: f"sp-{n}")
    name_zh = factory.Sequence(lambda n: f"第{n}便民服务中心")
    name_en = factory.Sequence(lambda n: f"Service point {n}")
    address = "1 People's Road"


class ResidentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentProfile

    user = factory.SubFactory(UserFactory)
    real_name = factory.Sequence(lambda n: f"居民{n}")
    notification_channels = factory.LazyFunction(lambda: ["in_app"])


def resident(
    *, channels=("in_app",), phone=None, email="default", language="", **profile_fields
) -> User:
    """A resident with a profile that chose `channels`."""
    user_fields = {"phone": phone, "preferred_language": language}
    if email != "default":
        user_fields["email"] = email
    user = UserFactory(**user_fields)
    ResidentProfileFactory(user=user, notification_channels=list(channels), **profile_fields)
    return user


def assisted_resident(*, phone=None, **profile_fields) -> User:
    """A resident whose account was opened at a service point (no email, no password)."""
    user = UserFactory(email=None, phone=phone, is_assisted=True)
    profile_fields.setdefault("service_point", ServicePointFactory())
    ResidentProfileFactory(user=user, **profile_fields)
    return user
