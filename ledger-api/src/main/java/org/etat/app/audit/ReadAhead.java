package org.etat.app.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a source iterator (a JDBC cursor) on a thread of its own, a batch ahead of the consumer,
 * through a bounded queue: the database and the driver work while the caller hashes. Close it
 * before closing the source (close waits for the reading thread to stop touching it).
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {
    static final int BATCH = 1_000;
    static final int BATCHES_AHEAD = 8;

    private final Handoff<List<T>> batches;
    private Iterator<T> current = Collections.emptyIterator();

    ReadAhead(String name, Iterator<T> source) {
        batches = new Handoff<List<T>>(name, BATCHES_AHEAD, out -> {
            List<T> batch = new ArrayList<>(BATCH);
            while (!out.closed() && source.hasNext()) {
                batch.add(source.next());
                if (batch.size() == BATCH) {
                    out.put(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                out.put(batch);
            }
        }).start();
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            List<T> batch = batches.take();
            if (batch == null) {
                return false;
            }
            current = batch.iterator();
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    @Override
    public void close() {
        batches.close();
    }
}
