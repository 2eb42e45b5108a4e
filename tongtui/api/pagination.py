from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from tongtui.core.paging import Paginator


class Pagination(PageNumberPagination):
    """?page=N&page_size=M. A page size that is not a whole number from 1 to 500 is refused, not ignored.

    The count is run only when the page does not tell it (`tongtui.core.paging`)."""

    django_paginator_class = Paginator

    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()  # the schema says page is an integer

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("Give a whole number from 1 to %d.") % self.max_page_size]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
