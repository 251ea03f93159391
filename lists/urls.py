from django.urls import path

from . import views

urlpatterns = [
    path("", views.EntryListView.as_view(), name="lists-entries"),
    path("export.xlsx", views.EntryExportView.as_view(), name="lists-export"),
    path("entries/<int:pk>/", views.EntryDetailView.as_view(), name="lists-entry"),
    path("entries/<int:pk>/end/", views.EntryEndView.as_view(), name="lists-entry-end"),
    path("city/", views.CityListView.as_view(), name="lists-city"),
    path("city/template.xlsx", views.CityListTemplateView.as_view(), name="lists-city-template"),
    path("city/upload/", views.CityListUploadView.as_view(), name="lists-city-upload"),
    path("city/upload/confirm/", views.CityListConfirmView.as_view(), name="lists-city-confirm"),
    path("city/entries/add/", views.CityEntryAddView.as_view(), name="lists-city-add"),
    path("national/", views.NationalListView.as_view(), name="lists-national"),
    path("national/upload/", views.NationalListUploadView.as_view(), name="lists-national-upload"),
    path("national/upload/confirm/", views.NationalListConfirmView.as_view(), name="lists-national-confirm"),
    path("reports/", views.CityReportsView.as_view(), name="lists-reports"),
    path("public/", views.PublicListView.as_view(), name="public-lists"),
]
