from django.contrib import admin

from .models import City, County, IndustryDivision


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "city", "kind"]
    list_filter = ["city", "kind"]


@admin.register(IndustryDivision)
class IndustryDivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
