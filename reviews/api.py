"""REST API for reviewers: the queue and the city's submission. Thin: selectors read, services
write, domain errors become status codes (greenmfg.api.exception_handler)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import roles
from applications.api import ApplicationSerializer

from . import selectors
from .forms import QueueFilterForm
from .models import CitySubmission, SubmissionDocument
from .services import city_submission_send


class QueueItemSerializer(ApplicationSerializer):
    entered_state_at = serializers.DateTimeField(read_only=True)
    documents_complete = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "entered_state_at", "documents_complete"]

    def get_documents_complete(self, obj) -> bool:
        return bool(obj.has_report and obj.commitment_ok)


class ReviewQueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The bureau's queue (`tab=pending`) or what it passed / returned / rejected, with the same
    filters as the page: state, county, kind, industry, assessor, q, sort."""

    serializer_class = QueueItemSerializer

    def get_queryset(self):
        user = self.request.user
        if not roles.is_reviewing_bureau(user):
            raise Http404
        form = QueueFilterForm(self.request.query_params or None, user=user)
        return selectors.review_queue(user, **form.filters())


class SubmissionDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubmissionDocument
        fields = ["id", "kind", "version", "original_name", "size", "sha256", "page_count", "uploaded_at"]


class CitySubmissionSerializer(serializers.ModelSerializer):
    batch = serializers.IntegerField(source="batch.year", read_only=True)
    city = serializers.CharField(source="city_id", read_only=True)
    bureau = serializers.CharField(source="bureau.name", read_only=True)
    documents = SubmissionDocumentSerializer(many=True, read_only=True)
    applications = serializers.SerializerMethodField()

    class Meta:
        model = CitySubmission
        fields = [
            "id",
            "batch",
            "city",
            "bureau",
            "state",
            "document_number",
            "sent_at",
            "documents",
            "applications",
        ]

    def get_applications(self, obj) -> list[int]:
        return [a.pk for a in selectors.submission_applications(obj)]


class CitySubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A city sees its own submissions, the province every city's (通知 三)."""

    serializer_class = CitySubmissionSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.submissions_visible(self.request.user)

    def get_object(self):
        return selectors.submission_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=None, responses=CitySubmissionSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        submission = self.get_object()
        city_submission_send(submission=submission, by=request.user)
        return Response(CitySubmissionSerializer(submission).data)
