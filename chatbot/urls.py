from django.urls import path

from chatbot import views

urlpatterns = [
    path("conversations", views.ConversationListView.as_view(), name="conversations"),
    path(
        "conversations/<uuid:conversation_id>",
        views.ConversationDetailView.as_view(),
        name="conversation-detail",
    ),
    path(
        "conversations/<uuid:conversation_id>/messages",
        views.MessageListView.as_view(),
        name="conversation-messages",
    ),
    path("chat", views.ChatView.as_view(), name="chat"),
    path("search", views.SearchView.as_view(), name="search"),
]
