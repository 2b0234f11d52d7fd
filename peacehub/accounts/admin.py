"""The Django admin is for the platform's operators: organizations, accounts and
memberships. No person-level model is registered here (a test holds that line)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from peacehub.accounts.forms import MembershipAdminForm
from peacehub.accounts.models import Membership, Organization, User
from peacehub.accounts.services import sessions_end


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "preferred_language", "is_active", "is_staff"]


class MembershipInline(admin.TabularInline):
    """Read-only here: roles change on the Membership page, which ends sessions."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["organization", "role"]
    readonly_fields = ["organization", "role"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["community_areas"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "usable_password", "password1", "password2"]}),
    ]
    filter_horizontal = []
    list_filter = ["is_active", "is_staff"]

    def get_readonly_fields(self, request, obj=None):
        # An operator cannot raise or lower their own flags.
        if obj is not None and obj.pk == request.user.pk:
            return ["is_active", "is_staff", "is_superuser"]
        return []


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__email", "user__full_name", "organization__name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"role", "organization", "user"} & set(form.changed_data):
            sessions_end(obj.user)

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        sessions_end(user)

    def delete_queryset(self, request, queryset):
        users = [m.user for m in queryset.select_related("user")]
        super().delete_queryset(request, queryset)
        for user in users:
            sessions_end(user)
