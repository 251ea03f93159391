from django.urls import path

from . import views

urlpatterns = [
    path("queue/", views.QueueView.as_view(), name="review-queue"),
    path("queue/bulk/", views.QueueBulkView.as_view(), name="review-bulk"),
    path("applications/<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("applications/<int:pk>/transition/", views.ReviewTransitionView.as_view(), name="review-transition"),
    path("submission/", views.SubmissionCurrentView.as_view(), name="submission-current"),
    path("submissions/", views.SubmissionListView.as_view(), name="submission-list"),
    path("submissions/<int:pk>/", views.SubmissionDetailView.as_view(), name="submission-detail"),
    path("submissions/<int:pk>/edit/", views.SubmissionEditView.as_view(), name="submission-edit"),
    path("submissions/<int:pk>/documents/", views.SubmissionUploadView.as_view(), name="submission-upload"),
    path("submissions/<int:pk>/send/", views.SubmissionSendView.as_view(), name="submission-send"),
    path("submissions/<int:pk>/letter.pdf", views.SubmissionLetterView.as_view(), name="submission-letter"),
    path("submissions/<int:pk>/annex2.xlsx", views.SubmissionAnnex2View.as_view(), name="submission-annex2"),
    path(
        "submissions/<int:pk>/documents/<int:document_pk>/",
        views.SubmissionDocumentView.as_view(),
        name="submission-document",
    ),
]
