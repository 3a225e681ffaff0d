"""Grants on cases and review tasks live in guardian's direct foreign-key tables: a list joins
them by the case's integer id (with an index), never the generic rows' text `object_pk`."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from apps.cases.models import Case, CaseGroupGrant, CaseUserGrant, ReviewTask, TaskGroupGrant
from apps.complaints.models import Complaint
from tests.cases.staff_factories import submitted_case

pytestmark = pytest.mark.django_db


def test_guardian_picks_the_direct_tables_for_cases_complaints_and_tasks():
    assert get_user_obj_perms_model(Case) is CaseUserGrant
    assert get_group_obj_perms_model(Case) is CaseGroupGrant
    # The proxy shares its table's grants.
    assert get_user_obj_perms_model(Complaint) is CaseUserGrant
    assert get_group_obj_perms_model(ReviewTask) is TaskGroupGrant


def test_a_grant_is_written_read_and_withdrawn_through_the_direct_table(service):
    case, other = submitted_case(service), submitted_case(service)
    resident = case.applicant
    group = Group.objects.create(name="grant-test")
    assign_perm("cases.process_case", group, case)
    resident.groups.add(group)
    assert CaseGroupGrant.objects.filter(content_object=case, group=group).exists()
    assert not GroupObjectPermission.objects.exists()
    assert not UserObjectPermission.objects.exists()  # the applicant's own grants too
    assert CaseUserGrant.objects.filter(content_object=case, user=resident).exists()
    resident = type(resident).objects.get(pk=resident.pk)  # a fresh permission cache
    assert resident.has_perm("cases.process_case", case)
    assert not resident.has_perm("cases.process_case", other)
    found = get_objects_for_user(resident, "cases.process_case", klass=Case)
    assert list(found) == [case]
    remove_perm("cases.process_case", group, case)
    assert not CaseGroupGrant.objects.filter(content_object=case, group=group).exists()


def test_the_migration_moves_generic_rows_into_the_direct_tables(service):
    case = submitted_case(service)
    resident = case.applicant
    case_type = ContentType.objects.get_for_model(Case)
    view = Permission.objects.get(codename="view_case", content_type=case_type)
    CaseUserGrant.objects.all().delete()
    UserObjectPermission.objects.create(
        user=resident, permission=view, content_type=case_type, object_pk=str(case.pk)
    )
    migration = importlib.import_module("apps.cases.migrations.0009_grants_to_direct_fk")
    editor = SimpleNamespace(connection=connection)  # the migration uses only its connection
    migration.forward(django_apps, editor)
    assert list(CaseUserGrant.objects.values_list("user_id", "content_object_id")) == [
        (resident.pk, case.pk)
    ]
    assert not UserObjectPermission.objects.exists()
    migration.backward(django_apps, editor)
    assert UserObjectPermission.objects.get().object_pk == str(case.pk)
    assert not CaseUserGrant.objects.exists()
