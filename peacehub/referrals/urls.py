from django.urls import path

from peacehub.referrals import views

app_name = "referrals"
urlpatterns = [
    path("sent/", views.referral_sent, name="sent"),
    path("received/", views.referral_received, name="received"),
    path("new/<uuid:person_id>/", views.referral_new, name="new"),
    path("<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("<uuid:referral_id>/step/", views.referral_step, name="step"),
]
