"""Read-only admin: state changes go through the services, never through admin forms."""

from django.contrib import admin

from .models import Application, Document, TransitionLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["unit", "batch", "kind", "city", "county", "state", "submitted_at"]
    list_filter = ["batch", "kind", "state", "city"]
    list_select_related = ["unit", "batch", "city", "county"]
    search_fields = ["unit__name"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "version", "original_name", "sha256", "uploaded_at"]


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["application", "transition", "source", "target", "actor", "created_at"]
    list_select_related = ["application__unit", "actor"]
