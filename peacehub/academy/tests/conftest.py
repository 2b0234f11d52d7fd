"""Academy personas, beside the project's (conftest.py at the root):

- tara: trainer at the convener, which runs the academy
- trent: trainer at West Side Peacekeepers (org B), who runs cohorts of his own
- officer: a police officer in training, with a sign-in of his own and no membership
"""

import pytest

from peacehub.academy.models import TraineeCategory
from peacehub.academy.tests.factories import (
    CohortFactory,
    CourseFactory,
    EnrollmentFactory,
    TraineeFactory,
    signature_outreach,
)
from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import UserFactory, member


@pytest.fixture
def tara(convener):
    return member(convener, Role.TRAINER, "tara@example.org", full_name="Tara Trainer")


@pytest.fixture
def trent(org_b):
    return member(org_b, Role.TRAINER, "trent@example.org", full_name="Trent Othertrainer")


@pytest.fixture
def cohort(convener, tara):
    return CohortFactory(
        course=signature_outreach(),
        organization=convener,
        name="Signature Outreach — Spring",
        trainers=[tara],
    )


@pytest.fixture
def police_cohort(convener, tara):
    course = CourseFactory(
        slug="community-training-academy",
        name="Community Training Academy",
        audience="police_officers",
        required_hours=24,
        length_weeks=3,
    )
    return CohortFactory(
        course=course,
        organization=convener,
        name="Community Training Academy — May",
        trainers=[tara],
    )


@pytest.fixture
def officer(police_cohort):
    """A police officer trainee with a sign-in (a User with no membership)."""
    user = UserFactory(email="officer.reyes@example.org", full_name="Daniel Reyes")
    trainee = TraineeFactory(
        organization=police_cohort.organization,
        full_name="Daniel Reyes",
        category=TraineeCategory.POLICE_OFFICER,
        agency="District 7",
        email=user.email,
        user=user,
    )
    EnrollmentFactory(cohort=police_cohort, trainee=trainee)
    return user


@pytest.fixture
def classmate(police_cohort):
    """Another officer in the same cohort, without a sign-in."""
    return EnrollmentFactory(
        cohort=police_cohort,
        trainee=TraineeFactory(
            organization=police_cohort.organization,
            full_name="Marisol Quintero",
            category=TraineeCategory.POLICE_OFFICER,
        ),
    )
