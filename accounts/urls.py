from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("members/", views.MembersView.as_view(), name="members"),
    path("bureau-admins/", views.BureauAdminsView.as_view(), name="bureau-admins"),
    path("lockouts/", views.LockoutsView.as_view(), name="lockouts"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/set/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
