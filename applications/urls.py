from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"),
    path("<int:pk>/transition/", views.ApplicationTransitionView.as_view(), name="application-transition"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.DocumentDownloadView.as_view(),
        name="application-document",
    ),
]
