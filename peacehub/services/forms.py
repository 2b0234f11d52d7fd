import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from peacehub.accounts.models import Organization
from peacehub.cases.domains import Domain
from peacehub.geo.models import CommunityArea
from peacehub.people.forms import CommunityAreaChoiceField, TextLimitsSaid
from peacehub.services.models import (
    MAX_AGE,
    NEEDS_TAXONOMY_ID,
    DirectoryOrganization,
    LanguageCode,
    Location,
    Service,
)

_PHONE_ALLOWED = re.compile(r"^[0-9 +().\-]*$")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

language_code = RegexValidator(
    r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$",
    _("Give a language code such as “es” (ISO 639)."),
)


class ServiceSearchForm(forms.Form):
    """The search's filters, for the page and the API alike."""

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    need = forms.ChoiceField(
        label=_("Need"), required=False, choices=[("", _("Any need")), *Domain.choices]
    )
    area = CommunityAreaChoiceField(
        required=False, to_field_name="number", empty_label=_("Any area")
    )
    language = forms.CharField(
        label=_("Language"), required=False, max_length=20, validators=[language_code]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].error_messages["invalid_choice"] = _("Choose a need from the list.")

    def filters(self) -> dict:
        """The keyword arguments of services_search; call after is_valid()."""
        data = self.cleaned_data
        return {
            "need": data.get("need") or "",
            "area_id": data["area"].pk if data.get("area") else None,
            "language": data.get("language") or "",
            "text": data.get("q") or "",
        }


class AreasField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("Choose community areas from the list."),
        "invalid_pk_value": _("Choose community areas from the list."),
    }


class ServiceForm(TextLimitsSaid, forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("Needs it meets"),
        choices=Domain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken (without an interpreter)"),
        choices=LanguageCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    community_areas = AreasField(
        label=_("Community areas served"),
        queryset=CommunityArea.objects.defer("boundary").order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Main phone"), required=False, max_length=50)
    url = forms.URLField(
        label=_("web page"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, such as https://example.org.")},
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=0, max_value=MAX_AGE
    )
    maximum_age = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=0, max_value=MAX_AGE
    )

    class Meta:
        model = Service
        fields = [
            "organization",
            "name",
            "alternate_name",
            "description",
            "status",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "fees_description",
            "application_process",
            "url",
            "email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "eligibility_description": forms.Textarea(attrs={"rows": 3}),
            "fees_description": forms.Textarea(attrs={"rows": 2}),
            "application_process": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "organization": {"invalid_choice": _("Choose an organization from the list.")},
            "name": {"required": _("Enter a name.")},
            "url": {"invalid": _("Enter a full web address, such as https://example.org.")},
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].empty_label = None
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})
        service = self.instance
        if service.pk and not self.is_bound:
            self.initial["needs"] = [
                a.taxonomy_term.code
                for a in service.attributes.select_related("taxonomy_term")
                if a.taxonomy_term.taxonomy_id == NEEDS_TAXONOMY_ID
            ]
            self.initial["languages"] = [
                x.code for x in service.languages.all() if x.code in LanguageCode.values
            ]
            self.initial["community_areas"] = list(
                CommunityArea.objects.filter(service_areas__service=service)
                .distinct()
                .values_list("pk", flat=True)
            )
            main = service.phones.order_by("number", "id").first()
            self.initial["phone"] = main.number if main else ""

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        digits = re.sub(r"\D", "", phone)
        if phone and (not _PHONE_ALLOWED.match(phone) or not 7 <= len(digits) <= 15):
            raise forms.ValidationError(_("Enter a phone number of 7 to 15 digits."), code="phone")
        return phone

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age is below the minimum age."))
        return cleaned


class LocationForm(TextLimitsSaid, forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "name",
            "location_type",
            "description",
            "address_1",
            "address_2",
            "city",
            "state_province",
            "postal_code",
            "latitude",
            "longitude",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "latitude": _(
                "Decimal degrees, for example 41.7794. The community area is "
                "found from the coordinates."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def clean(self):
        cleaned = super().clean()
        for name, limit in (("latitude", 90), ("longitude", 180)):
            value = cleaned.get(name)
            if value is not None and not -limit <= value <= limit:
                self.add_error(
                    name,
                    _("Give a value from %(low)s to %(high)s.") % {"low": -limit, "high": limit},
                )
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not self.errors.get("latitude"):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        address = [cleaned.get(f) for f in ("address_1", "city", "state_province", "postal_code")]
        if any(address) and not all(address):
            self.add_error(None, _("Complete the address: street, city, state and ZIP code."))
        if not cleaned.get("name") and not cleaned.get("address_1"):
            self.add_error("name", _("Give the place a name or an address."))
        return cleaned


class DirectoryOrganizationForm(TextLimitsSaid, forms.ModelForm):
    website = forms.URLField(
        label=_("website"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, such as https://example.org.")},
    )

    class Meta:
        model = DirectoryOrganization
        fields = ["name", "alternate_name", "description", "email", "website", "organization"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": _("Enter a name.")},
            "website": {"invalid": _("Enter a full web address, such as https://example.org.")},
            "organization": {"invalid_choice": _("Choose an organization from the list.")},
        }

    def __init__(self, *args, may_link: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if may_link:
            field = self.fields["organization"]
            field.queryset = Organization.objects.exclude(kind=Organization.Kind.CONVENER)
            field.empty_label = _("Not a member of the coalition")
            field.help_text = _("Services of a coalition member can receive referrals in PeaceHub.")
        else:
            del self.fields["organization"]


class HsdsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file (JSON)"),
        help_text=_(
            "A JSON array of HSDS 3.0 service objects, each with its organization, "
            "locations, phones, languages, service areas and categories nested."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20},
                code="too_big",
            )
        return upload
