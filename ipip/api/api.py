from ninja import NinjaAPI

api = NinjaAPI(title="ipip API", version="1")
