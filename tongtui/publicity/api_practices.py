"""API of practices (典型经验 · 创新举措), the office's public texts, and the public page's anonymous JSON.

Practices: the same access as the pages (publicity.access_practices): published ones for everyone with a
unit, the others for their unit and the office; anything else a 404. Writes go through the actions: a unit's
liaison or head writes and submits, the office reviews; a step someone else took a moment ago is a 409.
Public texts: the office only. `public/tasks`: no login, read-only, exactly what /public/ shows."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.schema import CONFLICT
from tongtui.api.views import ApiViewSet
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan, Task
from tongtui.publicity import access_practices as access
from tongtui.publicity import actions_practices as actions
from tongtui.publicity import actions_public, public
from tongtui.publicity.models import Practice, PracticeKind, PracticePhoto, PublicEntry
from tongtui.publicity.views_practices import search


class PracticePhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticePhoto
        fields = ["id", "original_name", "kind", "size", "sha256", "uploaded_at"]


class PracticeSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan.year", read_only=True, help_text="Plan year")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    tasks: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    photos = PracticePhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Practice
        fields = ["id", "plan", "unit", "unit_name", "kind", "title", "summary", "body", "tasks", "status",
                  "review_note", "version", "submitted_at", "published_at", "photos"]  # fmt: skip


class PracticeWriteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    plan = serializers.SlugRelatedField(slug_field="year", queryset=Plan.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=PracticeKind.choices, default=PracticeKind.PRACTICE)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=500)
    body = serializers.CharField()
    tasks = serializers.PrimaryKeyRelatedField(queryset=Task.objects.all(), many=True, required=False)
    version = serializers.IntegerField(required=False, help_text="For an edit: the version you saw")


class PracticeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class PracticePhotoUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


def _step(summary: str, body: Any = None) -> Any:
    return extend_schema(summary=summary, request=body, responses={200: PracticeSerializer, 409: CONFLICT},
                         tags=["practices"])  # fmt: skip


@extend_schema_view(
    list=extend_schema(summary="Practices visible to the caller (filters: q, kind, unit, category, year, status)"),
    create=extend_schema(summary="Write a practice (a draft) for your unit", request=PracticeWriteSerializer,
                         responses={201: PracticeSerializer}),  # fmt: skip
    partial_update=extend_schema(summary="Edit a draft or returned practice", request=PracticeWriteSerializer),
)
class PracticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Practices and innovations: drafts of one's unit, the office's queue, the published library."""

    serializer_class = PracticeSerializer
    lookup_value_regex = r"\d+"
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[Practice]:
        rows = access.practices_visible_to(self.request.user).select_related("unit", "plan")
        rows = rows.prefetch_related("tasks", "photos").order_by("-published_at", "-pk")
        if self.action == "list":
            q = self.request.query_params
            wanted = {k: q.get(k) for k in ("q", "kind", "unit", "category", "year") if q.get(k)}
            for key in ("unit", "category", "year"):
                if key in wanted and not str(wanted[key]).isdigit():
                    raise serializers.ValidationError({key: ["A number."]})
            rows = search(rows, wanted)
            if q.get("status"):
                rows = rows.filter(status=q["status"])
        return rows

    def answer(self, p: Practice, code: int = status.HTTP_200_OK) -> Response:
        return Response(PracticeSerializer(self.reloaded(p)).data, status=code)

    def create(self, request: Request) -> Response:
        body = PracticeWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        units = access.writer_units(request.user)
        unit = d.get("unit") or (Unit.objects.get(pk=next(iter(units))) if len(units) == 1 else None)
        if unit is None:
            raise serializers.ValidationError({"unit": ["Name the unit."]})
        plan = d.get("plan") or Plan.objects.order_by("-year").first()
        if plan is None:
            raise serializers.ValidationError({"plan": ["No plan year yet."]})
        p = actions.create_practice(by=request.user, unit=unit, plan=plan, kind=d["kind"], title=d["title"],
                                    summary=d["summary"], body=d["body"], tasks=d.get("tasks", []))  # fmt: skip
        return self.answer(p, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        p = self.get_object()
        body = PracticeWriteSerializer(data={"title": p.title, "summary": p.summary, "body": p.body, "kind": p.kind,
                                     "tasks": [t.pk for t in p.tasks.all()], **request.data})  # fmt: skip
        body.is_valid(raise_exception=True)
        d = body.validated_data
        actions.edit_practice(p, by=request.user, version=d.get("version", p.version), kind=d["kind"],
                              title=d["title"], summary=d["summary"], body=d["body"], tasks=d.get("tasks", []))  # fmt: skip
        return self.answer(p)

    @_step("Submit to the office (the unit)")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self.answer(actions.submit(self.get_object(), by=request.user))

    @_step("Select it (the office)")
    @action(detail=True, methods=["post"])
    def select(self, request: Request, pk: Any = None) -> Response:
        return self.answer(actions.select(self.get_object(), by=request.user))

    @_step("Publish it and record the unit's bonus (the office)")
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        return self.answer(actions.publish(self.get_object(), by=request.user))

    def _reasoned(self, request: Request, run: Any) -> Response:
        p = self.get_object()
        body = PracticeReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.answer(run(p, by=request.user, reason=body.validated_data["reason"]))

    @_step("Return it to the unit with the reason (the office)", PracticeReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_step(self, request: Request, pk: Any = None) -> Response:
        return self._reasoned(request, actions.return_practice)

    @_step("Mark it not adopted, with the reason (the office)", PracticeReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self._reasoned(request, actions.reject)

    @_step("Unpublish it; the bonus is withdrawn (the office)", PracticeReasonSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: Any = None) -> Response:
        return self._reasoned(request, actions.unpublish)

    @extend_schema(summary="Add a photo (multipart, field `file`: JPG, PNG or WEBP)",
                   request={"multipart/form-data": PracticePhotoUploadSerializer},
                   responses={201: PracticePhotoSerializer, 409: CONFLICT}, tags=["practices"])  # fmt: skip
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request: Request, pk: Any = None) -> Response:
        p = self.get_object()
        body = PracticePhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        photo = actions.add_photo(p, by=request.user, file=body.validated_data["file"])
        return Response(PracticePhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class PublicEntrySerializer(serializers.ModelSerializer):
    is_public = serializers.BooleanField(source="task.is_public", read_only=True)

    class Meta:
        model = PublicEntry
        fields = ["id", "task", "key", "number", "title", "text", "show_milestones", "is_public", "version",
                  "updated_at"]  # fmt: skip
        read_only_fields = ["task", "key", "number", "version", "updated_at"]


class PublicEntryWriteSerializer(serializers.Serializer):
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.all())
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    show_milestones = serializers.BooleanField(default=True)
    public = serializers.BooleanField(required=False, allow_null=True, default=None,
                                      help_text="true: show the task on the public page; false: take it off")  # fmt: skip
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


@extend_schema_view(
    create=extend_schema(summary="Write (or rewrite) a task's public text; `public` marks the task public or not",
                         request=PublicEntryWriteSerializer, responses={200: PublicEntrySerializer, 409: CONFLICT}),  # fmt: skip
)
class PublicEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The office's public texts of tasks (what /public/ says). The office only: anyone else a 404."""

    serializer_class = PublicEntrySerializer
    queryset = PublicEntry.objects.none()  # for the schema; get_queryset reads in the caller's scope
    lookup_value_regex = r"\d+"
    office_actions = ("create",)

    def get_queryset(self) -> QuerySet[PublicEntry]:
        if getattr(self, "swagger_fake_view", False):
            return PublicEntry.objects.none()
        if not roles_of(self.request.user).is_office:
            raise Http404("The public texts are the office's")
        return PublicEntry.objects.select_related("task").order_by("-plan__year", "number")

    def create(self, request: Request) -> Response:
        self.get_queryset()
        body = PublicEntryWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        entry = actions_public.save_entry(d.pop("task"), by=request.user, **d)
        return Response(PublicEntrySerializer(self.reloaded(entry)).data)


class PublicMilestoneSerializer(serializers.Serializer):
    title = serializers.CharField()
    due = serializers.DateField()
    done = serializers.BooleanField()


class PublicTaskSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The public key, e.g. 2026-3: /public/2026-3/")
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    category = serializers.CharField()
    lead_unit = serializers.CharField()
    state = serializers.ChoiceField(choices=[public.DONE, public.UNDER_WAY, public.PAUSED])
    progress = serializers.IntegerField()
    as_of = serializers.DateField(allow_null=True)
    due = serializers.DateField(allow_null=True)
    milestones = PublicMilestoneSerializer(many=True)


class PublicTaskViewSet(ApiViewSet):
    """The public page as JSON: no login, read-only, what /public/ shows and nothing more."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = PublicTaskSerializer
    queryset = PublicEntry.objects.none()  # for the schema; the methods read through publicity.public
    lookup_field = "key"
    lookup_value_regex = r"\d{4}-\d{1,6}"
    pagination_class = None

    @extend_schema(summary="Public tasks (民生实事) of a year, or of the latest year", auth=[], tags=["public"])
    def list(self, request: Request) -> Response:
        year = request.query_params.get("year", "")
        years = public.years()
        chosen = int(year) if year.isdigit() else (years[0] if years else None)
        rows = public.load(year=chosen) if chosen else []
        response = Response(PublicTaskSerializer(rows, many=True).data)
        response["Cache-Control"] = "public, max-age=300"
        return response

    @extend_schema(summary="One public task", auth=[], tags=["public"])
    def retrieve(self, request: Request, key: str) -> Response:
        rows = public.load(key=key)
        if not rows:
            raise Http404("No such public task")
        response = Response(PublicTaskSerializer(rows[0]).data)
        response["Cache-Control"] = "public, max-age=300"
        return response


routes = [
    ("publicity/practices", PracticeViewSet, "publicity-practice"),
    ("publicity/public-entries", PublicEntryViewSet, "publicity-public-entry"),
    ("public/tasks", PublicTaskViewSet, "public-task"),
]

