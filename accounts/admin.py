from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Assessor, AssessorGroup, Enterprise, Organisation, Park, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("所属单位"), {"fields": ("organisation", "phone")}))
    list_display = ["username", "organisation", "email", "is_active"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "county"]
    list_filter = ["kind", "city"]
    search_fields = ["name"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["organisation", "credit_code", "industry_class"]
    search_fields = ["organisation__name", "credit_code"]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["organisation", "park_type", "level", "value_added_share"]


@admin.register(AssessorGroup)
class AssessorGroupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Assessor)
class AssessorAdmin(admin.ModelAdmin):
    list_display = ["organisation", "credit_code", "group"]
