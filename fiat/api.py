"""The JSON API."""

from ninja import NinjaAPI

api = NinjaAPI(title="Fiat API", version="1", docs_url="/docs")
