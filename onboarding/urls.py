from django.urls import path

from . import views

urlpatterns = [
    path("register/", views.RegisterChooseView.as_view(), name="register"),
    path("register/join/", views.JoinRequestView.as_view(), name="registration-join"),
    path("register/<slug:kind>/", views.RegisterView.as_view(), name="register-kind"),
    path("verification/", views.VerificationQueueView.as_view(), name="verification-queue"),
    path("verification/<int:pk>/", views.VerificationDetailView.as_view(), name="verification-detail"),
    path(
        "verification/<int:pk>/documents/<int:document_pk>/",
        views.RegistrationDocumentView.as_view(),
        name="registration-document",
    ),
    path("identity-change/", views.IdentityChangeRequestView.as_view(), name="identity-change"),
    path(
        "identity-change/<int:pk>/", views.IdentityChangeDetailView.as_view(), name="identity-change-detail"
    ),
    path("verification/resubmit/", views.ResubmitView.as_view(), name="verification-resubmit"),
]
