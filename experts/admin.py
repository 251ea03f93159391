from django.contrib import admin

from .models import ExpertAssignment, ExpertOpinion


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(admin.ModelAdmin):
    list_display = ["application", "expert", "assigned_at", "ended_at"]
    raw_id_fields = ["application", "expert", "assigned_by", "ended_by"]


@admin.register(ExpertOpinion)
class ExpertOpinionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "passed", "score", "recorded_at"]
    raw_id_fields = ["assignment"]
