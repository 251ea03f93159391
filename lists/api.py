"""REST API for the lists: entries (read, filtered) and uploads (a city's list, the national
list). Thin: the visibility gate and the services decide; errors come back with their rows."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts import roles
from reference.models import City

from . import selectors, services
from .exceptions import ListImportRefused
from .models import ListEntry, Tier, UnitKind
from .xlsx import MAX_BYTES


class ListEntrySerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city_id", read_only=True)
    county = serializers.CharField(source="county_id", read_only=True, allow_null=True)

    class Meta:
        model = ListEntry
        fields = [
            "id",
            "unit_name",
            "credit_code",
            "kind",
            "tier",
            "city",
            "county",
            "year",
            "status",
            "source",
        ]


FILTER_PARAMETERS = [
    OpenApiParameter("tier", OpenApiTypes.STR, enum=Tier.values),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=UnitKind.values),
    OpenApiParameter("city", OpenApiTypes.STR, description="设区市行政区划代码，如 330100"),
    OpenApiParameter("county", OpenApiTypes.STR, description="县（市、区）行政区划代码"),
    OpenApiParameter("year", OpenApiTypes.INT),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["active", "ended"]),
    OpenApiParameter("q", OpenApiTypes.STR, description="单位名称或统一社会信用代码"),
]


class ListEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """List entries of the user's region (province: all; city bureau: its city; county bureau: its
    county). Other users are refused (403)."""

    serializer_class = ListEntrySerializer

    def get_queryset(self):
        if not roles.is_bureau(self.request.user):
            raise PermissionDenied("只有经信部门可以查询名单。")
        qs = selectors.entries_filtered(
            ListEntry.objects.visible_to(self.request.user), self.request.query_params
        )
        return qs.order_by("city__position", "tier", "unit_name", "pk")

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ListImportRequestSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=[Tier.CITY, Tier.NATIONAL])
    city = serializers.CharField(required=False, allow_blank=True, help_text="设区市代码（市级名单必填）")
    kind = serializers.ChoiceField(
        choices=UnitKind.choices, required=False, help_text="国家级名单的类别，默认工厂"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    file = serializers.FileField()
    dry_run = serializers.BooleanField(required=False, default=False)


CountsSerializer = inline_serializer(
    "ListImportCounts",
    {
        "added": serializers.IntegerField(),
        "ended": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
    },
)
ErrorsSerializer = inline_serializer(
    "ListImportErrors",
    {
        "errors": serializers.ListField(
            child=inline_serializer(
                "ListImportRowError",
                {
                    "row": serializers.IntegerField(allow_null=True),
                    "column": serializers.CharField(),
                    "message": serializers.CharField(),
                },
            )
        )
    },
)


def _errors(field_errors: dict) -> list[dict]:
    return [
        {"row": None, "column": name, "message": str(message)}
        for name, messages in field_errors.items()
        for message in messages
    ]


class ListImportViewSet(viewsets.ViewSet):
    """Upload a list: a city bureau its own city's city-level list, the province the national
    list. Every row is checked; with any bad row nothing is saved (400 with each row's errors).
    A confirmed upload replaces the current list (201 with the counts); `dry_run` only previews
    (200 with the same counts)."""

    parser_classes = [MultiPartParser, FormParser]
    serializer_class = ListImportRequestSerializer

    @extend_schema(
        request={"multipart/form-data": ListImportRequestSerializer},
        responses={201: CountsSerializer, 200: CountsSerializer, 400: ErrorsSerializer},
    )
    def create(self, request):
        if not (roles.is_city_bureau(request.user) or roles.is_province(request.user)):
            raise PermissionDenied("只有设区市经信局（市级名单）和省经信厅（国家级名单）可以上传名单。")
        data = ListImportRequestSerializer(data=request.data)
        if not data.is_valid():
            return Response({"errors": _errors(data.errors)}, status=status.HTTP_400_BAD_REQUEST)
        v = data.validated_data
        upload = v["file"]
        if upload.size > MAX_BYTES:
            return Response(
                {"errors": [{"row": None, "column": "file", "message": "文件不能超过5MB，请拆分后上传。"}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            if v["tier"] == Tier.CITY:
                city = City.objects.filter(code=v.get("city") or "").first()
                if city is None:
                    return Response(
                        {"errors": [{"row": None, "column": "city", "message": "请填写有效的设区市代码。"}]},
                        status=status.HTTP_400_BAD_REQUEST,
                    )
                result = services.city_list_import(
                    city=city,
                    year=v["year"],
                    data=upload.read(),
                    file_name=upload.name,
                    by=request.user,
                    dry_run=v["dry_run"],
                )
            else:
                result = services.national_list_import(
                    kind=v.get("kind") or UnitKind.FACTORY,
                    year=v["year"],
                    data=upload.read(),
                    file_name=upload.name,
                    by=request.user,
                    dry_run=v["dry_run"],
                )
        except ListImportRefused as exc:
            return Response({"errors": [e.as_dict() for e in exc.errors]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(result.counts, status=status.HTTP_200_OK if v["dry_run"] else status.HTTP_201_CREATED)
