"""Records of one form: the list model (`model`) and page (`list_page`), the page editing one
record (`record_page`), and how a record's status and marks look (`status`).

Nothing is imported here: the dialogs import `status` without the pages, which import them.
"""
