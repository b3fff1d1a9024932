package io.scanfarm.wire;

import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A service thread around one Kafka consumer that can be stopped cleanly ({@link #close}: after the work in
 * hand) or as a crash would stop it ({@link #crash}: the open transaction is left uncommitted), for fault tests.
 */
public abstract class StoppableService implements Runnable, AutoCloseable {

    private volatile boolean running = true;
    private volatile boolean abandon;
    private volatile boolean ready;
    private volatile KafkaConsumer<String, byte[]> consumer;

    /** Whether to go on polling. */
    protected final boolean running() {
        return running;
    }

    /** Whether a crash was asked for: the caller returns without committing. */
    protected final boolean abandoned() {
        return abandon;
    }

    /** Whether the service is connected to Kafka and doing its work (a readiness probe's answer). */
    public final boolean ready() {
        return ready && running;
    }

    /** Set once a poll came back from the broker; cleared when the service stops. */
    protected final void ready(boolean value) {
        ready = value;
    }

    /** The consumer {@link #close} wakes up (null once the service stopped using it). */
    protected final void attach(KafkaConsumer<String, byte[]> c) {
        consumer = c;
    }

    /** Stops after the work in hand. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Stops as a crash would: the work in hand is never committed and never becomes visible. */
    public void crash() {
        abandon = true;
        close();
    }
}
