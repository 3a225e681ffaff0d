import uuid
from collections.abc import Callable
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import bilingual
from apps.core.models import BaseModel

from .validators import mask_id_number, validate_cn_id_number, validate_cn_mobile


class PortalUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, username, email, password, **extra_fields):
        username = username or f"u-{uuid.uuid4().hex[:12]}"
        email = self.normalize_email(email) or None
        user = self.model(username=username, email=email, **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(username, email, password, **extra_fields)

    def get_by_login(self, login: str):
        """A user by email, phone number or username (case-insensitive email)."""
        login = (login or "").strip()
        return self.get(Q(email__iexact=login) | Q(phone=login) | Q(username=login))


# django-otp ships no types, so the plugin cannot follow the `user` key of the signing-code
# devices (apps.signatures) back to this model.
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """Anyone who signs in: residents, assisted residents (no password), staff."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the portal")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        LETTER = "letter", _("Printed letter")

    username = models.CharField(_("username"), max_length=150, unique=True)
    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_cn_mobile],
    )
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("May sign in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_assisted = models.BooleanField(
        _("assisted resident"),
        default=False,
        help_text=_("Opened at a service point for a resident who is not online."),
    )
    # A department's own system (apps/systems) acting through this account: never a person, so
    # never a colleague to pick nor a recipient of staff notifications (its clerk membership
    # alone cannot tell it apart).
    is_system_account = models.BooleanField(
        _("department system account"), default=False, editable=False
    )
    care_mode = models.BooleanField(_("care mode"), default=False)
    preferred_language = models.CharField(_("language"), max_length=10, blank=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = PortalUserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.email or self.phone or self.username

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email) or None
        self.phone = self.phone or None

    # Set on each request's user by django-otp's OTPMiddleware (and by our API token
    # authentication): whether this session or token has passed two-factor authentication.
    is_verified: Callable[[], bool]

    @cached_property
    def active_memberships(self) -> list["StaffMembership"]:
        """The active memberships with their departments, read once per user object: a request
        loads its user afresh, so the middleware, the decorators, the selectors and the duties
        of one request share one query (as Django keeps `has_perm`'s answers on the user). Code
        that changes memberships and goes on with the same object deletes this attribute."""
        return list(
            StaffMembership.objects.filter(user=self, is_active=True)
            .select_related("department")
            .order_by("pk")
        )

    @property
    def is_staff_member(self) -> bool:
        """Works for a department or the portal itself: such users must use 2FA."""
        if self.is_staff or self.is_superuser:
            return True
        return bool(self.active_memberships)

    def roles_in(self, department) -> set[str]:
        department_id = getattr(department, "pk", department)
        return {m.role for m in self.active_memberships if m.department_id == department_id}


class ResidentProfile(BaseModel):
    """What a resident tells the city: real name, ID number, address, how to reach them."""

    class Contact(models.TextChoices):
        ONLINE = "online", _("Online (portal, email or SMS)")
        LETTER = "letter", _("A letter at my service point")
        SMS = "sms", _("SMS to my phone")
        FAMILY_PHONE = "family_phone", _("SMS to a family member's phone")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    real_name = models.CharField(_("real name"), max_length=100)
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_cn_id_number],
        help_text=_("18-character resident identity card number."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    notification_channels = models.JSONField(
        _("notify me by"), default=list, blank=True, help_text=_("in_app, email, sms, letter")
    )
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=20, choices=Contact.choices, default=Contact.ONLINE
    )
    family_phone = models.CharField(
        _("family member's phone"), max_length=20, blank=True, validators=[validate_cn_mobile]
    )
    service_point = models.ForeignKey(
        "accounts.ServicePoint",
        verbose_name=_("service point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )

    class Meta:
        verbose_name = _("resident profile")
        verbose_name_plural = _("resident profiles")
        permissions = [("view_full_id_number", _("Can see residents' full ID numbers"))]

    def __str__(self):
        return self.real_name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number or "")


class Department(BaseModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Object permissions (django-guardian) are granted to this group when work is routed to
    # the department; active staff memberships keep its members in step.
    group = models.OneToOneField(
        "auth.Group", null=True, blank=True, editable=False, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return bilingual(self.name_zh, self.name_en)

    def save(self, *args, **kwargs):
        if self.group_id is None:
            from django.contrib.auth.models import Group

            self.group, _created = Group.objects.get_or_create(name=f"department:{self.code}")
        super().save(*args, **kwargs)


class StaffMembership(BaseModel):
    """A staff member's role in one department."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("Clerk")
        LEAD = "lead", _("Department lead")
        DISPATCHER = "dispatcher", _("Dispatcher")
        SUPERVISOR = "supervisor", _("Supervisor")
        COUNTER = "counter", _("Counter staff")
        # Keeps the retention schedule and co-approves destruction lists with the lead.
        RECORDS_OFFICER = "records_officer", _("Records officer")
        # A department's own system (apps/systems) while it may manage certificates: only the
        # certificate steps name it (revocation); no case duty accepts it.
        SYSTEM = "system", _("Department system")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_memberships", verbose_name=_("user")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    service_point = models.ForeignKey(
        "accounts.ServicePoint",
        verbose_name=_("service point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        help_text=_("Where counter staff work."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.department} · {self.get_role_display()}"


class ServicePoint(BaseModel):
    """A help point (便民服务中心 / 帮办点) where counter staff serve residents in person."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=255)
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_points",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")

    def __str__(self):
        return bilingual(self.name_zh, self.name_en)


class VerificationCode(BaseModel):
    """A one-time code sent to an email address or phone before an account exists (registration)."""

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Registration")

    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    channel = models.CharField(max_length=10, choices=User.Channel.choices)
    destination = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        indexes = [models.Index(fields=["purpose", "destination"])]

    def __str__(self):
        return f"{self.purpose} → {self.destination}"


class ApiToken(BaseModel):
    """A bearer token for the API. Only its SHA-256 is stored; staff tokens record passed 2FA."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    otp_verified = models.BooleanField(default=False)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} · {self.key_digest[:8]}"
