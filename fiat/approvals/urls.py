"""URLs of the approval pages, mounted under /approvals/."""

from django.urls import path

from fiat.approvals import delegation_views, link_views, views

app_name = "approvals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/decide/", views.decide, name="decide"),
    path("requests/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("requests/<int:pk>/reassign/", views.reassign, name="reassign"),
    path(
        "requests/<int:pk>/pages/<int:number>.png",
        views.request_page_image,
        name="request-page",
    ),
    path("l/<str:token>/", link_views.link_page, name="link"),
    path(
        "l/<str:token>/pages/<int:number>.png",
        link_views.link_page_image,
        name="link-page",
    ),
    path("delegation/", delegation_views.delegation, name="delegation"),
    path(
        "delegation/<int:pk>/cancel/",
        delegation_views.cancel,
        name="delegation-cancel",
    ),
]
