from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = "Scheduled posts"

    def ready(self) -> None:
        from accounts.services import register_account_delete_guard
        from posts.services import account_posts_delete

        # Deleting a social account deletes its posts by the post rules first (accounts cannot import posts).
        register_account_delete_guard(account_posts_delete)
