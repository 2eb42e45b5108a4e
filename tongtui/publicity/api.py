"""API of the bulletins (通报): the archive, one bulletin with its text, and its .docx. The same access as the
pages (publicity.access): the office and leaders read drafts too; every other person with a unit reads the
published ones; a draft is a 404 to them."""

from django.core.files.base import ContentFile
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.views import ApiViewSet
from tongtui.publicity import access
from tongtui.publicity.api_practices import routes as practice_routes
from tongtui.publicity.docx import bulletin_docx, filename
from tongtui.publicity.models import SECTIONS, Bulletin
from tongtui.publicity.views import DOCX

YEAR = OpenApiParameter("year", int, description="Only bulletins of this plan year.")


class BulletinSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan.year", help_text="Plan year")
    document_number = serializers.CharField(help_text="通报〔2026〕3号 once published, else empty")

    class Meta:
        model = Bulletin
        fields = ["id", "plan", "status", "document_number", "title", "scope", "category", "leader",
                  "period_start", "as_of", "ranking_period", "published_at"]  # fmt: skip


class BulletinDetailSerializer(BulletinSerializer):
    class Meta(BulletinSerializer.Meta):
        fields = [*BulletinSerializer.Meta.fields, *SECTIONS]


class BulletinViewSet(ApiViewSet):
    """Bulletins visible to the caller, newest first."""

    serializer_class = BulletinSerializer
    queryset = Bulletin.objects.none()  # for the schema; the methods read in the caller's scope
    lookup_value_regex = r"\d+"  # anything else is a 404 from the router, not a failed int()

    @extend_schema(parameters=[YEAR], summary="Bulletins")
    def list(self, request: Request) -> Response:
        rows = access.visible_to(request.user).order_by("-as_of", "-pk")
        year = request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise ValidationError({"year": ["A plan year, e.g. 2026."]})
            rows = rows.filter(plan__year=int(year))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(BulletinSerializer(page, many=True).data)

    @extend_schema(responses=BulletinDetailSerializer, summary="A bulletin with its text")
    def retrieve(self, request: Request, pk: str) -> Response:
        b = access.get_for(request.user, int(pk))
        return Response(BulletinDetailSerializer(b).data)

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY}, summary="The bulletin as a GB/T 9704 .docx")
    @action(detail=True, methods=["get"])
    def docx(self, request: Request, pk: str) -> FileResponse:
        b = access.get_for(request.user, int(pk))
        return FileResponse(ContentFile(bulletin_docx(b)), as_attachment=True, filename=filename(b),
                            content_type=DOCX)  # fmt: skip


routes: list[tuple[str, type[ApiViewSet], str]] = [("publicity/bulletins", BulletinViewSet, "publicity-bulletin")]

routes += practice_routes
