from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = "Scheduled posts"

    def ready(self) -> None:
        from accounts.services import register_account_delete_guard
        from media_library.services import register_media_delete_guard
        from posts.media import media_in_use_guard
        from posts.services import account_posts_delete

        # Deleting a social account deletes its posts by the post rules first (accounts cannot import posts).
        register_account_delete_guard(account_posts_delete)
        # Likewise a library item a post still needs cannot be deleted (media_library sits below posts).
        register_media_delete_guard(media_in_use_guard)
