package dev.herald.delivery.flow;

import org.apache.camel.Exchange;
import org.apache.camel.component.seda.BlockingQueueFactory;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue behind {@code seda:dispatch}, in two lanes: first attempts (new deliveries, rows
 * left in the database for want of room and claimed later, manual retries and test events) and
 * retries (deliveries with an attempt behind them). The dispatcher threads take first attempts
 * first, so a backlog of retries to failing receivers does not stand in front of a new event
 * for a healthy one; while both lanes wait, every {@link #RETRY_TURN}th take is a retry, so a
 * steady flow of new events does not starve the retries either. One bound covers both lanes:
 * the queue's size, as before.
 */
public final class DispatchLanes extends AbstractQueue<Exchange> implements BlockingQueue<Exchange> {

    /** While both lanes wait, one take in this many goes to the retry lane. */
    static final int RETRY_TURN = 4;

    /** Made by the seda component with the endpoint's {@code size}: {@code queueFactory: "#dispatchLanes"}. */
    public static final class Factory implements BlockingQueueFactory<Exchange> {
        @Override
        public BlockingQueue<Exchange> create() {
            return new DispatchLanes(Integer.MAX_VALUE);
        }

        @Override
        public BlockingQueue<Exchange> create(int capacity) {
            return new DispatchLanes(capacity);
        }
    }

    private final int capacity;
    private final ArrayDeque<Exchange> first = new ArrayDeque<>();
    private final ArrayDeque<Exchange> retries = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Takes since the retry lane's last turn. */
    private int sinceRetry;

    public DispatchLanes(int capacity) {
        this.capacity = capacity;
    }

    /** A ticket of a delivery that was attempted before goes to the retry lane; anything else is a first attempt. */
    static boolean isRetry(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        return body instanceof DispatchTicket t && t.fresh() != null && t.fresh().attempts() > 0;
    }

    /** Waiting in the retry lane (a gauge for tests and diagnosis). */
    public int retriesWaiting() {
        lock.lock();
        try {
            return retries.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean offer(Exchange e) {
        lock.lock();
        try {
            if (first.size() + retries.size() >= capacity) {
                return false;
            }
            (isRetry(e) ? retries : first).add(e);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean offer(Exchange e, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (first.size() + retries.size() >= capacity) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            (isRetry(e) ? retries : first).add(e);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(Exchange e) throws InterruptedException {
        offer(e, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /** The next exchange: a first attempt, unless only retries wait or it is the retry lane's turn. Under the lock. */
    private Exchange next() {
        Exchange e;
        if (!retries.isEmpty() && (first.isEmpty() || sinceRetry >= RETRY_TURN - 1)) {
            e = retries.poll();
            sinceRetry = 0;
        } else {
            e = first.poll();
            if (e != null) {
                sinceRetry++;
            }
        }
        if (e != null) {
            notFull.signal();
        }
        return e;
    }

    @Override
    public Exchange poll() {
        lock.lock();
        try {
            return next();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Exchange poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (first.isEmpty() && retries.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return next();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Exchange take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (first.isEmpty() && retries.isEmpty()) {
                notEmpty.await();
            }
            return next();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Exchange peek() {
        lock.lock();
        try {
            if (!retries.isEmpty() && (first.isEmpty() || sinceRetry >= RETRY_TURN - 1)) {
                return retries.peek();
            }
            return first.peek();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return first.size() + retries.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int remainingCapacity() {
        lock.lock();
        try {
            return capacity - first.size() - retries.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean remove(Object o) {
        lock.lock();
        try {
            boolean removed = first.remove(o) || retries.remove(o);
            if (removed) {
                notFull.signal();
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void clear() {
        lock.lock();
        try {
            first.clear();
            retries.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A copy, first attempts then retries: the seda endpoint lists and browses the queue with it. */
    @Override
    public Iterator<Exchange> iterator() {
        lock.lock();
        try {
            List<Exchange> all = new ArrayList<>(first);
            all.addAll(retries);
            return all.iterator();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int drainTo(Collection<? super Exchange> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Exchange> c, int max) {
        lock.lock();
        try {
            int n = 0;
            Exchange e;
            while (n < max && (e = next()) != null) {
                c.add(e);
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }
}
