"""`POST /api/v1/posts/import`, `GET /api/v1/posts/imports/{id}`, `GET /api/v1/posts/export`: parse, call, respond."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.models import validate_timezone
from accounts.roles import Capability
from accounts.scoping import request_membership
from kernel.api.parsers import BoundedJSONParser
from kernel.api.views import UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView, request_workspace
from kernel.users import request_user
from posts import approvals
from posts.csv_io import jobs
from posts.csv_io.columns import COLUMNS
from posts.csv_io.exporting import export_lines
from posts.filters import PostFilter
from posts.models import ImportJobStatus, Post, PostImportJob

# Up to this many posts the export is one response; beyond, it is streamed (constant memory).
EXPORT_STREAM_ABOVE = 1000
TOO_LARGE = {413: OpenApiResponse(description="The file is larger than POSTS_IMPORT_MAX_BYTES (default 10 MiB).")}


class ImportRequestSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text=f"A .csv (UTF-8, `,` or `;`) or .xlsx file; columns: {', '.join(COLUMNS)}.")
    dry_run = serializers.BooleanField(
        default=False, help_text="Only check: the report, nothing written (default false)."
    )
    timezone = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[validate_timezone],
        help_text="IANA timezone of times without offset in rows without a `timezone` cell; default: yours.",
    )


class ImportJobSerializer(serializers.ModelSerializer[PostImportJob]):
    url = serializers.SerializerMethodField()
    progress = serializers.IntegerField(read_only=True, help_text="Percent of the rows checked.")
    report = serializers.JSONField(
        read_only=True,
        help_text="Once finished: total, ok, exists, invalid, created, and `rows` — each {row, status "
        "(ok | exists | error), errors: [{column, message}], post_id}. Rows are numbered as in the "
        "spreadsheet (the header is row 1).",
    )

    class Meta:
        model = PostImportJob
        fields = [
            "id",
            "url",
            "status",
            "dry_run",
            "filename",
            "timezone",
            "total_rows",
            "processed_rows",
            "progress",
            "created_count",
            "existing_count",
            "invalid_count",
            "error",
            "report",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: PostImportJob) -> str:
        return reverse("post-import-detail", kwargs={"pk": job.pk}, request=self.context.get("request"))


class ImportInvalidSerializer(serializers.Serializer[Any]):
    """Both 400s of the import: invalid rows (`errors` by row, then column, and the `job` with its report),
    or a request or file that cannot be read at all (`errors` by field, as everywhere in the API)."""

    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(),
        help_text='Invalid rows: by row, then column ({"3": {"content": ["..."]}}). An unreadable request or '
        'file: by field ({"file": ["..."]}).',
    )
    job = ImportJobSerializer(required=False, help_text="Invalid rows only: the job with its full report.")


def _job_answer(request: Request, job: PostImportJob) -> Response:
    body = ImportJobSerializer(job, context={"request": request}).data
    if job.status == ImportJobStatus.PENDING:
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
    if job.status == ImportJobStatus.INVALID and not job.dry_run:
        invalid = job.invalid_count
        detail = f"Nothing was imported: {invalid} row(s) are invalid (see `errors`, by row and column)."
        errors = {str(row["row"]): _by_column(row["errors"]) for row in job.report.get("rows", []) if row.get("errors")}
        return Response({"detail": detail, "errors": errors, "job": body}, status=status.HTTP_400_BAD_REQUEST)
    created = job.status == ImportJobStatus.SUCCEEDED and not job.dry_run and job.created_count
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _by_column(errors: list[dict[str, str]]) -> dict[str, list[str]]:
    tree: dict[str, list[str]] = {}
    for error in errors:
        tree.setdefault(error["column"] or "row", []).append(error["message"])
    return tree


class PostImportView(UserTimezoneMixin, WorkspaceScopedView, APIView):
    parser_classes = [MultiPartParser, FormParser, BoundedJSONParser]
    capabilities = {"post": Capability.EDIT_POSTS}

    @extend_schema(
        summary="Import posts from a CSV or XLSX file (dry run: only the report)",
        description="Each row is checked as `POST /posts` checks a body, and reported by row and column. "
        "A real run is all or nothing (any invalid row: 400, nothing written) and idempotent (rows imported "
        f"before are `exists` and skipped). Up to POSTS_IMPORT_SYNC_MAX_ROWS (default "
        f"{settings.POSTS_IMPORT_SYNC_MAX_ROWS}) rows the answer is the finished job (200, or 201 when posts "
        "were created); larger files answer 202 with the job, to poll at its `url`.",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportJobSerializer,
            201: ImportJobSerializer,
            202: ImportJobSerializer,
            400: OpenApiResponse(
                ImportInvalidSerializer, description="Invalid rows (nothing written), or an unreadable file."
            ),
            409: OpenApiResponse(description="The same rows were being imported at the same time; retry."),
            **TOO_LARGE,
        },
        tags=["posts"],
    )
    def post(self, request: Request) -> Response:
        body = ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        if upload.size > settings.POSTS_IMPORT_MAX_BYTES:
            limit = settings.POSTS_IMPORT_MAX_BYTES
            return Response({"detail": f"The file is larger than {limit} bytes."}, status=413)
        job = jobs.import_start(
            workspace=request_workspace(request),
            actor=request_user(request),
            data=upload.read(),
            filename=upload.name or "",
            dry_run=body.validated_data["dry_run"],
            timezone_name=body.validated_data.get("timezone", ""),
            needs_approval=approvals.membership_needs_approval(request_membership(request)),
        )
        return _job_answer(request, job)


@extend_schema(summary="An import's progress and, once finished, its report", tags=["posts"])
class PostImportJobView(UserTimezoneMixin, WorkspaceScopedView, generics.RetrieveAPIView[PostImportJob]):
    serializer_class = ImportJobSerializer

    def get_object(self) -> PostImportJob:
        jobs_here = PostImportJob.objects.in_workspace(request_workspace(self.request)).defer("file_data")
        return get_object_or_404(jobs_here, pk=self.kwargs["pk"])


def export_response(*, workspace: Any, posts: Any, tz: Any) -> HttpResponse | StreamingHttpResponse:
    """The CSV of `posts` (filtered, in the workspace): one response when small, streamed when large."""
    lines = export_lines(workspace=workspace, posts=posts, tz=tz)
    filename = f"posts-{timezone.localdate(timezone.now(), tz).isoformat()}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    content_type = "text/csv; charset=utf-8"
    if posts.count() > EXPORT_STREAM_ABOVE:
        return StreamingHttpResponse(lines, content_type=content_type, headers=headers)
    return HttpResponse("".join(lines), content_type=content_type, headers=headers)


class PostExportView(UserTimezoneMixin, WorkspaceScopedView, generics.GenericAPIView[Post]):
    queryset = Post.objects.all()
    filterset_class = PostFilter

    @extend_schema(
        summary="Export posts as CSV (the list's filters), in the columns import reads",
        description="Times with their UTC offset in your timezone; accounts and campaigns by name (ids where "
        "a name is ambiguous). A cell starting with = + - @, tab or CR is written with a leading ' so "
        "spreadsheets do not run it as a formula; import removes it. Large exports are streamed.",
        responses={(200, "text/csv"): OpenApiTypes.STR},
        tags=["posts"],
    )
    def get(self, request: Request) -> HttpResponse | StreamingHttpResponse:
        workspace = request_workspace(request)
        posts = self.filter_queryset(Post.objects.in_workspace(workspace))
        return export_response(workspace=workspace, posts=posts, tz=request_user(request).tzinfo)
