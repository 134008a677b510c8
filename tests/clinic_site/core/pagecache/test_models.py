"""The content version changes on every write to public content, however it is made, and costs
one primary-key read."""

import pytest
from django.db import connection

from clinic_site.core.clinic.models import ClinicDetails
from clinic_site.core.pagecache.models import PublicContent, content_version, public_models
from clinic_site.core.pagecache.triggers import install_triggers
from conditions.models import Condition, Reference, Treatment, UrgentAdvice
from tests.factories import ConditionFactory, TreatmentFactory

pytestmark = pytest.mark.django_db


def changes(action):
    before = content_version()
    action()
    after = content_version()
    assert before is not None and after is not None
    return after != before


def test_every_public_model_and_its_link_tables_are_watched():
    watched = {model._meta.db_table for model in public_models()}
    assert {
        "conditions_condition",
        "conditions_condition_treatments",
        "conditions_condition_related_conditions",
        "conditions_guide_treatments",
        "conditions_guide_related_conditions",
        "conditions_urgentadvice",
        "conditions_reference",
        "conditions_articleimage",
        "clinic_clinicdetails",
    } <= watched
    assert all(issubclass(m, PublicContent) or m._meta.auto_created for m in public_models())
    # Private rows are never watched: a patient's inquiry does not empty the page cache.
    assert not any(table.startswith(("contact_", "conditions_historical")) for table in watched)


def test_saves_updates_deletes_and_link_changes_each_give_a_new_version():
    condition, treatment = ConditionFactory(), TreatmentFactory()
    assert changes(lambda: ConditionFactory())
    assert changes(lambda: Condition.objects.filter(pk=condition.pk).update(title="Updated"))
    assert changes(lambda: condition.treatments.add(treatment))
    assert changes(lambda: condition.treatments.remove(treatment))
    assert changes(lambda: Reference.objects.create(article=condition, title="Source"))
    assert changes(lambda: Treatment.objects.filter(pk=treatment.pk).delete())
    assert changes(lambda: ClinicDetails.objects.update(fax="574-000-0000"))
    assert changes(lambda: UrgentAdvice.objects.update(summary="Changed."))


def test_a_raw_sql_fix_gives_a_new_version_too():
    condition = ConditionFactory()

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE conditions_condition SET title = 'Fixed' WHERE id = %s",
                           [condition.pk])  # fmt: skip

    assert changes(raw_update)


def test_private_writes_leave_the_version_alone():
    from contact.models import Inquiry

    assert not changes(lambda: Inquiry.objects.update(status="closed"))


def test_reading_the_version_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert content_version() is not None


def test_installing_the_triggers_again_changes_nothing_but_the_version():
    before = content_version()
    install_triggers(connection.alias)
    install_triggers(connection.alias)
    assert content_version() != before
    assert changes(lambda: ConditionFactory())
