from django.urls import path

from . import views

urlpatterns = [
    # Public: no sign-in.
    path("", views.PublicityPublicView.as_view(), name="public-publicity"),
    path("published/", views.PublishedIndexView.as_view(), name="public-published-index"),
    path("published/<int:pk>/", views.PublishedListView.as_view(), name="public-published"),
    path("published/<int:pk>/notice.pdf", views.PublicationNoticeView.as_view(), name="public-notice-pdf"),
    # The province.
    path("manage/", views.PublicityManageView.as_view(), name="publicity-manage"),
    path("manage/open/", views.PublicityRoundOpenView.as_view(), name="publicity-open"),
    path("manage/publish/", views.PublicationPublishView.as_view(), name="publicity-publish"),
    path("manage/objections/<int:pk>/", views.ObjectionDetailView.as_view(), name="publicity-objection"),
    path(
        "manage/objections/<int:pk>/evidence/",
        views.ObjectionEvidenceView.as_view(),
        name="publicity-objection-evidence",
    ),
]
