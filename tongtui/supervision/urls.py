from django.urls import path

from tongtui.supervision import views, views_chases, views_desk, views_orders, views_spotchecks
from tongtui.supervision.views_chase_doc import chase_notice_doc

app_name = "supervision"

urlpatterns = [
    path("supervision/tasks/<int:task_pk>/light/", views.task_light, name="task-light"),
    # the office's desk, orders, admonitions, accountability, flags and spot checks
    path("supervision/desk/", views_desk.desk, name="desk"),
    path("supervision/flags/<int:pk>/decide/", views_desk.flag_decide, name="flag-decide"),
    path("supervision/orders/", views_orders.order_list, name="order-list"),
    path("supervision/orders/new/", views_orders.order_create, name="order-create"),
    path("supervision/orders/<int:pk>/", views_orders.order_detail, name="order-detail"),
    path("supervision/chases/", views_chases.chase_list, name="chase-list"),
    path("supervision/chases/new/", views_chases.chase_create, name="chase-create"),
    path("supervision/chases/<int:pk>/", views_chases.chase_detail, name="chase-detail"),
    path("supervision/chases/<int:pk>/notice.docx", chase_notice_doc, name="chase-doc"),
    path("supervision/files/<int:pk>/", views_orders.order_file, name="file"),
    path("supervision/admonitions/", views_orders.admonition_list, name="admonition-list"),
    path("supervision/admonitions/new/", views_orders.admonition_create, name="admonition-create"),
    path("supervision/admonitions/<int:pk>/", views_orders.admonition_detail, name="admonition-detail"),
    path("supervision/accountability/", views_orders.accountability_list, name="accountability-list"),
    path("supervision/accountability/new/", views_orders.accountability_create, name="accountability-create"),
    path(
        "supervision/accountability/<int:pk>/",
        views_orders.accountability_detail,
        name="accountability-detail",
    ),
    path(
        "supervision/accountability/<int:pk>/publish/",
        views_orders.accountability_publish,
        name="accountability-publish",
    ),
    path("supervision/spot-checks/", views_spotchecks.spotcheck_list, name="spotcheck-list"),
    path("supervision/spot-checks/new/", views_spotchecks.spotcheck_draw, name="spotcheck-draw"),
    path("supervision/spot-checks/<int:pk>/", views_spotchecks.spotcheck_detail, name="spotcheck-detail"),
    path(
        "supervision/spot-checks/<int:pk>/items/<int:item_pk>/record/",
        views_spotchecks.spotcheck_record,
        name="spotcheck-record",
    ),
    path(
        "supervision/spot-checks/<int:pk>/items/<int:item_pk>/order/",
        views_spotchecks.spotcheck_open_order,
        name="spotcheck-open-order",
    ),
]
