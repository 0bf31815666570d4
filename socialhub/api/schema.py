"""drf-spectacular hooks."""


def strip_optional_slashes(endpoints, **kwargs):
    """Routes accept an optional trailing slash; document them the way the seed writes them, without."""
    return [
        (path.rstrip("/") if path != "/" else path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
    ]
