package io.scanfarm.matcher.packet;

import io.scanfarm.fuzz.Mutations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Hostile packets made from valid ones: the recorded exchanges' packets as seeds, and edits aimed at the header
 * fields parsers trust (IHL, total length, protocol, TCP data offset, option kinds and lengths, ICMP type and the
 * header it quotes, UDP length). Offsets are found with plain arithmetic on the bytes, never with the parser
 * under test; an edit whose field the packet does not have leaves it unchanged.
 */
public final class HostilePackets {

    public static final List<String> CAPTURES = List.of("default", "nots", "nows", "nosack", "ecn", "ttl128", "mtu1280", "bare");

    private HostilePackets() {
    }

    public enum Field {
        IP_VERSION, IP_IHL, IP_TOTAL_LENGTH, IP_PROTOCOL, IP_FRAGMENT, IP_SOURCE, TCP_DATA_OFFSET, TCP_FLAGS, TCP_PORTS,
        TCP_OPTION_KIND, TCP_OPTION_LENGTH, TCP_OPTIONS_NEVER_END, TCP_TRUNCATED, ICMP_TYPE_CODE, ICMP_ECHO_ID,
        QUOTED_IHL, QUOTED_TOTAL_LENGTH, QUOTED_PROTOCOL, QUOTED_PORTS, QUOTE_TRUNCATED, UDP_LENGTH
    }

    /** Sets one header field to a value chosen by {@code pick} among the boundary values for that field. */
    public record FieldEdit(Field field, int which, int pick) {

        public byte[] apply(byte[] in) {
            if (in.length < 1) {
                return in;
            }
            byte[] b = in.clone();
            int ihl = (b[0] & 0x0F) * 4;
            int n = b.length;
            switch (field) {
                case IP_VERSION -> b[0] = (byte) ((choose(0, 4, 6, 5, 15, 7) << 4) | (b[0] & 0x0F));
                case IP_IHL -> b[0] = (byte) ((b[0] & 0xF0) | Math.floorMod(pick, 16));
                case IP_TOTAL_LENGTH -> put16(b, 2, choose(0, 1, 19, 20, ihl - 1, ihl, ihl + 7, ihl + 8, ihl + 19, ihl + 20,
                        ihl + 27, ihl + 28, n - 1, n, n + 1, 0x7FFF, 0xFFFF, pick & 0xFFFF));
                case IP_PROTOCOL -> put8(b, 9, choose(Ipv4.ICMP, Ipv4.TCP, Ipv4.UDP, 0, 255, pick & 0xFF));
                case IP_FRAGMENT -> put16(b, 6, choose(0, 0x4000, 0x2000, 0x1FFF, 0xFFFF, pick & 0xFFFF));
                case IP_SOURCE -> put32(b, 12, pick * 0x9E3779B1);
                case TCP_DATA_OFFSET -> {
                    if (ihl >= 20 && ihl + 12 < n) {
                        b[ihl + 12] = (byte) ((Math.floorMod(pick, 16) << 4) | (b[ihl + 12] & 0x0F));
                    }
                }
                case TCP_FLAGS -> put8(b, ihl + 13, choose(0, 0xFF, Tcp.RST, 0x12, 0x14, 0xC2, pick & 0xFF));
                case TCP_PORTS -> put16(b, ihl + Math.floorMod(which, 2) * 2, choose(0, 0xFFFF, pick & 0xFFFF));
                case TCP_OPTION_KIND, TCP_OPTION_LENGTH -> {
                    int opt = optionAt(b, ihl, which);
                    if (opt >= 0) {
                        if (field == Field.TCP_OPTION_KIND) {
                            put8(b, opt, choose(0, 1, 2, 3, 4, 5, 8, 0xFE, 0xFF, pick & 0xFF));
                        } else {
                            put8(b, opt + 1, choose(0, 1, 2, 3, 4, 10, 11, 39, 40, 0xFF, pick & 0xFF));
                        }
                    }
                }
                case TCP_OPTIONS_NEVER_END -> {
                    if (ihl >= 20 && ihl + 12 < n) {
                        int end = Math.min(n, ihl + ((b[ihl + 12] & 0xF0) >> 4) * 4);
                        int fill = choose(1, 0xFE, 2, 3, 8, 4);
                        for (int i = ihl + 20; i < end; i++) {
                            b[i] = (byte) fill;
                        }
                    }
                }
                case TCP_TRUNCATED, QUOTE_TRUNCATED -> {
                    int from = field == Field.TCP_TRUNCATED ? ihl : ihl + 8;
                    return java.util.Arrays.copyOf(b, Math.max(0, Math.min(n, from + Math.floorMod(pick, 44))));
                }
                case ICMP_TYPE_CODE -> {
                    put8(b, ihl, choose(0, 3, 8, 11, 255, pick & 0xFF));
                    put8(b, ihl + 1, choose(0, 3, 9, 13, 255, (pick >>> 8) & 0xFF));
                }
                case ICMP_ECHO_ID -> put16(b, ihl + 4, pick & 0xFFFF);
                case QUOTED_IHL -> {
                    if (ihl + 8 < n) {
                        b[ihl + 8] = (byte) ((b[ihl + 8] & 0xF0) | Math.floorMod(pick, 16));
                    }
                }
                case QUOTED_TOTAL_LENGTH -> put16(b, ihl + 10, choose(0, 1, 20, 27, 28, 0xFFFF, pick & 0xFFFF));
                case QUOTED_PROTOCOL -> put8(b, ihl + 17, choose(Ipv4.ICMP, Ipv4.TCP, Ipv4.UDP, 0, pick & 0xFF));
                case QUOTED_PORTS -> {
                    int qihl = ihl + 8 < n ? (b[ihl + 8] & 0x0F) * 4 : 20;
                    put16(b, ihl + 8 + qihl + Math.floorMod(which, 2) * 2, choose(0, 0xFFFF, pick & 0xFFFF));
                }
                default -> put16(b, ihl + 4, choose(0, 1, 7, 8, 9, n - ihl, 0xFFFF, pick & 0xFFFF));
            }
            return b;
        }

