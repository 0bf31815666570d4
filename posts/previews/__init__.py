"""Previews of a post per network: the rules (`build`, `networks`, `text`), their HTML and the service.

Entry points: `service.previews_for_accounts` (a draft body, several accounts, variants per account),
`service.post_preview` (a stored post) and `build.build_preview` (pure: the media list is an argument).
"""
