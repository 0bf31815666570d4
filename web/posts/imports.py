"""The Import page (upload, dry-run report, then "Import"), an import's progress page, and "Export CSV".

Thin: `posts.csv_io.jobs` checks and imports, `posts.csv_io.api.export_response` writes the CSV the API
writes. An upload here is always a dry run first; "Import" then imports exactly the file checked.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import validate_timezone
from accounts.roles import Capability, role_allows
from accounts.scoping import request_membership
from kernel.errors import ServiceError
from kernel.users import request_user
from posts import approvals
from posts.csv_io import jobs
from posts.csv_io.api import export_response
from posts.csv_io.columns import COLUMNS
from posts.filters import PostFilter
from posts.models import ImportJobStatus, Post, PostImportJob
from web.common import add_service_errors, error_message, page_workspace, requires
from web.posts.views import LIST_FILTERS, _given

REFRESH_SECONDS = 2  # how often a running import's page reloads itself


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV or XLSX file")
    timezone = forms.CharField(
        required=False,
        validators=[validate_timezone],
        label="Timezone of times without offset",
        help_text="For rows without a timezone column; empty: yours.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.POSTS_IMPORT_MAX_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(f"The file is larger than {settings.POSTS_IMPORT_MAX_BYTES} bytes.")
        return upload


def _job_for_page(request: HttpRequest, pk: int) -> PostImportJob:
    return get_object_or_404(PostImportJob.objects.in_workspace(page_workspace(request)).defer("file_data"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
@requires(Capability.EDIT_POSTS)
def post_import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.import_start(
                workspace=page_workspace(request),
                actor=request_user(request),
                data=upload.read(),
                filename=upload.name or "",
                dry_run=True,
                timezone_name=form.cleaned_data["timezone"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("post-import-job", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "posts/import.html", {"form": form, "columns": COLUMNS}, status=status)


@login_required
@require_GET
def post_import_job_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for_page(request, pk)
    rows = job.report.get("rows", []) if job.report else []
    problems = [(row["row"], error["column"], error["message"]) for row in rows for error in row.get("errors", [])]
    running = job.status in (ImportJobStatus.PENDING, ImportJobStatus.RUNNING)
    can_edit = role_allows(request_membership(request).role, Capability.EDIT_POSTS)
    context = {
        "job": job,
        "problems": problems,
        "running": running,
        "refresh_seconds": REFRESH_SECONDS,
        "to_create": job.report.get("ok", 0) if job.report else 0,
        "can_import": can_edit and job.dry_run and job.status == ImportJobStatus.SUCCEEDED and job.report.get("ok"),
    }
    return render(request, "posts/import_job.html", context)


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def post_import_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(PostImportJob.objects.in_workspace(page_workspace(request)), pk=pk)
    try:
        imported = jobs.import_after_dry_run(
            job=job,
            actor=request_user(request),
            needs_approval=approvals.membership_needs_approval(request_membership(request)),
        )
    except ServiceError as exc:
        messages.error(request, error_message(exc))
        return redirect("post-import-job", pk=job.pk)
    return redirect("post-import-job", pk=imported.pk)


@login_required
@require_GET
def post_export_view(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The list's posts, with the list's filters (an invalid filter is ignored, as on the list)."""
    workspace = page_workspace(request)
    filterset = PostFilter(_given(request, LIST_FILTERS), queryset=Post.objects.in_workspace(workspace))
    return export_response(workspace=workspace, posts=filterset.qs, tz=request_user(request).tzinfo)
