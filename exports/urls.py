"""Included under reviews/ (greenmfg/urls.py): the city's submission documents and the queue's
spreadsheet belong to the reviewers' pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("submissions/<int:pk>/letter.pdf", views.SubmissionLetterView.as_view(), name="submission-letter"),
    path("queue.xlsx", views.QueueExportView.as_view(), name="review-queue-xlsx"),
    path("submissions/<int:pk>/annex2.xlsx", views.SubmissionAnnex2View.as_view(), name="submission-annex2"),
    path(
        "submissions/<int:pk>/dynamic-opinions.pdf",
        views.SubmissionDynamicOpinionsPdfView.as_view(),
        name="submission-dynamic-opinions-pdf",
    ),
    path(
        "submissions/<int:pk>/dynamic-opinions.xlsx",
        views.SubmissionDynamicOpinionsXlsxView.as_view(),
        name="submission-dynamic-opinions-xlsx",
    ),
]
