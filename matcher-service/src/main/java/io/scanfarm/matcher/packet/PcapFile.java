package io.scanfarm.matcher.packet;

import io.scanfarm.matcher.packet.MalformedPacketException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a classic pcap file of Ethernet frames (as {@code tcpdump -w} writes it) into its IPv4 packets with their
 * capture times; other frames (ARP, IPv6) are skipped.
 */
public final class PcapFile {

    /** An IPv4 packet (from the IP header on), the Ethernet source it came from and when it was captured. */
    public record Frame(long micros, byte[] srcMac, byte[] ip) {
    }

    private PcapFile() {
    }

    public static List<Frame> parse(byte[] file) throws MalformedPacketException {
        ByteBuffer b = ByteBuffer.wrap(file);
        if (file.length < 24) {
            throw new MalformedPacketException(Kind.CAPTURE_FILE, "not a pcap file (" + file.length + " bytes)");
        }
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xa1b2c3d4) {
                throw new MalformedPacketException(Kind.CAPTURE_FILE, "not a microsecond pcap file");
            }
        }
        int linkType = b.getInt(20);
        if (linkType != 1) {
            throw new MalformedPacketException(Kind.CAPTURE_FILE, "link type " + linkType + " is not Ethernet");
        }
        List<Frame> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.limit()) {
            long sec = b.getInt(pos) & 0xFFFF_FFFFL;
            long usec = b.getInt(pos + 4) & 0xFFFF_FFFFL;
            int incl = b.getInt(pos + 8);
            int frame = pos + 16;
            if (incl < 0 || incl > b.limit() - frame) {
                throw new MalformedPacketException(Kind.CAPTURE_FILE,
                        "pcap record at offset " + (frame - 16) + " runs past the end of the file");
            }
            pos = frame + incl;
            if (incl < 14 || (b.get(frame + 12) & 0xFF) != 0x08 || b.get(frame + 13) != 0x00) {
                continue; // not IPv4 (ARP and the like)
            }
            byte[] raw = new byte[incl];
            b.get(frame, raw);
            out.add(new Frame(sec * 1_000_000 + usec, Arrays.copyOfRange(raw, 6, 12), Arrays.copyOfRange(raw, 14, incl)));
        }
        return out;
    }
}
