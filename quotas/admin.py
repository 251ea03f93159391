"""The admin shows batches but changes their rules only where no city counts on them: quotas,
deadlines, extensions and the other notice settings are changed on the province's settings page,
through the services, so each change is checked and recorded (BatchChange)."""

from django.contrib import admin

from .models import Batch, BatchChange, CityQuota, DeadlineExtension
from .settings_table import EDITABLE


class CityQuotaInline(admin.TabularInline):
    model = CityQuota
    extra = 0
    readonly_fields = ["city", "factory_quota"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "notice_number", "city_submission_deadline", "accepting_applications"]
    inlines = [CityQuotaInline]

    def get_readonly_fields(self, request, obj=None):
        return list(EDITABLE) if obj is not None else []


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["batch", "city", "deadline", "granted_by", "granted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BatchChange)
class BatchChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "batch", "field", "city", "old_value", "new_value", "actor", "reason"]
    list_filter = ["batch", "field"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
