package io.scanfarm.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A record set aside on scanfarm.dead-letter: the original key and bytes, the reason and the source in headers. */
public final class DeadLetter {

    public static final String REASON = "scanfarm.reason";
    public static final String SOURCE = "scanfarm.source";

    private DeadLetter() {
    }

    public static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> r, String reason) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.DEAD_LETTER, r.key(), r.value());
        dead.headers().add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        dead.headers().add(SOURCE, (r.topic() + "/" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
        return dead;
    }
}
