from django.contrib import admin

from lapis.partnership.models import Board, Membership, Partnership, Person


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Person, Board)
class NamedAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "role"]
    list_filter = ["partnership", "role"]


def _operator_only(request) -> bool:
    """The Django admin is for the site's operator (superusers), never a partnership's staff:
    it reads every partnership's rows."""
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _operator_only
