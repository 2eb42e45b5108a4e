from django.urls import path

from tongtui.collaboration import views_comments, views_instructions, views_requests

app_name = "collaboration"

urlpatterns = [
    path("instructions/", views_instructions.instruction_list, name="instruction-list"),
    path("instructions/new/", views_instructions.instruction_new, name="instruction-new"),
    path("instructions/read/", views_instructions.mark_read, name="mark-read"),
    path("instructions/<int:pk>/", views_instructions.instruction_detail, name="instruction-detail"),
    path("instructions/<int:pk>/reply/", views_instructions.instruction_reply, name="instruction-reply"),
    path("instructions/<int:pk>/close/", views_instructions.instruction_close, name="instruction-close"),
    path("instructions/<int:pk>/make-task/", views_instructions.instruction_make_task,
         name="instruction-make-task"),  # fmt: skip
    path("instructions/<int:pk>/make-milestone/", views_instructions.instruction_make_milestone,
         name="instruction-make-milestone"),  # fmt: skip
    path("coordination/", views_requests.request_list, name="request-list"),
    path("coordination/new/", views_requests.request_new, name="request-new"),
    path("coordination/<int:pk>/", views_requests.request_detail, name="request-detail"),
    path("coordination/<int:pk>/<slug:step>/", views_requests.request_step, name="request-step"),
    path("comments/new/", views_comments.comment_new, name="comment-new"),
    path("comments/<int:pk>/edit/", views_comments.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/delete/", views_comments.comment_delete, name="comment-delete"),
    path("comments/names/", views_comments.mention_names, name="mention-names"),
]
