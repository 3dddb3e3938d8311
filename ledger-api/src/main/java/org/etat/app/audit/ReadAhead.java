package org.etat.app.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a source iterator (a JDBC cursor) on a thread of its own, a batch ahead of the consumer,
 * through a bounded queue: the database and the driver work while the caller hashes. Close it
 * before closing the source (close waits for the reading thread to stop touching it).
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {
    static final int BATCH = 1_000;
    static final int BATCHES_AHEAD = 8;
    private static final long JOIN_LIMIT_MILLIS = 60_000;
    private static final Object END = new Object();

    private record Failure(Throwable cause) {
    }

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final Thread thread;
    private volatile boolean closed;
    private Iterator<T> current = Collections.emptyIterator();
    private boolean ended;

    ReadAhead(String name, Iterator<T> source) {
        thread = new Thread(() -> {
            try {
                List<T> batch = new ArrayList<>(BATCH);
                while (!closed && source.hasNext()) {
                    batch.add(source.next());
                    if (batch.size() == BATCH) {
                        put(batch);
                        batch = new ArrayList<>(BATCH);
                    }
                }
                if (!batch.isEmpty()) {
                    put(batch);
                }
                put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                try {
                    put(new Failure(t));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for room, but gives up once the consumer closed (it will not take any more). */
    private void put(Object item) throws InterruptedException {
        while (!closed) {
            if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (ended) {
                return false;
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading ahead", e);
            }
            if (item == END) {
                ended = true;
                return false;
            }
            if (item instanceof Failure f) {
                ended = true;
                throw new IllegalStateException("reading ahead failed: " + f.cause().getMessage(), f.cause());
            }
            current = ((List<T>) item).iterator();
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
        closed = true;
        queue.clear();
        try {
            thread.join(JOIN_LIMIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the read-ahead thread " + thread.getName() + " did not stop within " + JOIN_LIMIT_MILLIS + " ms");
        }
    }
}
