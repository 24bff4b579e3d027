from django.contrib import admin

from lapis.plans.models import Plan, Status, StatusScale


class StatusInline(admin.TabularInline):
    model = Status
    extra = 0


@admin.register(StatusScale)
class StatusScaleAdmin(admin.ModelAdmin):
    inlines = [StatusInline]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "scale"]
