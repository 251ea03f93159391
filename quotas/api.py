from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Batch
from .selectors import quota_table
from .settings_table import names


class ContactSerializer(serializers.Serializer):
    department = serializers.CharField(help_text="处室或单位")
    name = serializers.CharField(help_text="姓名")
    phone = serializers.CharField(help_text="电话")


class BatchSerializer(serializers.ModelSerializer):
    # The notice's 联系人: the first is the one the joint notice prints.
    contacts = ContactSerializer(many=True, read_only=True)
    holidays = serializers.ListField(child=serializers.DateField(), read_only=True)
    adjusted_workdays = serializers.ListField(child=serializers.DateField(), read_only=True)

    class Meta:
        model = Batch
        fields = ["year", *names(api=True)]


class QuotaRowSerializer(serializers.Serializer):
    city_code = serializers.CharField()
    city_name = serializers.CharField()
    factory_quota = serializers.IntegerField()
    recommended = serializers.IntegerField()


class BatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Batches and their Annex 1 quotas: public numbers of the notice, for any signed-in user."""

    serializer_class = BatchSerializer
    queryset = Batch.objects.all()
    lookup_field = "year"
    lookup_value_regex = r"\d{4}"
    pagination_class = None

    @extend_schema(responses=QuotaRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def quotas(self, request, year=None):
        batch = get_object_or_404(Batch, year=year)
        return Response(QuotaRowSerializer(quota_table(batch), many=True).data)
