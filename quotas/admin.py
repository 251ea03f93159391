from django.contrib import admin

from .models import Batch, CityQuota, DeadlineExtension


class CityQuotaInline(admin.TabularInline):
    model = CityQuota
    extra = 0


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "notice_number", "city_submission_deadline", "accepting_applications"]
    inlines = [CityQuotaInline]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["batch", "city", "deadline", "granted_by", "granted_at"]
