"""The batch's settings table (quotas/settings_table.py) is the one list of the notice's settings:
a setting added to Batch without a row, or a row the form or the model does not know, fails here."""

from quotas.forms import BatchSettingsForm
from quotas.models import Batch
from quotas.settings_table import EDITABLE, SETTINGS


def test_every_setting_of_the_batch_has_a_row_and_every_row_is_a_setting():
    fields = {f.name for f in Batch._meta.concrete_fields} - {"id", "year"}
    assert set(SETTINGS) == fields


def test_the_batch_page_edits_exactly_the_settings_the_table_marks_editable():
    on_the_form = set(BatchSettingsForm.base_fields) - {"reason"}
    assert on_the_form == set(EDITABLE)
