app_name = "workprogrammes"
urlpatterns: list = []
