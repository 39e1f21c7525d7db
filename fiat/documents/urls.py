"""URLs of the documents app, mounted under /documents/."""

from django.urls import path

from fiat.documents import views

app_name = "documents"
urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/original", views.original, name="original"),
    path("<int:pk>/pages/<int:number>.png", views.page, name="page-image"),
    path("mail/<int:pk>.eml", views.message_original, name="message-original"),
]
