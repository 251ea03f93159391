from django.contrib import admin

from .models import Objection, Publication, PublicityRound


@admin.register(PublicityRound)
class PublicityRoundAdmin(admin.ModelAdmin):
    list_display = ["batch", "starts_on", "ends_on", "opened_by"]


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["entry", "state", "filed_at", "ip_address"]
    readonly_fields = ["state"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["batch", "document_number", "published_on"]
