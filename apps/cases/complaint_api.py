"""Complaint API: filing (anonymous allowed), public tracking by number and extraction code,
and the staff actions on /cases/{number}/... Who may not see a complaint gets 404, who may see
it but not act 403, an action the state does not allow now 409."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Department
from apps.accounts.permissions import IsVerifiedStaff
from apps.audit.services import client_ip
from apps.catalog.selectors import complaint_category_get

from . import selectors, services
from .complaint_staff_views import reporter_shown, run_action
from .models import Case, ExtensionRequest
from .timeline import staff_verb_label, verb_label

# --- output -----------------------------------------------------------------------------------


class ComplaintTimelineSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="created_at")
    what = serializers.SerializerMethodField()
    note = serializers.CharField()

    class Meta:
        ref_name = "ComplaintTimelineLine"

    def get_what(self, event) -> str:
        return verb_label(event.verb)


class ComplaintPublicSerializer(serializers.Serializer):
    number = serializers.CharField()
    category = serializers.CharField(source="service.code")
    category_name = serializers.CharField(source="service.name")
    complaint_type = serializers.CharField()
    urgency = serializers.CharField()
    status = serializers.SerializerMethodField()
    status_display = serializers.SerializerMethodField()
    description = serializers.CharField()
    address = serializers.CharField()
    department = serializers.CharField(source="lead_department", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    merged_into = serializers.CharField(source="merged_into.number", allow_null=True, default=None)
    reply = serializers.SerializerMethodField()
    question = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ComplaintPublic"

    def get_status(self, case) -> str:
        return selectors.complaint_resident_status(case)[0]

    def get_status_display(self, case) -> str:
        return selectors.complaint_resident_status(case)[1]

    def get_reply(self, case) -> str:
        return case.decision_reasons if case.decided_at else ""

    def get_question(self, case) -> dict | None:
        if not case.question:
            return None
        return {
            "text": case.question,
            "due": case.question_due,
            "answered": case.question_answered_at is not None,
        }

    def get_timeline(self, case) -> list[dict]:
        return ComplaintTimelineSerializer(selectors.case_timeline(case), many=True).data


class ComplaintFiledSerializer(ComplaintPublicSerializer):
    extraction_code = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ComplaintFiled"

    def get_extraction_code(self, case) -> str:
        return self.context["code"]


class ComplaintStaffSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    category = serializers.CharField(source="service.code")
    complaint_type = serializers.CharField()
    urgency = serializers.CharField()
    channel = serializers.CharField()
    description = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    reporter_name = serializers.SerializerMethodField()
    reporter_phone = serializers.SerializerMethodField()
    identity_hidden = serializers.BooleanField(source="hide_identity")
    lead_department = serializers.CharField(
        source="lead_department.code", allow_null=True, default=None
    )
    co_departments = serializers.SerializerMethodField()
    due_at = serializers.DateTimeField(allow_null=True)
    sign_due_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField()
    return_legal_basis = serializers.CharField()
    reply = serializers.CharField(source="decision_reasons")
    merged_into = serializers.CharField(source="merged_into.number", allow_null=True, default=None)
    timeline = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ComplaintStaffDetail"

    def _reporter(self, case) -> dict:
        return reporter_shown(case, self.context["request"].user)

    def get_reporter_name(self, case) -> str:
        return str(self._reporter(case)["name"])

    def get_reporter_phone(self, case) -> str:
        return self._reporter(case)["phone"]

    def get_co_departments(self, case) -> list[str]:
        return [d.code for d in case.co_departments.all()]

    def get_timeline(self, case) -> list[dict]:
        return [
            {
                "at": e.created_at,
                "verb": e.verb,
                "what": staff_verb_label(e.verb),
                "note": e.note,
                "department": e.department.code if e.department_id else None,
                "internal": not e.is_public,
            }
            for e in case.events.all()
        ]


class ComplaintExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.CharField(source="case.number")
    days = serializers.IntegerField()
    reason = serializers.CharField()
    state = serializers.CharField()
    new_deadline = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "ComplaintExtension"


# --- resident side ----------------------------------------------------------------------------


class ComplaintCreateApi(APIView):
    """File a complaint. Anonymous callers may give a phone (for the SMS) or nothing."""

    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        category = serializers.SlugField()
        complaint_type = serializers.ChoiceField(choices=Case.ComplaintType.choices)
        urgency = serializers.ChoiceField(choices=Case.Urgency.choices, default="normal")
        description = serializers.CharField(max_length=4000)
        address = serializers.CharField(required=False, allow_blank=True, default="")
        latitude = serializers.DecimalField(
            max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
        )
        longitude = serializers.DecimalField(
            max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
        )
        photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)
        hide_identity = serializers.BooleanField(required=False, default=False)
        reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
        reporter_phone = serializers.CharField(required=False, allow_blank=True, default="")

        class Meta:
            ref_name = "ComplaintCreateInput"

    @extend_schema(request=InputSerializer, responses={201: ComplaintFiledSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        service = complaint_category_get(code=values["category"])
        if service is None:
            raise serializers.ValidationError(
                {"category": [_("Choose one of the complaint categories.")]}
            )
        user = request.user if request.user.is_authenticated else None
        photos = request.FILES.getlist("photos") if request.FILES else values["photos"]
        case, code = services.complaint_file(
            service=service,
            actor=user,
            reporter=user,
            complaint_type=values["complaint_type"],
            urgency=values["urgency"],
            description=values["description"],
            address=values["address"],
            latitude=values["latitude"],
            longitude=values["longitude"],
            photos=photos,
            hide_identity=values["hide_identity"],
            channel=Case.Channel.API,
            reporter_name="" if user else values["reporter_name"],
            reporter_phone="" if user else values["reporter_phone"],
            request=request._request,
        )
        return Response(
            ComplaintFiledSerializer(case, context={"code": code}).data,
            status=status.HTTP_201_CREATED,
        )


class ComplaintTrackApi(APIView):
    """The public view of a complaint for whoever holds its number and extraction code."""

    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        number = serializers.CharField(max_length=20)
        code = serializers.CharField(max_length=12)

        class Meta:
            ref_name = "ComplaintTrackInput"

    @extend_schema(request=InputSerializer, responses=ComplaintPublicSerializer)
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = services.complaint_track(
                number=data.validated_data["number"],
                code=data.validated_data["code"],
                client_ip=client_ip(request._request) or "",
            )
        except DjangoPermissionDenied as exc:
            raise Throttled(detail=str(exc)) from exc
        return Response(ComplaintPublicSerializer(case).data)


class ComplaintNearbyApi(APIView):
    """Open complaints of a category near a point (or at an address): follow one instead."""

    permission_classes = [AllowAny]

    class QuerySerializer(serializers.Serializer):
        category = serializers.SlugField()
        lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
        long = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
        address = serializers.CharField(required=False, default="")

        class Meta:
            ref_name = "ComplaintNearbyQuery"

    class OutputSerializer(serializers.Serializer):
        number = serializers.CharField()
        address = serializers.CharField()
        description = serializers.CharField()
        submitted_at = serializers.DateTimeField()

        class Meta:
            ref_name = "ComplaintNearby"

    @extend_schema(parameters=[QuerySerializer], responses=OutputSerializer(many=True))
    def get(self, request):
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        service = complaint_category_get(code=query.validated_data["category"])
        if service is None:
            raise Http404
        cases = selectors.complaints_nearby(
            service=service,
            latitude=query.validated_data.get("lat"),
            longitude=query.validated_data.get("long"),
            address=query.validated_data.get("address", ""),
        )
        return Response(self.OutputSerializer(cases, many=True).data)


class ComplaintFollowApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, ref: str):
        case = Case.objects.filter(kind=Case.Kind.COMPLAINT, number=ref).first()
        if case is None:
            raise Http404
        services.complaint_follow(case=case, user=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- staff actions ----------------------------------------------------------------------------


class ComplaintActionInputSerializer(serializers.Serializer):
    """Every field any complaint action takes; each action reads its own."""

    department = serializers.SlugField(required=False, help_text="dispatch: the lead department")
    co_departments = serializers.ListField(
        child=serializers.SlugField(), required=False, default=list
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    into = serializers.CharField(required=False, default="", help_text="merge: case number")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    days = serializers.IntegerField(required=False, min_value=1, max_value=60)
    # Applications' /return/: the fields to correct (一次告知).
    fields = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        ref_name = "ComplaintActionInput"


TRANSITIONS = {
    "dispatch": "dispatch",
    "merge": "merge",
    "sign": "sign",
    "return": "complaint_return",
    "reply": "reply",
}


class _ComplaintActionApi(APIView):
    permission_classes = [IsVerifiedStaff]
    action_name = ""
    # For /return/ and /extend/: the applications' view when the case is an application.
    application_view = None

    def _departments(self, codes) -> list[Department]:
        found = {d.code: d for d in Department.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise serializers.ValidationError({"department": [_("Choose one of the departments.")]})
        return [found[code] for code in codes]

    @extend_schema(request=ComplaintActionInputSerializer, responses=ComplaintStaffSerializer)
    def post(self, request, ref: str):
        kind = Case.objects.filter(number=ref).values_list("kind", flat=True).first()
        if kind == Case.Kind.APPLICATION and self.application_view is not None:
            view = self.application_view()
            view.request, view.args, view.kwargs = request, (), {"ref": ref}
            view.format_kwarg = None
            return view.post(request, ref)
        case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
        data = ComplaintActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        transition = TRANSITIONS.get(self.action_name)
        if transition:
            method = getattr(case, transition)
            # Possible now, but not for this person: 403 before any input is looked at.
            if can_proceed(method) and not has_transition_perm(method, request.user):
                raise PermissionDenied
        if self.action_name == "dispatch":
            if not values.get("department"):
                raise serializers.ValidationError({"department": [_("Required.")]})
            values["department"] = self._departments([values["department"]])[0]
            values["co_departments"] = self._departments(values.get("co_departments") or [])
        if self.action_name == "extend":
            if not values.get("days"):
                raise serializers.ValidationError({"days": [_("Required.")]})
            extension = run_action(
                case=case,
                action="extend",
                user=request.user,
                data=values,
                request=request._request,
            )
            return Response(
                ComplaintExtensionSerializer(extension).data, status=status.HTTP_201_CREATED
            )
        run_action(
            case=case,
            action=self.action_name,
            user=request.user,
            data=values,
            request=request._request,
        )
        try:
            case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
        except Http404:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(ComplaintStaffSerializer(case, context={"request": request}).data)


def _action_api(name: str, application_view=None):
    return type(
        f"Complaint{name.title()}Api",
        (_ComplaintActionApi,),
        {"action_name": name, "application_view": application_view},
    )


def _application_view(name: str):
    from . import staff_api

    return {"return": staff_api.CaseReturnApi, "extend": staff_api.CaseExtendApi}[name]


ComplaintDispatchApi = _action_api("dispatch")
ComplaintSignApi = _action_api("sign")
ComplaintReturnApi = _action_api("return", _application_view("return"))
ComplaintReplyApi = _action_api("reply")
ComplaintMergeApi = _action_api("merge")
ComplaintReopenApi = _action_api("reopen")
ComplaintExtendApi = _action_api("extend", _application_view("extend"))


class ComplaintStaffDetailApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(responses=ComplaintStaffSerializer)
    def get(self, request, ref: str):
        case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
        if selectors.identity_visible_to(case, request.user):
            # 个人信息: a staff view of the reporter's personal data is on the audit chain.
            services.case_staff_view_record(case=case, actor=request.user, request=request._request)
        return Response(ComplaintStaffSerializer(case, context={"request": request}).data)


class ComplaintExtensionDecideApi(APIView):
    permission_classes = [IsVerifiedStaff]
    approve = True

    @extend_schema(request=None, responses=ComplaintExtensionSerializer)
    def post(self, request, pk: int):
        extension = ExtensionRequest.objects.filter(pk=pk, case__kind=Case.Kind.COMPLAINT).first()
        if extension is None:
            raise Http404
        extension = services.complaint_extension_decide(
            extension=extension, actor=request.user, approve=self.approve, request=request._request
        )
        return Response(ComplaintExtensionSerializer(extension).data)


class ComplaintExtensionApproveApi(ComplaintExtensionDecideApi):
    approve = True


class ComplaintExtensionRefuseApi(ComplaintExtensionDecideApi):
    approve = False
