"""The form engine: every kind of field, in both languages, for pages and for JSON answers."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from apps.catalog.forms import UploadField, file_field_keys, step_form_class
from apps.catalog.services import answers_clean, answers_summary, answers_validate
from apps.core.exceptions import ApplicationError
from tests.core.sample_files import good_pdf

from .factories import VALID_ANSWERS, make_service

pytestmark = pytest.mark.django_db

PDF = good_pdf()
BAD_ID_MESSAGE = "The check digit of this ID number is wrong. Please check every digit."
BAD_PHONE_MESSAGE = "Enter an 11-digit mobile number starting with 1, for example 13800138000."


@pytest.fixture
def version(department):
    return make_service(department=department).current_version()


def step_one_data(**changes):
    data = {k: v for k, v in VALID_ANSWERS.items() if k not in {"needs", "notes"}}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_step_form_builds_each_kind_with_labels_in_english(version):
    # given English is active
    with translation.override("en"):
        # when the form of step 1 is built
        form = step_form_class(version, 1)()
        # then it has the step's fields, in order, with English labels and fitting widgets
        assert list(form.fields) == [
            "full_name",
            "id_number",
            "phone",
            "birth_date",
            "gender",
            "address",
            "household",
        ]
        assert form.fields["full_name"].label == "Full name"
        assert isinstance(form.fields["address"].widget, forms.Textarea)
        # typed as year-month-day in the page's format, not the browser's date picker
        assert form.fields["birth_date"].widget.input_type == "text"
        assert form.fields["birth_date"].widget.format_hint
        assert isinstance(form.fields["gender"].widget, forms.RadioSelect)
        assert form.fields["gender"].choices == [("f", "Female"), ("m", "Male")]
        assert isinstance(form.fields["household"], forms.DecimalField)
        assert form.fields["phone"].widget.input_type == "tel"
        assert form.fields["id_number"].definition.kind == "id_number"


def test_step_form_labels_in_chinese(version):
    with translation.override("zh-hans"):
        form = step_form_class(version, 2)()
        assert form.fields["needs"].label == "服务需求"
        assert form.fields["needs"].choices[0] == ("meals", "助餐")
        assert isinstance(form.fields["needs"].widget, forms.CheckboxSelectMultiple)
        assert isinstance(form.fields["notes"].widget, forms.Textarea)


def test_a_valid_step_cleans_to_json_safe_answers(version):
    form = step_form_class(version, 1)(data=step_one_data())
    assert form.is_valid(), form.errors
    assert form.answers() == {
        "full_name": "王秀兰",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
        "birth_date": "1949-12-31",
        "gender": "f",
        "address": "东城区建国门内大街 1 号",
        "household": "2",
    }


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", BAD_ID_MESSAGE),
        (
            {"id_number": "12345"},
            "id_number",
            "Enter an 18-character resident ID number, for example 11010519491231002X.",
        ),
        ({"phone": "23800138000"}, "phone", BAD_PHONE_MESSAGE),
        ({"household": "21"}, "household", "Ensure this value is less than or equal to 20."),
        ({"household": "0"}, "household", "Ensure this value is greater than or equal to 1."),
        ({"household": "many"}, "household", "Enter a number."),
        ({"full_name": None}, "full_name", "This field is required."),
        (
            {"gender": "x"},
            "gender",
            "Select a valid choice. x is not one of the available choices.",
        ),
        ({"birth_date": "3000-01-01"}, "birth_date", None),
        ({"full_name": "王" * 21}, "full_name", None),
    ],
)
def test_each_kind_refuses_bad_input_with_a_clear_english_message(version, changes, key, message):
    # given English is active and one answer is wrong
    with translation.override("en"):
        form = step_form_class(version, 1)(data=step_one_data(**changes))
        # then the form is invalid on that field only, with the clear message
        assert not form.is_valid()
        assert list(form.errors) == [key]
        if message:
            assert form.errors[key] == [message]


def test_messages_are_in_chinese_when_chinese_is_active(version):
    with translation.override("zh-hans"):
        form = step_form_class(version, 1)(
            data=step_one_data(full_name=None, household="21", gender="x")
        )
        assert not form.is_valid()
        assert form.errors["full_name"] == ["该字段是必填项。"]
        assert form.errors["household"] == ["确保该值小于或等于20。"]
        assert "不在可用的选项中" in form.errors["gender"][0]


def test_multichoice_refuses_an_unknown_option(version):
    with translation.override("en"):
        form = step_form_class(version, 2)(data=MultiValueDict({"needs": ["meals", "golf"]}))
        assert not form.is_valid()
        assert "golf" in form.errors["needs"][0]


def test_a_pattern_rule_gives_its_own_message(department):
    version = make_service(department=department, publish=False).draft_version()
    field = version.fields.get(key="full_name")
    field.rules = {"pattern": r"^\D+$", "pattern_message_en": "Letters only, please."}
    field.save()
    with translation.override("en"):
        form = step_form_class(version, 1)(data=step_one_data(full_name="R2D2"))
        assert not form.is_valid()
        assert form.errors["full_name"] == ["Letters only, please."]


# --- file fields ----------------------------------------------------------------------------


def test_file_fields_are_listed_and_never_required_by_the_form(version):
    assert file_field_keys(version, 2) == ["id_scan"]
    assert file_field_keys(version, 1) == []
    assert file_field_keys(version) == ["id_scan"]
    form = step_form_class(version, 2)(data=MultiValueDict({"needs": ["meals"]}))
    assert isinstance(form.fields["id_scan"], UploadField)
    assert form.fields["id_scan"].widget.allow_multiple_selected
    assert form.is_valid(), form.errors
    assert form.files_by_key() == {"id_scan": []}


def test_several_files_are_cleaned_to_a_list(version):
    files = MultiValueDict(
        {"id_scan": [SimpleUploadedFile("front.pdf", PDF), SimpleUploadedFile("back.pdf", PDF)]}
    )
    form = step_form_class(version, 2)(data=MultiValueDict({"needs": ["meals"]}), files=files)
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["id_scan"]] == ["front.pdf", "back.pdf"]


def test_a_file_named_pdf_that_is_not_one_is_refused_by_the_form(version):
    files = MultiValueDict({"id_scan": [SimpleUploadedFile("id.pdf", b"not a pdf at all")]})
    with translation.override("en"):
        form = step_form_class(version, 2)(data=MultiValueDict({"needs": ["meals"]}), files=files)
        assert not form.is_valid()
        assert form.errors["id_scan"] == ["“id.pdf” is not a PDF, JPEG or PNG file."]


def test_too_many_or_too_large_files_are_refused(version):
    three = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(3)]
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    with translation.override("en"):
        form = step_form_class(version, 2)(
            data=MultiValueDict({"needs": ["meals"]}), files=MultiValueDict({"id_scan": three})
        )
        assert not form.is_valid()
        assert form.errors["id_scan"] == ["Upload at most 2 files here."]
        form = step_form_class(version, 2)(
            data=MultiValueDict({"needs": ["meals"]}), files=MultiValueDict({"id_scan": [big]})
        )
        assert not form.is_valid()
        assert "larger than 1 MB" in form.errors["id_scan"][0]


# --- answers dicts (the API and the final check before submission) ---------------------------


def test_answers_validate_accepts_a_valid_dict(version):
    assert answers_validate(version=version, answers=VALID_ANSWERS) == {}


def test_answers_validate_returns_messages_by_key(version):
    # given a dict with several mistakes and a missing answer
    answers = dict(
        VALID_ANSWERS,
        id_number="110105194912310021",
        phone="12345",
        household=50,
        gender="x",
        needs="meals",
    )
    del answers["full_name"]
    # when it is validated in English
    with translation.override("en"):
        errors = answers_validate(version=version, answers=answers)
    # then every mistake is named under its key, once
    assert errors == {
        "full_name": ["This field is required."],
        "id_number": [BAD_ID_MESSAGE],
        "phone": [BAD_PHONE_MESSAGE],
        "household": ["Ensure this value is less than or equal to 20."],
        "gender": ["Select a valid choice. x is not one of the available choices."],
        "needs": ["Choose from the list of options."],
    }


def test_answers_validate_in_chinese(version):
    answers = dict(VALID_ANSWERS, household=50)
    del answers["full_name"]
    with translation.override("zh-hans"):
        errors = answers_validate(version=version, answers=answers)
    assert errors == {"full_name": ["该字段是必填项。"], "household": ["确保该值小于或等于20。"]}


def test_partial_answers_check_only_what_is_there(version):
    assert answers_validate(version=version, answers={"phone": "13800138000"}, partial=True) == {}
    errors = answers_validate(version=version, answers={"phone": "1"}, partial=True)
    assert list(errors) == ["phone"]


def test_answers_validate_for_some_steps(version):
    answers = {k: v for k, v in VALID_ANSWERS.items() if k not in {"needs"}}
    assert answers_validate(version=version, answers=answers, steps=[1]) == {}
    assert list(answers_validate(version=version, answers=answers, steps=[2])) == ["needs"]


def test_a_list_for_a_single_answer_is_refused(version):
    with translation.override("en"):
        errors = answers_validate(version=version, answers=dict(VALID_ANSWERS, full_name=["a"]))
    assert errors == {"full_name": ["Enter a single value."]}


def test_answers_clean_normalises_and_drops_unknown_keys(version):
    cleaned = answers_clean(version=version, answers=dict(VALID_ANSWERS, hacker="x"))
    assert cleaned["id_number"] == "11010519491231002X"
    assert cleaned["phone"] == "13800138000"
    assert cleaned["household"] == "2"
    assert cleaned["needs"] == ["meals", "medical"]
    assert "hacker" not in cleaned


def test_answers_clean_raises_with_the_errors(version):
    with pytest.raises(ApplicationError) as caught:
        answers_clean(version=version, answers=dict(VALID_ANSWERS, phone="1"))
    assert list(caught.value.errors) == ["phone"]


def test_answers_summary_reads_like_a_person_wrote_it(version):
    answers = answers_clean(version=version, answers=VALID_ANSWERS)
    rows = {
        row["key"]: row for row in answers_summary(version=version, answers=answers, language="en")
    }
    assert rows["gender"]["label"] == "Sex"
    assert rows["gender"]["value"] == "Female"
    assert rows["needs"]["value"] == "Meals, Medical"
    assert rows["birth_date"]["value"] == "Dec. 31, 1949"
    assert "id_scan" not in rows
    zh = {
        r["key"]: r for r in answers_summary(version=version, answers=answers, language="zh-hans")
    }
    assert zh["gender"]["value"] == "女"
    assert zh["needs"]["value"] == "助餐、助医"
    assert zh["birth_date"]["value"] == "1949年12月31日"
    masked = answers_summary(version=version, answers=answers, mask_id_numbers=True)
    assert [r["value"] for r in masked if r["key"] == "id_number"] == ["1101**********002X"]
