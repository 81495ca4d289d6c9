from django.urls import path

app_name = "workprogrammes"
urlpatterns: list = []
