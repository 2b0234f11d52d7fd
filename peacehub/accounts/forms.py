from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from peacehub.accounts.models import Membership, User
from peacehub.accounts.roles import Role
from peacehub.accounts.services import refuse_outside_trainee


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProfileForm(forms.ModelForm):
    """Only what a person may change about themselves: never a role, an organization
    or a staff flag, whatever the request carries."""

    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name


class RoleChoiceField(forms.ChoiceField):
    default_error_messages = {
        "invalid_choice": _("Choose a role from the list."),
    }

    def __init__(self, **kwargs):
        super().__init__(label=_("Role"), choices=Role.choices, **kwargs)


class MembershipAddForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    role = RoleChoiceField()

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name


class MembershipRoleForm(forms.Form):
    role = RoleChoiceField()


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"), max_length=100, help_text=_("For example: laptop sync")
    )


class MembershipAdminForm(forms.ModelForm):
    """The Django admin's form: the role is a choice from the list, like everywhere,
    and an outside trainee of the academy never becomes staff."""

    role = RoleChoiceField()

    class Meta:
        model = Membership
        fields = ["user", "organization", "role"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        refuse_outside_trainee(user)
        return user


class PasswordSetForm(PasswordResetForm):
    """Django's reset form, which also reaches new staff: an account made by an
    organization admin has no password until its owner sets one through this link."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)
