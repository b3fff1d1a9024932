package io.scanfarm.agent.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scanfarm.fuzz.FuzzBudget;
import io.scanfarm.fuzz.FuzzTally;
import io.scanfarm.fuzz.Mutations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The capture thread's framing ({@link PcapLink#dispatch}) on hostile frames of each link type: a frame is handed
 * on as an IPv4 packet or an ARP reply, or dropped; it never throws, since a throw would end the capture thread.
 * Frames arrive in a reused buffer, so what is handed on must be the frame's own bytes, copied.
 */
@AddLifecycleHook(FuzzBudget.class)
class LinkFrameFuzzTest {

    private static final List<DataLinkType> LINKS = List.of(DataLinkType.EN10MB, DataLinkType.NULL, DataLinkType.RAW);

    @Property(tries = 3000)
    void hostileFramesAreHandedOnOrDropped(@ForAll("frames") Mutations.BytesMutant m, @ForAll("links") DataLinkType dlt) {
        List<PcapLink.Received> packets = new ArrayList<>();
        List<PcapLink.ArpReply> arps = new ArrayList<>();
        byte[] raw = m.bytes();
        PcapLink.dispatch(dlt, raw, raw.length, 7, packets::add, arps::add);
        FuzzTally.count(dlt.name() + " frame", packets.isEmpty() && arps.isEmpty() ? "dropped" : "handed on");
        if (!packets.isEmpty() && dlt.equals(DataLinkType.EN10MB)) {
            assertArrayEquals(Arrays.copyOfRange(raw, 14, raw.length), packets.get(0).ip(), "the IPv4 packet after the Ethernet header");
            assertEquals(7, packets.get(0).micros());
        }
        // The capture reuses one buffer: what lies past the frame's length (an earlier, longer frame) is never read,
        // and nothing handed on shares the buffer.
        byte[] reused = Arrays.copyOf(raw, raw.length + 64);
        Arrays.fill(reused, raw.length, reused.length, (byte) 0x45);
        List<PcapLink.Received> fromReused = new ArrayList<>();
        List<PcapLink.ArpReply> arpsFromReused = new ArrayList<>();
        PcapLink.dispatch(dlt, reused, raw.length, 7, fromReused::add, arpsFromReused::add);
        assertEquals(packets.size(), fromReused.size());
        assertEquals(arps.size(), arpsFromReused.size());
        for (int i = 0; i < packets.size(); i++) {
            assertArrayEquals(packets.get(i).ip(), fromReused.get(i).ip(), "only the frame's own bytes");
        }
        Arrays.fill(reused, (byte) 0);
        for (int i = 0; i < packets.size(); i++) {
            assertArrayEquals(packets.get(i).ip(), fromReused.get(i).ip(), "a copy, not a view of the reused buffer");
        }
        for (int i = 0; i < arps.size(); i++) {
            assertArrayEquals(arps.get(i).mac(), arpsFromReused.get(i).mac(), "a copy, not a view of the reused buffer");
        }
    }

    @Provide
    Arbitrary<DataLinkType> links() {
        return Arbitraries.of(LINKS);
    }

    @Provide
    Arbitrary<Mutations.BytesMutant> frames() {
        byte[] ip = io.scanfarm.agent.scan.CapturedPackets.synAck();
        byte[] ether = new byte[14 + ip.length];
        ether[12] = 0x08;
        System.arraycopy(ip, 0, ether, 14, ip.length);
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        arp[21] = 2;
        byte[] nul = new byte[4 + ip.length];
        nul[0] = 2;
        System.arraycopy(ip, 0, nul, 4, ip.length);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("ethernet ipv4", ether);
        seeds.put("ethernet arp reply", arp);
        seeds.put("bsd null ipv4", nul);
        seeds.put("raw ipv4", ip);
        seeds.put("empty", new byte[0]);
        return Mutations.bytes(seeds, 4);
    }
}
