from django.urls import path

from . import submission_views as sv
from . import views

urlpatterns = [
    path("queue/", views.QueueView.as_view(), name="review-queue"),
    path("queue/bulk/", views.QueueBulkView.as_view(), name="review-bulk"),
    path("applications/<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("applications/<int:pk>/transition/", views.ReviewTransitionView.as_view(), name="review-transition"),
    path("submission/", sv.SubmissionCurrentView.as_view(), name="submission-current"),
    path("submissions/", sv.SubmissionListView.as_view(), name="submission-list"),
    path("submissions/<int:pk>/", sv.SubmissionDetailView.as_view(), name="submission-detail"),
    path("submissions/<int:pk>/edit/", sv.SubmissionEditView.as_view(), name="submission-edit"),
    path("submissions/<int:pk>/documents/", sv.SubmissionUploadView.as_view(), name="submission-upload"),
    path("submissions/<int:pk>/send/", sv.SubmissionSendView.as_view(), name="submission-send"),
    path(
        "submissions/<int:pk>/documents/<int:document_pk>/",
        sv.SubmissionDocumentView.as_view(),
        name="submission-document",
    ),
]
