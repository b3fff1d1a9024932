package io.scanfarm.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scanfarm.agent.net.RouteTable;
import io.scanfarm.matcher.observation.ProbeRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A host's transmissions: every one kept in hand-over order, and the latest of each probe found by its id. */
class HostStateTest {

    private static HostState host() {
        RouteTable.Path4 path = new RouteTable.Path4("lo", 0x7F000001, 0x7F000001, true, true);
        return new HostState("127.0.0.1", 0x7F000001, path, Map.of("T2", 0, "T3", 1, "U1", 2));
    }

    @Test
    void theLatestTransmissionOfEachProbeIsFoundAndEveryOneIsRecordedInOrder() {
        HostState h = host();
        assertNull(h.latest("T2"), "nothing sent yet");
        HostState.Sent t2 = new HostState.Sent("T2", new byte[] {1});
        HostState.Sent t3 = new HostState.Sent("T3", new byte[] {2});
        HostState.Sent t2again = new HostState.Sent("T2", new byte[] {1});
        h.add(t2);
        h.add(t3);
        assertSame(t2, h.latest("T2"));
        h.add(t2again);
        assertSame(t2again, h.latest("T2"), "a retransmission is the latest");
        assertSame(t3, h.latest("T3"));
        assertNull(h.latest("U1"));
        assertNull(h.latest("IE1"), "not in the plan");
        List<String> order = h.records().stream().map(ProbeRecord::id).toList();
        assertEquals(List.of("T2", "T3", "T2"), order);
    }

    @Test
    void aTransmissionOfAProbeNotInThePlanIsRefusedAndNotRecorded() {
        HostState h = host();
        h.add(new HostState.Sent("T2", new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> h.add(new HostState.Sent("IE1", new byte[0])));
        assertEquals(List.of("T2"), h.records().stream().map(ProbeRecord::id).toList());
    }
}
