package dev.labdesk.desktop.log;

import java.util.Arrays;

import javafx.collections.ObservableListBase;

import java.util.ArrayList;
import java.util.List;

/**
 * An observable list that keeps the newest {@code capacity} items in a ring buffer. Appending a
 * batch that pushes the oldest items out is one list change (one removal at the front, one addition
 * at the end) and costs only the batch: an {@code ArrayList}-backed list would shift every kept item
 * for each dropped one.
 */
final class BoundedLines<E> extends ObservableListBase<E> {
    private final Object[] ring;
    private int head;
    private int size;

    BoundedLines(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.ring = new Object[capacity];
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index + " of " + size);
        return (E) ring[(head + index) % ring.length];
    }

    @Override
    public int size() {
        return size;
    }

    int capacity() {
        return ring.length;
    }

    /** Appends {@code batch}; returns how many old items were pushed out (items of the batch itself included). */
    int append(List<E> batch) {
        if (batch.isEmpty()) return 0;
        int capacity = ring.length;
        int skipped = Math.max(0, batch.size() - capacity); // a batch larger than the ring keeps only its end
        var kept = skipped == 0 ? batch : batch.subList(skipped, batch.size());
        int overflow = Math.max(0, size + kept.size() - capacity);
        beginChange();
        try {
            if (overflow > 0) {
                var removed = new ArrayList<E>(overflow);
                for (int i = 0; i < overflow; i++) removed.add(get(i));
                for (int i = 0; i < overflow; i++) ring[(head + i) % capacity] = null;
                head = (head + overflow) % capacity;
                size -= overflow;
                nextRemove(0, removed);
            }
            int from = size;
            for (var e : kept) ring[(head + size++) % capacity] = e;
            nextAdd(from, size);
        } finally {
            endChange();
        }
        return overflow + skipped;
    }

    @Override
    public void clear() {
        if (size == 0) return;
        var removed = new ArrayList<E>(this);
        Arrays.fill(ring, null);
        head = 0;
        size = 0;
        beginChange();
        nextRemove(0, removed);
        endChange();
    }
}
