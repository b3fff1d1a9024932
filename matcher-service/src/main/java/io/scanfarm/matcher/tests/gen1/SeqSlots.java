package io.scanfarm.matcher.tests.gen1;

import io.scanfarm.matcher.packet.Tcp;
import io.scanfarm.matcher.tests.OptionString;
import java.util.ArrayList;
import java.util.List;

/**
 * How get_fingerprint (osscan.cc) files the replies to its sequence SYNs, reply by reply in arrival order: a
 * repeat of the previous reply's IP ID is a duplicate (whatever it is), RSTs and anything but SYN/ACK are passed
 * over, the slot comes from the acknowledgement number (ack - 2 - sequence base; out of range: the next free
 * count), a slot keeps its first non-zero ISN, and the timestamp class is set by each newly filed reply (no
 * option: U; TSval 0: 0). Then the filled slots are packed in slot order, each with its own SYN's send time.
 */
public final class SeqSlots {

    /** A reply to one of the sequence SYNs, as captured. */
    public record Reply(Tcp tcp, long capturedMicros) {
    }

    /** The packed samples and the timestamp class the reading left. */
    public record Result(List<SeqSample> samples, TimestampClass readClass) {
    }

    private SeqSlots() {
    }

    /**
     * @param sequenceBase the SYNs' sequence base (SYN i carried base + i)
     * @param sendMicros   when SYN 1..n left, in slot order (the number of SYNs sent is its length)
     * @param replies      the replies, in arrival order
     */
    public static Result file(long sequenceBase, long[] sendMicros, List<Reply> replies) {
        int sent = sendMicros.length;
        long[] isn = new long[sent];
        int[] ipId = new int[sent];
        long[] ts = new long[sent];
        int responses = 0;
        int lastIpId = 0;
        TimestampClass tsClass = TimestampClass.UNKNOWN;
        for (Reply r : replies) {
            if (responses >= sent) {
                break; // Nmap stops reading once it has as many answers as SYNs
            }
            Tcp t = r.tcp();
            int id = t.ip().id();
            if (lastIpId != 0 && id == lastIpId) {
                continue;
            }
            lastIpId = id;
            if (t.has(Tcp.RST) || !(t.has(Tcp.SYN) && t.has(Tcp.ACK))) {
                continue;
            }
            int sentBefore = 0;
            while (sentBefore < sent && sendMicros[sentBefore] <= r.capturedMicros()) {
                sentBefore++;
            }
            // Nmap reads while it has fewer answers than SYNs out; a reply that comes while it is not reading is
            // read after the next SYN leaves.
            int sentAtRead = Math.min(sent, Math.max(sentBefore, responses + 1));
            int slot = (int) ((t.ack() - 2 - sequenceBase) & 0xFFFF_FFFFL);
            if (slot < 0 || slot >= sentAtRead) {
                slot = responses;
            }
            if (isn[slot] == 0) {
                responses++;
                isn[slot] = t.seq();
                ipId[slot] = id;
                Long tsVal = OptionString.timestamp(t);
                if (tsVal == null) {
                    tsClass = TimestampClass.UNSUPPORTED;
                } else if (tsVal == 0) {
                    tsClass = TimestampClass.ZERO;
                }
                ts[slot] = tsVal == null ? 0 : tsVal;
            }
        }
        List<SeqSample> samples = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            if (isn[i] != 0) {
                samples.add(new SeqSample(isn[i], ipId[i], ts[i], sendMicros[i]));
            }
        }
        return new Result(samples, tsClass);
    }
}
