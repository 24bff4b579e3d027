app_name = "voice_public"
urlpatterns = []
