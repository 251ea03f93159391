from django.urls import path

from . import views

urlpatterns = [
    path("", views.FormListView.as_view(), name="dynamic-forms"),
    path("open/", views.CampaignOpenView.as_view(), name="dynamic-open"),
    path("forms/<int:pk>/", views.FormDetailView.as_view(), name="dynamic-form"),
    path("forms/<int:pk>/edit/", views.FormEditView.as_view(), name="dynamic-form-edit"),
    path("forms/<int:pk>/changes/", views.ChangeAddView.as_view(), name="dynamic-change-add"),
    path(
        "forms/<int:pk>/changes/<int:change_pk>/remove/",
        views.ChangeRemoveView.as_view(),
        name="dynamic-change-remove",
    ),
    path("forms/<int:pk>/upload/", views.DocumentUploadView.as_view(), name="dynamic-upload"),
    path(
        "forms/<int:pk>/documents/<int:document_pk>/",
        views.DocumentDownloadView.as_view(),
        name="dynamic-document",
    ),
    path("forms/<int:pk>/transition/", views.FormTransitionView.as_view(), name="dynamic-transition"),
]
