from django.urls import path

from . import views

urlpatterns = [
    path("", views.BatchCurrentView.as_view(), name="batch-settings-current"),
    path("new/", views.BatchOpenView.as_view(), name="batch-open"),
    path("<int:year>/", views.BatchSettingsView.as_view(), name="batch-settings"),
    path("<int:year>/factory-quotas/", views.CityQuotasUpdateView.as_view(), name="batch-settings-quotas"),
    path("<int:year>/settings/", views.BatchUpdateView.as_view(), name="batch-settings-update"),
    path("<int:year>/extensions/", views.DeadlineExtensionView.as_view(), name="batch-settings-extension"),
    path(
        "<int:year>/extensions/<str:city>/remove/",
        views.DeadlineExtensionRemoveView.as_view(),
        name="batch-settings-extension-remove",
    ),
    path("<int:year>/import/", views.QuotaImportView.as_view(), name="batch-settings-import"),
    path("<int:year>/annex1.xlsx", views.Annex1ExportView.as_view(), name="batch-settings-annex1"),
]
