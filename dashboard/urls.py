from django.urls import path

from . import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("applications/", views.ApplicationListView.as_view(), name="dashboard-applications"),
    path("applications.xlsx", views.ApplicationListExportView.as_view(), name="dashboard-applications-xlsx"),
    path("dashboard.xlsx", views.DashboardExportView.as_view(), name="dashboard-xlsx"),
    path("annex2.xlsx", views.ProvinceAnnex2ExportView.as_view(), name="dashboard-annex2"),
]
