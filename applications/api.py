"""REST API for applications: thin views over selectors and services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts import roles
from accounts.api import actor_field
from accounts.models import Assessor
from core.api_pagination import KeysetPagination
from quotas.models import Batch
from reference.models import validate_industry_class

from .documents import document_upload
from .indicators import normalise
from .models import Application, Document, DocumentKind, TransitionLog
from .selectors import application_for, transition_options
from .services import application_create, application_transition, application_update
from .states import ApplicationKind, ApplicationState
from .uploads import refused


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "kind", "version", "original_name", "size", "sha256", "page_count", "uploaded_at"]


class TransitionLogSerializer(serializers.ModelSerializer):
    actor = actor_field()

    class Meta:
        model = TransitionLog
        fields = ["transition", "source", "target", "actor", "actor_organisation", "comment", "created_at"]


class TransitionOptionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    reason_required = serializers.BooleanField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class ApplicationSerializer(serializers.ModelSerializer):
    batch = serializers.IntegerField(source="batch.year", read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True)
    city = serializers.CharField(source="city_id", read_only=True)
    county = serializers.CharField(source="county_id", read_only=True, allow_null=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "batch",
            "kind",
            "unit",
            "city",
            "county",
            "assessor",
            "industry_class",
            "state",
            "state_display",
            "submitted_at",
            "created_at",
        ]


class ApplicationDetailSerializer(ApplicationSerializer):
    indicators = serializers.JSONField()
    documents = DocumentSerializer(many=True, read_only=True)
    available_transitions = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "indicators",
            "documents",
            "available_transitions",
            "transitions",
        ]

    def _options(self, obj):
        if not hasattr(obj, "_options"):
            obj._options = transition_options(obj, self.context["request"].user)
        return obj._options

    def get_available_transitions(self, obj) -> list[str]:
        """The transitions this user may fire now."""
        return [o.name for o in self._options(obj) if o.allowed]

    @extend_schema(responses=TransitionOptionSerializer(many=True))
    def get_transitions(self, obj) -> list[dict]:
        """Every transition this user holds from the current state, with the reasons it is blocked."""
        return TransitionOptionSerializer(self._options(obj), many=True).data


class ApplicationCreateSerializer(serializers.Serializer):
    batch = serializers.IntegerField(help_text="批次年度")
    assessor = serializers.IntegerField(required=False, allow_null=True)
    industry_class = serializers.CharField(
        required=False, allow_blank=True, validators=[validate_industry_class]
    )
    indicators = serializers.JSONField(required=False)


class TransitionRequestSerializer(serializers.Serializer):
    name = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class IndicatorsSerializer(serializers.Serializer):
    indicators = serializers.JSONField()
    industry_class = serializers.CharField(required=False, validators=[validate_industry_class])


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()


class ApplicationFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ApplicationState.choices, required=False, help_text="申报状态")
    kind = serializers.ChoiceField(choices=ApplicationKind.choices, required=False, help_text="类型")


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications the signed-in user may see (the visibility gate decides)."""

    serializer_class = ApplicationSerializer
    lookup_value_regex = r"\d+"
    pagination_class = KeysetPagination  # late pages through ?cursor= (the next links)

    def get_queryset(self):
        queryset = (
            Application.objects.visible_to(self.request.user)
            .select_related("batch", "unit", "city")
            .order_by("-created_at", "-pk")  # a backward scan of the application_created index
        )
        if self.action != "list":
            return queryset
        filters = ApplicationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return queryset.filter(**{k: v for k, v in filters.validated_data.items() if v})

    @extend_schema(parameters=[ApplicationFilterSerializer])
    def list(self, request, *args, **kwargs):
        """The applications this user may see, newest first; ?state= and ?kind= narrow the list."""
        return super().list(request, *args, **kwargs)

    def get_object(self):
        return application_for(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer})
    def create(self, request):
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = get_object_or_404(Batch, year=data.validated_data["batch"])
        fields = {}
        if data.validated_data.get("assessor"):
            try:
                fields["assessor"] = Assessor.objects.get(pk=data.validated_data["assessor"])
            except Assessor.DoesNotExist:
                raise ValidationError({"assessor": ["第三方评价机构不存在。"]}) from None
        if "industry_class" in data.validated_data:
            fields["industry_class"] = data.validated_data["industry_class"]
        if "indicators" in data.validated_data:
            kind = ApplicationKind.FACTORY if roles.is_enterprise(request.user) else ApplicationKind.PARK
            try:
                fields["indicators"] = normalise(kind, batch, data.validated_data["indicators"])
            except ValueError as exc:
                raise ValidationError({"indicators": [str(exc)]}) from None
        if request.user.organisation_id is None:
            raise ValidationError({"detail": "用户不属于任何单位。"})
        application = application_create(
            unit=request.user.organisation, batch=batch, by=request.user, **fields
        )
        application = application_for(request.user, application.pk)
        return Response(
            ApplicationDetailSerializer(application, context={"request": request}).data, status=201
        )

    @extend_schema(
        request=TransitionRequestSerializer,
        responses={
            200: inline_serializer(
                "TransitionResult",
                {"state": serializers.CharField(), "state_display": serializers.CharField()},
            )
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        application = self.get_object()
        data = TransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application_transition(
            application,
            name=data.validated_data["name"],
            by=request.user,
            comment=data.validated_data["comment"],
        )
        return Response({"state": application.state, "state_display": application.get_state_display()})

    @extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        application = self.get_object()
        data = DocumentUploadSerializer(data=request.data)
        if too_large := refused(request).get("file"):
            raise ValidationError({"file": [too_large]})
        data.is_valid(raise_exception=True)
        document = document_upload(
            application=application,
            kind=data.validated_data["kind"],
            upload=data.validated_data["file"],
            by=request.user,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IndicatorsSerializer, responses={200: IndicatorsSerializer})
    @action(detail=True, methods=["put"])
    def indicators(self, request, pk=None):
        """Save the key indicators as a draft (applications/indicators.py); numbers are checked."""
        application = self.get_object()
        data = IndicatorsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application_update(
            application,
            by=request.user,
            indicators=data.validated_data["indicators"],
            industry_class=data.validated_data.get("industry_class"),
        )
        return Response({"indicators": application.indicators, "industry_class": application.industry_class})

    @extend_schema(responses=TransitionLogSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """The application's history, oldest first, paginated like every list (?limit=, ?offset=)."""
        application = self.get_object()
        page = self.paginate_queryset(
            application.history.select_related("actor").order_by("created_at", "pk")
        )
        return self.get_paginated_response(TransitionLogSerializer(page, many=True).data)
