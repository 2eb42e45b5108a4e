"""API for one's own notifications: list (newest first, `?unread=1` for the unread ones), mark one or all
read. Nobody sees another person's notifications: theirs are a 404, like a missing one."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.views import ApiViewSet
from tongtui.notify import access, actions
from tongtui.notify.models import Notification
from tongtui.notify.serializers import MarkedSerializer, NotificationSerializer

TAGS = ["notifications"]


@extend_schema_view(
    list=extend_schema(
        summary="My notifications, newest first",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only the unread ones.")],
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="One of my notifications", tags=TAGS),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = NotificationSerializer
    filter_backends: list[Any] = []
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[Notification]:
        mine = access.notifications_of(self.request.user)
        unread = self.request.query_params.get("unread")
        if self.action == "list" and unread is not None:
            if unread not in ("1", "true", "0", "false"):
                raise ValidationError({"unread": [_("Give true or false.")]})
            if unread in ("1", "true"):
                mine = mine.filter(read_at__isnull=True)
        return mine.order_by("-created_at", "-pk")

    def _marked(self, marked: int) -> Response:
        unread = access.unread_count(self.request.user)
        return Response(MarkedSerializer({"marked": marked, "unread": unread}).data)

    @extend_schema(
        summary="Mark one notification read", request=None, responses={200: MarkedSerializer}, tags=TAGS
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        note = self.get_object()
        return self._marked(actions.mark_read(request.user, note.pk))

    @extend_schema(
        summary="Mark all my notifications read", request=None, responses={200: MarkedSerializer}, tags=TAGS
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return self._marked(actions.mark_all_read(request.user))


routes = [("notifications", NotificationViewSet, "notification")]