        private int choose(int... values) {
            return values[Math.floorMod(pick * 31 + which, values.length)];
        }

        @Override
        public String toString() {
            return field + "#" + which + ":" + pick;
        }
    }

    /** The offset of the {@code which}-th TCP option (walking kinds 0 and 1 as one byte, others by their length byte). */
    static int optionAt(byte[] b, int ihl, int which) {
        if (ihl < 20 || ihl + 13 > b.length) {
            return -1;
        }
        int end = Math.min(b.length, ihl + ((b[ihl + 12] & 0xF0) >> 4) * 4);
        int p = ihl + 20;
        int found = -1;
        for (int i = 0; p < end && i <= Math.floorMod(which, 8); i++) {
            found = p;
            int kind = b[p] & 0xFF;
            int len = kind <= 1 || p + 1 >= end ? 1 : Math.max(2, b[p + 1] & 0xFF);
            p += len;
        }
        return found;
    }

    private static void put8(byte[] b, int off, int v) {
        if (off >= 0 && off < b.length) {
            b[off] = (byte) v;
        }
    }

    private static void put16(byte[] b, int off, int v) {
        put8(b, off, v >>> 8);
        put8(b, off + 1, v);
    }

    private static void put32(byte[] b, int off, int v) {
        put16(b, off, v >>> 16);
        put16(b, off + 2, v);
    }

    public static Arbitrary<FieldEdit> fieldEdits() {
        return Combinators.combine(Arbitraries.of(Field.class), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, Integer.MAX_VALUE)).as(FieldEdit::new);
    }

    /** A packet from the recordings with field edits and byte edits, in any mix. */
    public record PacketMutant(String seed, List<Object> edits, byte[] bytes) {
        @Override
        public String toString() {
            return seed + " " + edits + " -> " + java.util.HexFormat.of().formatHex(bytes);
        }
    }

    public static Arbitrary<PacketMutant> mutants(Map<String, byte[]> seeds) {
        Arbitrary<Object> edit = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, fieldEdits().map(e -> (Object) e)),
                net.jqwik.api.Tuple.of(2, Mutations.byteEdits().map(e -> (Object) e)));
        List<String> names = List.copyOf(seeds.keySet());
        return Combinators.combine(Arbitraries.of(names), edit.list().ofMinSize(1).ofMaxSize(4)).as((name, edits) -> {
            byte[] b = seeds.get(name);
            for (Object e : edits) {
                b = apply(e, b);
            }
            return new PacketMutant(name, edits, b);
        });
    }

    /** Applies a {@link FieldEdit} or a {@link Mutations.ByteEdit}. */
    public static byte[] apply(Object edit, byte[] b) {
        return edit instanceof FieldEdit f ? f.apply(b) : ((Mutations.ByteEdit) edit).apply(b);
    }

    /** Every IPv4 packet of the recorded exchanges (probes and answers), named capture#index. */
    public static Map<String, byte[]> recordedPackets() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String c : CAPTURES) {
            List<PcapFile.Frame> frames = frames(c);
            for (int i = 0; i < frames.size(); i++) {
                out.put(c + "#" + i, frames.get(i).ip());
            }
        }
        return out;
    }

    public static byte[] pcap(String capture) {
        try (InputStream in = HostilePackets.class.getResourceAsStream("/captures/" + capture + ".pcap")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<PcapFile.Frame> frames(String capture) {
        try {
            return PcapFile.parse(pcap(capture));
        } catch (MalformedPacketException e) {
            throw new IllegalStateException(capture + ".pcap is a recording this test relies on", e);
        }
    }
}
