"""URLs of the payables app."""

app_name = "payables"
urlpatterns: list = []
