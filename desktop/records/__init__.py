"""Records of one form: the list model and page, and the page editing one record."""

from desktop.records.list_page import RecordListPage
from desktop.records.model import RECORD_ID_ROLE, RecordListModel
from desktop.records.record_page import RecordPage

__all__ = ["RECORD_ID_ROLE", "RecordListModel", "RecordListPage", "RecordPage"]
