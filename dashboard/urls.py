from django.urls import path

from . import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("applications/", views.ApplicationListView.as_view(), name="dashboard-applications"),
]
