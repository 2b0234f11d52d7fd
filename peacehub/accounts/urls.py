from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from peacehub.accounts import views
from peacehub.accounts.forms import PasswordSetForm

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.api_token_create, name="token_create"),
    path("tokens/<uuid:token_id>/revoke/", views.api_token_revoke, name="token_revoke"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordSetForm,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("organizations/", views.organization_choose, name="organizations"),
    path("organizations/<uuid:organization_id>/staff/", views.staff_list, name="staff"),
    path("organizations/<uuid:organization_id>/staff/add/", views.staff_add, name="staff_add"),
    path(
        "organizations/<uuid:organization_id>/staff/<uuid:membership_id>/",
        views.staff_edit,
        name="staff_edit",
    ),
    path(
        "organizations/<uuid:organization_id>/staff/<uuid:membership_id>/remove/",
        views.staff_remove,
        name="staff_remove",
    ),
    path(
        "organizations/<uuid:organization_id>/staff/<uuid:membership_id>/deactivate/",
        views.staff_deactivate,
        name="staff_deactivate",
    ),
]
