import factory

from peacehub.referrals.models import Referral, ReferralEvent, ReferralStatus
from peacehub.services.models import DirectoryOrganization, Service


def coalition_service(organization, name="Legal Aid Justice Corps"):
    """A directory service run by a coalition organization, so it receives referrals."""
    directory = DirectoryOrganization.objects.create(
        name=organization.name, organization=organization
    )
    return Service.objects.create(organization=directory, name=name)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral as sent: the consent must name the service's organization."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    person = factory.SubFactory("peacehub.people.tests.factories.PersonFactory")
    sending_organization = factory.LazyAttribute(lambda r: r.person.organization)
    receiving_organization = factory.LazyAttribute(lambda r: r.service.receiving_organization)
    reason = "Eviction notice; needs a lawyer before the hearing"
    status = ReferralStatus.SENT

    @factory.post_generation
    def sent_event(referral, create, extracted, **kwargs):
        if create:
            ReferralEvent.objects.create(
                referral=referral,
                status=ReferralStatus.SENT,
                by=referral.sent_by,
                by_organization=referral.sending_organization,
            )
