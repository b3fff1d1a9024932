package io.scanfarm.matcher.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.fuzz.FuzzBudget;
import io.scanfarm.fuzz.FuzzTally;
import io.scanfarm.fuzz.Mutations;
import io.scanfarm.matcher.tests.MalformedResponses;
import io.scanfarm.matcher.tests.OptionString;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The packet views on hostile bytes: every parse either gives a view whose offsets stay inside the bytes or
 * throws {@link MalformedPacketException}; nothing else escapes. Seeds are the recorded exchanges' packets and
 * well-formed packets built here, each with hostile fields and byte edits.
 */
@AddLifecycleHook(FuzzBudget.class)
class PacketFuzzTest {

    private static final Pattern OPTION_STRING = Pattern.compile("(L|N|S|M[0-9A-F]{1,4}|W[0-9A-F]{1,2}|T[01]{2})*");
    private static final Map<String, byte[]> RECORDED = HostilePackets.recordedPackets();

    @Property(tries = 5000)
    void recordedPacketsWithHostileFieldsParseOrAreMalformed(@ForAll("recordedMutants") HostilePackets.PacketMutant m) {
        String outcome = outcome(m.bytes());
        for (String kind : kinds(m.edits())) {
            FuzzTally.count(kind, outcome);
        }
    }

    @Property(tries = 3000)
    void builtPacketsWithOneHostileFieldParseOrAreMalformed(@ForAll("builtPackets") byte[] packet,
                                                            @ForAll("fieldEdits") HostilePackets.FieldEdit edit) {
        FuzzTally.count("built " + edit.field(), outcome(edit.apply(packet)));
    }

    @Property(tries = 2000)
    void wellFormedOptionsReadAsTheirLetters(@ForAll("optionLists") List<byte[]> options) throws MalformedPacketException {
        byte[] packet = synAck(options);
        Tcp t = Tcp.parse(Ipv4.parse(packet));
        StringBuilder expected = new StringBuilder();
        Long ts = null;
        boolean ended = false;
        int length = 0;
        for (byte[] o : options) {
            length += o.length;
            expected.append(letters(o));
            if (o[0] == 0) {
                ended = true;
            }
            if (o[0] == 8 && ts == null && !ended) {
                ts = Bytes.u32(o, 2);
            }
        }
        for (int pad = length; pad % 4 != 0; pad++) {
            expected.append('L');
        }
        assertEquals(expected.toString(), OptionString.of(t));
        assertEquals(ts, OptionString.timestamp(t), "TSval of the first timestamp option before an end of list");
        FuzzTally.count("well-formed options", "read");
    }

    @Property(tries = 600)
    void mutatedPcapFilesParseOrAreMalformed(@ForAll("pcapMutants") Mutations.BytesMutant m) {
        List<PcapFile.Frame> frames;
        try {
            frames = PcapFile.parse(m.bytes());
        } catch (MalformedPacketException e) {
            FuzzTally.count("pcap file", "malformed");
            return;
        }
        FuzzTally.count("pcap file", "parsed");
        for (PcapFile.Frame f : frames) {
            assertTrue(f.ip().length <= m.bytes().length && f.srcMac().length == 6);
            FuzzTally.count("pcap frame", outcome(f.ip()));
        }
    }

    /**
     * Reads the bytes every way the engine does (as a packet, as a quoted header, each transport, options, the
     * ICMP quote) and checks each view's offsets against the bytes. Returns how far parsing got.
     */
    static String readEverything(byte[] b) {
        try {
            Ipv4 quoted = Ipv4.parseQuoted(b);
            assertTrue(quoted.headerLength() >= 20 && quoted.headerLength() <= Math.min(60, b.length));
        } catch (MalformedPacketException e) {
            // classified
        }
        Ipv4 ip;
        try {
            ip = Ipv4.parse(b);
        } catch (MalformedPacketException e) {
            return "malformed";
        }
        assertTrue(ip.headerLength() >= 20 && ip.headerLength() <= Math.min(60, b.length), "IHL inside the bytes");
        assertTrue(ip.totalLength() >= ip.headerLength() && ip.payloadEnd() <= b.length, "payload inside the bytes");
        String outcome = "ip only";
        try {
            Tcp t = Tcp.parse(ip);
            assertTrue(t.headerLength() >= 20 && t.headerLength() <= 60);
            assertTrue(t.dataOffset() <= ip.payloadEnd(), "data offset inside the segment");
            String o = OptionString.of(t);
            assertTrue(OPTION_STRING.matcher(o).matches(), o);
            Long ts = OptionString.timestamp(t);
            assertTrue(ts == null || (ts >= 0 && ts <= 0xFFFF_FFFFL));
            t.claimedDataLength();
            outcome = "tcp";
        } catch (MalformedPacketException e) {
            // classified
        }
        try {
            Udp.parse(ip);
            outcome = "udp";
        } catch (MalformedPacketException e) {
            // classified
        }
        try {
            Icmp icmp = Icmp.parse(ip);
            byte[] body = icmp.body();
            assertTrue(body.length <= b.length);
            outcome = "icmp";
            Ipv4 q = Ipv4.parseQuoted(body);
            assertTrue(q.headerLength() <= body.length);
            outcome = "icmp quoting";
            Udp.parse(q);
            outcome = "icmp quoting udp";
        } catch (MalformedPacketException e) {
            // classified
        }
        return outcome;
    }

    /**
     * Reads the packet every way ({@link #readEverything}), then says how it ended for the tally: malformed in its
     * IPv4 header or in the header its protocol announces (or an ICMP quote), or read.
     */
    private static String outcome(byte[] packet) {
        readEverything(packet);
        return MalformedResponses.kind(packet) == null ? "read" : "malformed";
    }

