from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api import TokenObtainView, TokenRevokeView
from accounts.views import SignOutView
from applications.api import ApplicationViewSet
from dynamic.api import DynamicFormViewSet
from lists.api import ListEntryViewSet, ListImportViewSet
from quotas.api import BatchViewSet
from reviews.api import CitySubmissionViewSet, ReviewQueueViewSet

from . import views

# No format-suffix routes (…/history.json): JSON is the only format; a suffix is a 404.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("batches", BatchViewSet, basename="batch")
router.register("applications", ApplicationViewSet, basename="application")
router.register("reviews/queue", ReviewQueueViewSet, basename="review-queue-api")
router.register("reviews/submissions", CitySubmissionViewSet, basename="city-submission")
router.register("lists/entries", ListEntryViewSet, basename="list-entry")
router.register("lists/imports", ListImportViewSet, basename="list-import")
router.register("dynamic/forms", DynamicFormViewSet, basename="dynamic-form-api")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.HealthView.as_view(), name="healthz"),
    path("forms/<slug:name>/", views.BlankFormView.as_view(), name="public-blank-form"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("onboarding.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("applications/", include("applications.urls")),
    path("quotas/", include("quotas.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("reviews/", include("reviews.urls")),
    path("reviews/", include("exports.urls")),  # the submission's letter and Annex 2
    path("experts/", include("experts.urls")),
    path("publicity/", include("publicity.urls")),
    path("lists/", include("lists.urls")),
    path("dynamic/", include("dynamic.urls")),
    path("api/v1/auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("api/v1/auth/logout/", TokenRevokeView.as_view(), name="api-token-revoke"),
    # Namespaced: the pages own the names application-detail, application-transition, ….
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Only in development: serving static files through Django is for `make run`, not production.
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
