"""The integrator-facing Publisher API, as the seed writes it: /posts and /configs.

Authenticated by JWT or by a signed integrator-app request; every object is the caller's own.
"""

from __future__ import annotations

from typing import cast

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from accounts.roles import Capability
from kernel.api.schema import SocialHubAutoSchema
from kernel.api.views import UserTimezoneMixin
from kernel.periodic import UNREADABLE, load_isolated
from kernel.tenancy import WorkspaceScopedView, request_workspace
from kernel.users import request_user
from publisher import selectors, services
from publisher.auth import IntegratorSignatureAuthentication
from publisher.defaults import ensure_publisher_defaults
from publisher.models import CallbackDelivery, IntegratorApp, PublisherPost
from publisher.openapi import (
    CONFIG_SERIALIZERS,
    SEED_POST,
    ConfigsSerializer,
    PostDetailSerializer,
    PostStatusSerializer,
)
from publisher.schema import parse_post_request
from publisher.serializers import CallbackDeliverySerializer
from publisher.status import status_payload

INTEGRATOR_AUTH = [JWTAuthentication, IntegratorSignatureAuthentication]
ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` names the property (or id) at fault."),
    401: OpenApiResponse(description="Missing or invalid JWT or request signature."),
    404: OpenApiResponse(
        description="No such post in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
}
CONFLICT = {409: OpenApiResponse(description="A delivery is being published right now: try again in a moment.")}


class RouteMetadata(SimpleMetadata):
    """OPTIONS describes the route only: the seed's request schema is checked by hand, with no serializer."""

    def determine_actions(self, request, view):
        return {}


class IntegratorViewMixin(UserTimezoneMixin, WorkspaceScopedView):
    """A signed request acts in its app's workspace; a JWT one in the request's (`accounts.scoping`)."""

    authentication_classes = INTEGRATOR_AUTH
    metadata_class = RouteMetadata


@extend_schema_view(
    list=extend_schema(
        summary="List publisher posts (newest first)", responses={200: PostDetailSerializer(many=True), **ERRORS}
    ),
    create=extend_schema(
        summary="Create a post",
        request={"application/json": SEED_POST},
        responses={201: PostStatusSerializer, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a post's status and deliveries", responses={200: PostDetailSerializer, **ERRORS}
    ),
    destroy=extend_schema(
        summary="Delete a post (withdraws what is not published)", responses={204: None, **ERRORS, **CONFLICT}
    ),
)
class PublisherPostViewSet(IntegratorViewMixin, viewsets.GenericViewSet):
    capabilities = {"create": Capability.EDIT_POSTS, "destroy": Capability.EDIT_POSTS}
    lookup_field = "public_id"
    lookup_url_kwarg = "post_id"
    lookup_value_regex = r"[A-Za-z0-9_-]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return PublisherPost.objects.none()
        return selectors.posts_with_deliveries().in_workspace(request_workspace(self.request))

    def get_object(self):
        public_id = self.kwargs[self.lookup_url_kwarg]
        try:
            # Django's shortcut: DRF's would turn an unreadable value (ValueError) into a 404.
            return get_object_or_404(self.get_queryset(), public_id=public_id)
        except UNREADABLE:
            # A value stored before input was bounded cannot be read back: the status columns still can,
            # so the owner sees the post and can delete it.
            owned = PublisherPost.objects.in_workspace(request_workspace(self.request))
            return get_object_or_404(selectors.readable_part(owned), public_id=public_id)

    def list(self, request):
        pks = self.paginate_queryset(self.get_queryset().values_list("pk", flat=True))
        assert pks is not None  # every list of the API is paginated (DEFAULT_PAGINATION_CLASS)
        rows, unreadable = load_isolated(self.get_queryset(), pks, name="publisher.list_posts")
        shown = {post.pk: selectors.post_detail(post) for post in rows}
        shown |= {p.pk: selectors.post_summary(p) for p in selectors.readable_part(PublisherPost.objects, unreadable)}
        return self.get_paginated_response([shown[pk] for pk in pks if pk in shown])

    def create(self, request):
        user = request_user(request)
        post_request = parse_post_request(request.data, tz=user.tzinfo)
        app = request.auth if isinstance(request.auth, IntegratorApp) else None
        publisher_post = services.publisher_post_create(
            workspace=request_workspace(request), actor=user, request=post_request, app=app
        )
        return Response(status_payload(publisher_post), status=status.HTTP_201_CREATED)

    def retrieve(self, request, post_id=None):
        publisher_post = self.get_object()
        if publisher_post.get_deferred_fields():  # only its readable part could be loaded
            return Response(selectors.post_summary(publisher_post))
        return Response(selectors.post_detail(publisher_post))

    def destroy(self, request, post_id=None):
        services.publisher_post_delete(publisher_post=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The post's callbacks and their attempts", responses={200: CallbackDeliverySerializer(many=True)}
    )
    @action(detail=True, methods=["get"])
    def callbacks(self, request, post_id=None):
        publisher_post = self.get_object()
        rows = CallbackDelivery.objects.filter(publisher_post=publisher_post).prefetch_related("attempt_log")
        page = self.paginate_queryset(rows.select_related("publisher_post"))
        return self.get_paginated_response(CallbackDeliverySerializer(page, many=True).data)


class ConfigsView(IntegratorViewMixin, APIView):
    @extend_schema(
        summary="All configuration objects: channels, post types, network targets",
        responses={200: ConfigsSerializer},
    )
    def get(self, request):
        workspace = request_workspace(request)
        ensure_publisher_defaults(workspace=workspace)
        return Response(
            {
                "channels": selectors.config_channels(workspace=workspace),
                "posttypes": selectors.config_posttypes(workspace=workspace),
                "networktargets": selectors.config_networktargets(workspace=workspace),
            }
        )


class ConfigListSchema(SocialHubAutoSchema):
    def get_response_serializers(self):
        return CONFIG_SERIALIZERS[cast(ConfigListView, self.view).kind](many=True)


class ConfigListView(IntegratorViewMixin, APIView):
    """One list of configuration objects; `kind` is set per route."""

    schema = ConfigListSchema()

    kind = ""
    READERS = {
        "channels": selectors.config_channels,
        "posttypes": selectors.config_posttypes,
        "networktargets": selectors.config_networktargets,
    }

    @extend_schema(summary="A list of configuration objects")
    def get(self, request):
        workspace = request_workspace(request)
        ensure_publisher_defaults(workspace=workspace)
        return Response(self.READERS[self.kind](workspace=workspace))
