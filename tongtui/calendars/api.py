"""API of the calendar: the user's own feed addresses (`GET /api/calendar/feeds/`) and resetting one.
A user sees only their own feeds; another user's feed is a 404."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.schema import CONFLICT
from tongtui.api.views import ApiViewSet
from tongtui.calendars import access, actions
from tongtui.calendars.models import CalendarFeed


class FeedSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The secret iCalendar (RFC 5545) address of the feed.")
    webcal = serializers.SerializerMethodField(help_text="The same address for calendar apps (webcal://).")

    class Meta:
        model = CalendarFeed
        fields = [
            "id",
            "kind",
            "kind_label",
            "unit",
            "leader",
            "name",
            "url",
            "webcal",
            "created_at",
            "reset_at",
        ]
        read_only_fields = fields

    def get_name(self, feed: CalendarFeed) -> str:
        return str(feed.unit or feed.leader or feed.get_kind_display())

    def get_url(self, feed: CalendarFeed) -> str:
        return self.context["request"].build_absolute_uri(reverse("calendars:ical", args=[feed.token]))

    def get_webcal(self, feed: CalendarFeed) -> str:
        return "webcal://" + self.get_url(feed).split("://", 1)[1]


class FeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """My calendar feeds: my own, one per unit I work in, my leader's feed, and any I added; made on first use."""

    serializer_class = FeedSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[CalendarFeed]:
        return access.feeds_of(self.request.user).order_by("kind", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        feeds = actions.ensure_feeds(request.user)
        return Response(self.get_serializer(feeds, many=True).data)

    @extend_schema(request=None, responses={200: FeedSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reset(self, request: Request, pk: Any = None) -> Response:
        feed = actions.reset_feed(self.get_object(), by=request.user)
        return Response(self.get_serializer(feed).data)


routes = [("calendar/feeds", FeedViewSet, "calendar-feed")]
