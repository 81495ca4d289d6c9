from django.urls import path

app_name = "partners"
urlpatterns: list = [path("", lambda r: None, name="directory")]
