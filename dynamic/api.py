"""REST API for dynamic-management forms: thin views over selectors and services, through the
same visibility gate as the pages (another region's form is a 404)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from applications.uploads import refused

from . import selectors
from .flags import FLAG_LABELS, form_flags
from .models import DynamicForm, FormDocument, FormDocumentKind, FormLog
from .services import form_document_upload, form_transition, form_update
from .states import Decision, Opinion


class FormDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormDocument
        fields = ["id", "kind", "version", "original_name", "size", "sha256", "page_count", "uploaded_at"]


class FormLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username")

    class Meta:
        model = FormLog
        fields = ["transition", "source", "target", "actor", "actor_organisation", "comment", "created_at"]


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    detail = serializers.CharField()


class TransitionOptionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    reason_required = serializers.BooleanField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class FormSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="batch.year", read_only=True)
    city = serializers.CharField(source="city_id", read_only=True)
    county = serializers.CharField(source="county_id", read_only=True, allow_null=True)
    tier = serializers.CharField(source="entry.tier", read_only=True)
    listed_name = serializers.CharField(source="entry.unit_name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    flags = serializers.SerializerMethodField()

    class Meta:
        model = DynamicForm
        fields = [
            "id",
            "year",
            "kind",
            "tier",
            "listed_name",
            "unit_name",
            "credit_code",
            "city",
            "county",
            "state",
            "state_display",
            "submitted_at",
            "opinion",
            "decision",
            "flags",
        ]

    @extend_schema(responses=FlagSerializer(many=True))
    def get_flags(self, obj) -> list[dict]:
        return [{"code": f.code, "label": f.label, "detail": f.detail} for f in form_flags(obj)]


class FormDetailSerializer(FormSerializer):
    documents = FormDocumentSerializer(many=True, read_only=True)
    changes = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()

    class Meta(FormSerializer.Meta):
        fields = [
            *FormSerializer.Meta.fields,
            "address",
            "scope",
            "park_area",
            "park_boundary",
            "operating",
            "safety_accident",
            "env_incident",
            "tax_evasion",
            "dishonest",
            "inspection_problems",
            "rectification_unfinished",
            "indicators",
            "pledged_at",
            "opinion_reasons",
            "opinion_text",
            "evaluation_on",
            "evaluation_findings",
            "decision_reason",
            "published_at",
            "documents",
            "changes",
            "transitions",
        ]

    def get_changes(self, obj) -> list[dict]:
        return [
            {
                "field": c.field,
                "old": c.old_value,
                "new": c.new_value,
                "changed_on": c.changed_on,
                "evidence": c.evidence_id,
            }
            for c in obj.declared_changes()
        ]

    @extend_schema(responses=TransitionOptionSerializer(many=True))
    def get_transitions(self, obj) -> list[dict]:
        """Every transition this user holds from the current state, with the reasons it is blocked."""
        return TransitionOptionSerializer(
            selectors.transition_options(obj, self.context["request"].user), many=True
        ).data


class FormUpdateSerializer(serializers.Serializer):
    """The unit's form data (a draft may be partial; submitting checks completeness)."""

    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    scope = serializers.CharField(required=False, allow_blank=True, max_length=300)
    park_area = serializers.DecimalField(
        required=False, allow_null=True, max_digits=9, decimal_places=2, min_value=0
    )
    park_boundary = serializers.CharField(required=False, allow_blank=True, max_length=300)
    operating = serializers.ChoiceField(
        required=False, allow_blank=True, choices=DynamicForm._meta.get_field("operating").choices
    )
    safety_accident = serializers.ChoiceField(
        required=False, allow_blank=True, choices=DynamicForm._meta.get_field("safety_accident").choices
    )
    env_incident = serializers.ChoiceField(
        required=False, allow_blank=True, choices=DynamicForm._meta.get_field("env_incident").choices
    )
    tax_evasion = serializers.BooleanField(required=False, allow_null=True)
    dishonest = serializers.BooleanField(required=False, allow_null=True)
    rectification_unfinished = serializers.BooleanField(required=False, allow_null=True)
    inspection_problems = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    indicators = serializers.JSONField(required=False)
    pledge = serializers.BooleanField(required=False)


class FormTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    opinion = serializers.ChoiceField(required=False, choices=Opinion.choices)
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=list(FLAG_LABELS)), required=False, default=list
    )
    evaluation_on = serializers.DateField(required=False, allow_null=True)
    evaluation_findings = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    decision = serializers.ChoiceField(required=False, choices=Decision.choices)


class FormDocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FormDocumentKind.choices)
    file = serializers.FileField()


FILTER_PARAMETERS = [
    OpenApiParameter("year", int, description="批次年度"),
    OpenApiParameter("state", str, description="状态"),
    OpenApiParameter("city", str, description="设区市代码"),
    OpenApiParameter("kind", str, description="factory | park"),
]


class DynamicFormViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Dynamic-management forms the signed-in user may see: a unit its own, a county bureau its
    county's factories, a city bureau its city's units, the province all."""

    serializer_class = FormSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = DynamicForm.objects.visible_to(self.request.user)
        qs = selectors.forms_filtered(qs, self.request.query_params)
        return selectors.with_related(qs).order_by("city__position", "kind", "unit_name", "pk")

    def get_object(self):
        return selectors.form_for(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        return FormSerializer if self.action == "list" else FormDetailSerializer

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=FormUpdateSerializer, responses=FormDetailSerializer)
    def update(self, request, pk=None):
        form = self.get_object()
        data = FormUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form_update(form, by=request.user, data=data.validated_data)
        form = self.get_object()
        return Response(FormDetailSerializer(form, context={"request": request}).data)

    @extend_schema(
        request=FormTransitionSerializer,
        responses={
            200: inline_serializer(
                "DynamicFormTransitionResult",
                {"state": serializers.CharField(), "state_display": serializers.CharField()},
            )
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        form = self.get_object()
        data = FormTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        form_transition(
            form,
            name=v["name"],
            by=request.user,
            comment=v["comment"],
            opinion=v.get("opinion"),
            reasons=v["reasons"],
            evaluation_on=v.get("evaluation_on"),
            evaluation_findings=v.get("evaluation_findings"),
            decision=v.get("decision"),
        )
        return Response({"state": form.state, "state_display": form.get_state_display()})

    @extend_schema(request=FormDocumentUploadSerializer, responses={201: FormDocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        form = self.get_object()
        if too_large := refused(request).get("file"):
            raise ValidationError({"file": [too_large]})
        data = FormDocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = form_document_upload(
            form=form, kind=data.validated_data["kind"], upload=data.validated_data["file"], by=request.user
        )
        return Response(FormDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=FormLogSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        form = self.get_object()
        return Response(FormLogSerializer(form.history.select_related("actor"), many=True).data)
