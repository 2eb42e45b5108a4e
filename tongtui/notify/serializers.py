from rest_framework import serializers

from tongtui.notify.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "url", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_read(self, note: Notification) -> bool:
        return note.read_at is not None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread and are now read.")
    unread = serializers.IntegerField(help_text="How many remain unread.")
