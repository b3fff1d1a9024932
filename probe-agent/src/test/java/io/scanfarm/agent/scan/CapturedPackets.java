package io.scanfarm.agent.scan;

import io.scanfarm.agent.packet.PacketBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers to the agent's probes as a host would send them, made with the agent's own packet builder: the fuzz
 * tests' valid seeds and the rows of {@link AnswerTest}. The probed host is 198.18.1.2, the agent 198.18.1.1.
 */
public final class CapturedPackets {

    public static final int HOST = 0xC6120102;
    public static final int AGENT = 0xC6120101;
    public static final int OUR_PORT = 50_000;
    public static final int ECHO_ID = 0x1234;
    public static final int UDP_PORT = 40_000;

    private CapturedPackets() {
    }

    static PacketBuilder.IpFields from(int src, int dst) {
        return new PacketBuilder.IpFields(src, dst, 64, 0x4242, true, 0);
    }

    /** A SYN/ACK with Linux's usual options, from port 80 of the host to our port. */
    public static byte[] synAck() {
        byte[] options = {2, 4, 5, (byte) 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
        return PacketBuilder.tcp(from(HOST, AGENT), 80, OUR_PORT, 0x1000, 0x2001, 0x12, 65160, 0, 0, options);
    }

    public static byte[] reset() {
        return PacketBuilder.tcp(from(HOST, AGENT), 1, OUR_PORT, 0, 0x2001, 0x14, 0, 0, 0, new byte[0]);
    }

    public static byte[] echoReply() {
        byte[] b = PacketBuilder.icmpEcho(from(HOST, AGENT), 0, ECHO_ID, 295, new byte[120]);
        b[20] = 0; // echo reply
        return b;
    }

    /** A port unreachable from {@code sender} quoting our UDP probe to the host (its header and 300-byte payload). */
    public static byte[] portUnreachable(int sender) {
        byte[] probe = PacketBuilder.udp(from(AGENT, HOST), UDP_PORT, 33_000, new byte[300]);
        byte[] b = PacketBuilder.icmpEcho(from(sender, AGENT), 3, 0, 0, probe);
        b[20] = 3; // destination unreachable, code 3: port unreachable
        return b;
    }

    public static Map<String, byte[]> all() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("syn-ack", synAck());
        out.put("reset", reset());
        out.put("echo reply", echoReply());
        out.put("port unreachable", portUnreachable(HOST));
        out.put("port unreachable from a router", portUnreachable(0xC6120001));
        return out;
    }
}
