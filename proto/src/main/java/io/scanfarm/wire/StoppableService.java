package io.scanfarm.wire;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;

/**
 * A service thread around one Kafka consumer that can be stopped cleanly ({@link #close}: after the work in
 * hand) or as a crash would stop it ({@link #crash}: the open transaction is left uncommitted), for fault tests.
 */
public abstract class StoppableService implements Runnable, AutoCloseable {

    private volatile boolean running = true;
    private volatile boolean abandon;
    private volatile boolean ready;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Exception stoppedBy;

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

    /** Records why the service stops on its own (a fencing, a refusal, an error it cannot get past). */
    protected final void stoppedBy(Exception cause) {
        stoppedBy = cause;
    }

    /** Why the service stopped on its own; null while it runs or when it was closed. */
    public final Exception stoppedBy() {
        return stoppedBy;
    }

    /** The consumer {@link #close} wakes up (null once the service stopped using it). */
    protected final void attach(KafkaConsumer<String, byte[]> c) {
        consumer = c;
    }

    /**
     * Closes the service's consumer and leaves its group, so that its partitions move to the other members at once
     * (a static member, one with a group.instance.id, would otherwise hold them until its session times out; only
     * a process that dies without closing does that, and then the same instance restarted takes them back at once).
     */
    protected static void leave(KafkaConsumer<String, byte[]> c) {
        try {
            c.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (KafkaException e) {
            // closing anyway
        }
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
