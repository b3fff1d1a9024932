package io.scanfarm.matcher.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads a classic pcap file of Ethernet frames (as tcpdump -w writes it) into IPv4 packets with their times. */
final class PcapFile {

    record Frame(long micros, byte[] srcMac, byte[] ip) {
    }

    private PcapFile() {
    }

    static List<Frame> read(InputStream in) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(in.readAllBytes());
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xa1b2c3d4) {
                throw new IOException("not a microsecond pcap file");
            }
        }
        int linkType = b.getInt(20);
        if (linkType != 1) {
            throw new IOException("link type " + linkType + " is not Ethernet");
        }
        List<Frame> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.limit()) {
            long sec = b.getInt(pos) & 0xFFFF_FFFFL;
            long usec = b.getInt(pos + 4) & 0xFFFF_FFFFL;
            int incl = b.getInt(pos + 8);
            int frame = pos + 16;
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
