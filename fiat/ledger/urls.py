"""URLs of the ledger app, mounted under /ledger/."""

from django.urls import path

from fiat.ledger import views

app_name = "ledger"
urlpatterns = [
    path("entries/<slug:number>/", views.entry_detail, name="entry"),
]
