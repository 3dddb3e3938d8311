package org.etat.app.audit;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One producer thread handing items to one consumer through a bounded queue, so that reading the
 * database overlaps with hashing. The producer's failure reaches the consumer at {@link #take()};
 * {@link #close()} stops the producer and waits for it, so the caller may then close what it read.
 */
final class Handoff<T> implements AutoCloseable {
    private static final long JOIN_LIMIT_MILLIS = 60_000;
    private static final Object END = new Object();

    /** The producer's work: {@link Handoff#put} each item; return when done or once {@link Handoff#closed()}. */
    interface Producer<T> {
        void produce(Handoff<T> out) throws Exception;
    }

    private record Failure(Throwable cause) {
    }

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;
    private boolean ended;

    Handoff(String name, int capacity, Producer<T> producer) {
        queue = new ArrayBlockingQueue<>(capacity);
        thread = new Thread(() -> {
            try {
                producer.produce(this);
                offer(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                try {
                    offer(new Failure(t));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts the producer thread (separate from construction, so the owner is fully built first). */
    Handoff<T> start() {
        thread.start();
        return this;
    }

    /** True once the consumer closed: the producer should stop. */
    boolean closed() {
        return closed;
    }

    void put(T item) throws InterruptedException {
        offer(item);
    }

    /** Waits for room, but gives up once the consumer closed (it will not take any more). */
    private void offer(Object item) throws InterruptedException {
        while (!closed) {
            if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** The next item, or null after the last; the producer's failure is thrown here. */
    @SuppressWarnings("unchecked")
    T take() {
        if (ended) {
            return null;
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + thread.getName(), e);
        }
        if (item == END) {
            ended = true;
            return null;
        }
        if (item instanceof Failure f) {
            ended = true;
            throw new IllegalStateException("reading " + thread.getName() + " failed: " + f.cause().getMessage(), f.cause());
        }
        return (T) item;
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
            throw new IllegalStateException("the thread " + thread.getName() + " did not stop within " + JOIN_LIMIT_MILLIS + " ms");
        }
    }
}
