package dev.labdesk.model;

import java.util.List;

/**
 * {@code POST /extract-profile}: a batch of items, each either a conversation ({@code messages},
 * with {@code role} and {@code text} each) or the id of a user whose stored conversation is used.
 */
public record ExtractProfileRequest(List<Item> items) {
    public static final int ITEMS_MAX = 100;
    public static final int MESSAGES_MAX = 500;

    /** {@code user_id} alone: the stored conversation; with {@code messages}: those (the id only labels the result). */
    public record Item(String userId, List<ChatMessage> messages) {}
}
