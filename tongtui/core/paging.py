"""Django's paginator, counting only when the first page does not tell the count.

The first page is read before anything is counted. When it is shorter than the page size it is the whole list,
and its length is the count. Only a full first page (more may follow) or a later page runs the COUNT query, as
Django's paginator does; a later page is checked against the count before it is read, so an absurd page number
is refused, not sent to the database as an offset. Most lists a unit opens fit on one page, so their COUNT (which
repeats the whole filter, subqueries and all) is not run at all.

Behaviour is Django's otherwise: the same errors for a page that is not a whole number or out of range, and
`get_page` falls back to the first or last page as Django's does.
"""

from typing import Any

from django.core import paginator


class Paginator(paginator.Paginator):
    def _whole(self, number: Any) -> int:
        """The page number as Django's `validate_number` reads it, short of the upper bound (which needs the count)."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise paginator.PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise paginator.EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number: Any) -> paginator.Page:
        # orphans move rows between pages, and a later page needs the count first: Django's own way
        if self.orphans or "count" in self.__dict__ or self._whole(number) != 1:
            return super().page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.count = len(rows)  # type: ignore[misc]  # the cached_property, filled without a query
            if not rows:
                self.validate_number(1)  # an empty first page may be refused (allow_empty_first_page)
        return self._get_page(rows, 1, self)  # type: ignore[attr-defined]  # Django's hook for the page class

    def get_page(self, number: Any) -> paginator.Page:
        try:
            whole = self._whole(number)
        except paginator.InvalidPage:
            return super().get_page(number)
        try:
            return self.page(whole)
        except paginator.EmptyPage:
            return self.page(self.num_pages)