    private static Set<String> kinds(List<Object> edits) {
        Set<String> out = new LinkedHashSet<>();
        for (Object e : edits) {
            out.add(e instanceof HostilePackets.FieldEdit f ? "packet " + f.field() : "packet bytes " + ((Mutations.ByteEdit) e).op());
        }
        return out;
    }

    /** What Nmap prints for one well-formed option (an end-of-list byte is L; padding is read as more Ls). */
    private static String letters(byte[] o) {
        return switch (o[0]) {
            case 0 -> "L";
            case 1 -> "N";
            case 2 -> "M" + Integer.toHexString(Bytes.u16(o, 2)).toUpperCase();
            case 3 -> "W" + Integer.toHexString(o[2] & 0xFF).toUpperCase();
            case 4 -> "S";
            default -> "T" + (Bytes.u32(o, 2) != 0 ? "1" : "0") + (Bytes.u32(o, 6) != 0 ? "1" : "0");
        };
    }

    /** A SYN/ACK from 198.18.1.2:80 carrying these options, padded with end-of-list bytes to a multiple of 4. */
    static byte[] synAck(List<byte[]> options) {
        int optLen = 0;
        for (byte[] o : options) {
            optLen += o.length;
        }
        int tcpLen = 20 + (optLen + 3) / 4 * 4;
        byte[] p = new byte[20 + tcpLen];
        ipHeader(p, Ipv4.TCP);
        p[20] = 0;
        p[21] = 80;
        p[22] = (byte) 0xC3;
        p[23] = 0x50;
        p[24] = 0x12;
        p[28] = 0x34;
        p[32] = (byte) ((tcpLen / 4) << 4);
        p[33] = 0x12;
        p[34] = (byte) 0xFF;
        int at = 40;
        for (byte[] o : options) {
            System.arraycopy(o, 0, p, at, o.length);
            at += o.length;
        }
        return p;
    }

    /** ICMP port unreachable from 198.18.1.2 quoting a UDP probe with {@code quoteData} bytes of payload. */
    static byte[] portUnreachable(int quoteData) {
        byte[] p = new byte[20 + 8 + 20 + 8 + quoteData];
        ipHeader(p, Ipv4.ICMP);
        p[20] = 3;
        p[21] = 3;
        p[28] = 0x45;
        p[30] = 1;
        p[31] = 0x34;
        p[36] = 0x40;
        p[37] = Ipv4.UDP;
        p[40] = (byte) 198;
        p[41] = 18;
        p[42] = 1;
        p[43] = 1;
        p[44] = (byte) 198;
        p[45] = 18;
        p[46] = 1;
        p[47] = 2;
        p[48] = (byte) 0xC3;
        p[49] = 0x51;
        p[50] = (byte) 0x9C;
        p[51] = 0x41;
        p[53] = 0x08;
        for (int i = 56; i < p.length; i++) {
            p[i] = 0x43;
        }
        return p;
    }

    /** ICMP echo reply from 198.18.1.2 with id 0x1234 and {@code data} payload bytes. */
    static byte[] echoReply(int data) {
        byte[] p = new byte[28 + data];
        ipHeader(p, Ipv4.ICMP);
        p[24] = 0x12;
        p[25] = 0x34;
        return p;
    }

    private static void ipHeader(byte[] p, int protocol) {
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[6] = 0x40;
        p[8] = 64;
        p[9] = (byte) protocol;
        p[12] = (byte) 198;
        p[13] = 18;
        p[14] = 1;
        p[15] = 2;
        p[16] = (byte) 198;
        p[17] = 18;
        p[18] = 1;
        p[19] = 1;
        int sum = Bytes.internetChecksum(p, 0, 20, 0);
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
    }

    @Provide
    Arbitrary<HostilePackets.PacketMutant> recordedMutants() {
        return HostilePackets.mutants(RECORDED);
    }

    @Provide
    Arbitrary<HostilePackets.FieldEdit> fieldEdits() {
        return HostilePackets.fieldEdits();
    }

    /** One well-formed option: end of list, no-op, MSS, window scale, SACK permitted, timestamps. */
    @Provide
    Arbitrary<List<byte[]>> optionLists() {
        Arbitrary<byte[]> option = Arbitraries.oneOf(
                Arbitraries.just(new byte[] {0}),
                Arbitraries.just(new byte[] {1}),
                Arbitraries.integers().between(0, 0xFFFF).map(v -> new byte[] {2, 4, (byte) (v >>> 8), (byte) (int) v}),
                Arbitraries.integers().between(0, 0xFF).map(v -> new byte[] {3, 3, (byte) (int) v}),
                Arbitraries.just(new byte[] {4, 2}),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as((a, c) -> new byte[] {8, 10,
                    (byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) (int) a,
                    (byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) (int) c}));
        return option.list().ofMaxSize(12).filter(l -> l.stream().mapToInt(o -> o.length).sum() <= 40);
    }

    @Provide
    Arbitrary<byte[]> builtPackets() {
        return Arbitraries.oneOf(
                optionLists().map(PacketFuzzTest::synAck),
                Arbitraries.integers().between(0, 300).map(PacketFuzzTest::portUnreachable),
                Arbitraries.integers().between(0, 120).map(PacketFuzzTest::echoReply));
    }

    @Provide
    Arbitrary<Mutations.BytesMutant> pcapMutants() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String c : HostilePackets.CAPTURES) {
            seeds.put(c + ".pcap", HostilePackets.pcap(c));
        }
        return Mutations.bytes(seeds, 6);
    }
}
