from django.urls import path

from . import views

urlpatterns = [
    path("start/", views.ApplicationStartView.as_view(), name="application-start"),
    path("<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"),
    path("<int:pk>/edit/", views.ApplicationEditView.as_view(), name="application-edit"),
    path("<int:pk>/assessor/", views.ApplicationAssessorView.as_view(), name="application-assessor"),
    path("<int:pk>/upload/", views.DocumentUploadView.as_view(), name="application-upload"),
    path("<int:pk>/submit/", views.ApplicationSubmitView.as_view(), name="application-submit"),
    path("<int:pk>/receipt/", views.ApplicationReceiptView.as_view(), name="application-receipt"),
    path("<int:pk>/transition/", views.ApplicationTransitionView.as_view(), name="application-transition"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.DocumentDownloadView.as_view(),
        name="application-document",
    ),
]
