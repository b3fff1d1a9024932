package io.scanfarm.matcher.observation;

import java.util.List;

/**
 * One probe as sent (bytes from the IP header on, send time in microseconds since the epoch) and every
 * response the agent tied to it, in capture order. Retransmissions are separate records with the same id.
 */
public record ProbeRecord(String id, byte[] sent, long sentMicros, List<Capture> responses) {

    public ProbeRecord {
        responses = List.copyOf(responses);
    }
}
