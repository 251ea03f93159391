from django.urls import path

from . import views

urlpatterns = [
    path("", views.ExpertTaskListView.as_view(), name="expert-tasks"),
    path("applications/<int:pk>/", views.ExpertOpinionView.as_view(), name="expert-opinion"),
    path("province/", views.ProvinceReviewBoardView.as_view(), name="expert-board"),
    path("province/<int:pk>/", views.ProvinceDecisionView.as_view(), name="expert-decision"),
    path("province/<int:pk>/assign/", views.ExpertAssignView.as_view(), name="expert-assign"),
    path("province/<int:pk>/decide/", views.ProvinceDecideView.as_view(), name="expert-decide"),
    path("province/assignments/<int:pk>/end/", views.ExpertUnassignView.as_view(), name="expert-unassign"),
]
