# Unit pages show tasks, so their URLs live in tongtui/plans/urls_tasks.py (orgs may not import plans).
urlpatterns: list = []
