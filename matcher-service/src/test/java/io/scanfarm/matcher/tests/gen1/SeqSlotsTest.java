package io.scanfarm.matcher.tests.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.MalformedPacketException;
import io.scanfarm.matcher.packet.Tcp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How replies to the six sequence SYNs are filed into slots before TSeq looks at them. */
class SeqSlotsTest {

    private static final long BASE = 0xABCD0000L;
    private static final long T0 = 1_764_000_000_000_000L;
    private static final long[] SENT = {T0, T0 + 110_000, T0 + 220_000, T0 + 330_000, T0 + 440_000, T0 + 550_000};
    private static final String TS = "0101080A0000100000000000";
    private static final String NO_TS = "020405B4";
    private static final String TS_ZERO = "0101080A0000000000000000";

    @Test
    void eachReplyFiledUnderTheSynItAcknowledges() throws Exception {
        List<SeqSlots.Reply> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            replies.add(synAck(i, 1000 + i * 7, 50 + i, TS, SENT[i] + 300));
        }
        SeqSlots.Result r = SeqSlots.file(BASE, SENT, replies);
        assertEquals(List.of(1000L, 1007L, 1014L, 1021L, 1028L, 1035L), isns(r));
        assertEquals(SENT[3], r.samples().get(3).sentMicros());
        assertEquals(TimestampClass.UNKNOWN, r.readClass());
    }

    @Test
    void lateRepliesInAnyOrderStillGoToTheirOwnSlots() throws Exception {
        List<SeqSlots.Reply> replies = new ArrayList<>();
        int[] order = {3, 0, 5, 1, 4, 2};
        for (int k = 0; k < 6; k++) {
            int i = order[k];
            replies.add(synAck(i, 1000 + i, 50 + k, TS, SENT[5] + 1000 + k));
        }
        assertEquals(List.of(1000L, 1001L, 1002L, 1003L, 1004L, 1005L), isns(SeqSlots.file(BASE, SENT, replies)));
    }

    @Test
    void aRepeatOfThePreviousIpIdIsADuplicateEvenForAnotherSlot() throws Exception {
        List<SeqSlots.Reply> replies = List.of(synAck(0, 1000, 77, TS, SENT[0] + 10), synAck(1, 2000, 77, TS, SENT[1] + 10),
                synAck(2, 3000, 78, TS, SENT[2] + 10), synAck(3, 4000, 77, TS, SENT[3] + 10));
        assertEquals(List.of(1000L, 3000L, 4000L), isns(SeqSlots.file(BASE, SENT, replies)), "only back-to-back repeats drop");
    }

    @Test
    void anRstIsPassedOverButItsIpIdStillCounts() throws Exception {
        List<SeqSlots.Reply> replies = List.of(reply(0, 0x14, 999, 80, "", SENT[0] + 10), synAck(0, 1000, 80, TS, SENT[0] + 20),
                synAck(1, 2000, 81, TS, SENT[1] + 10));
        assertEquals(List.of(2000L), isns(SeqSlots.file(BASE, SENT, replies)));
    }

    @Test
    void anAckOfTheBareSequenceNumberShiftsEveryReplyOneSlotDown() throws Exception {
        // ack = base + i for SYN i: slot i - 2. SYN 1 falls out of range and takes the next free count (0); SYN 2
        // then claims the filled slot 0 and is lost; SYN 3-6 fill slots 1-4 with the send times of SYN 2-5.
        List<SeqSlots.Reply> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            replies.add(reply(i, 0x12, 1000 + i, 60 + i, TS, SENT[i] + 300, BASE + i + 1));
        }
        SeqSlots.Result r = SeqSlots.file(BASE, SENT, replies);
        assertEquals(List.of(1000L, 1002L, 1003L, 1004L, 1005L), isns(r));
        assertEquals(List.of(SENT[0], SENT[1], SENT[2], SENT[3], SENT[4]), r.samples().stream().map(SeqSample::sentMicros).toList());
    }

    @Test
    void anAckBeyondTheSynsSentSoFarTakesTheNextFreeCount() throws Exception {
        // Before SYN 2 left, an answer naming slot 4 is out of range: it is filed as response number 0.
        List<SeqSlots.Reply> replies = List.of(synAck(4, 4000, 90, TS, SENT[0] + 10), synAck(1, 2000, 91, TS, SENT[1] + 10));
        assertEquals(List.of(4000L, 2000L), isns(SeqSlots.file(BASE, SENT, replies)));
    }

    @Test
    void aZeroIsnLeavesItsSlotEmpty() throws Exception {
        List<SeqSlots.Reply> replies = List.of(synAck(0, 0, 90, TS, SENT[0] + 10), synAck(1, 2000, 91, TS, SENT[1] + 10));
        assertEquals(List.of(2000L), isns(SeqSlots.file(BASE, SENT, replies)));
    }

    @Test
    void theLastNewlyFiledReplySetsTheTimestampClass() throws Exception {
        List<SeqSlots.Reply> noneThenZero = List.of(synAck(0, 1000, 90, NO_TS, SENT[0] + 10), synAck(1, 2000, 91, TS_ZERO, SENT[1] + 10));
        assertEquals(TimestampClass.ZERO, SeqSlots.file(BASE, SENT, noneThenZero).readClass());
        List<SeqSlots.Reply> zeroThenNone = List.of(synAck(0, 1000, 90, TS_ZERO, SENT[0] + 10), synAck(1, 2000, 91, NO_TS, SENT[1] + 10));
        assertEquals(TimestampClass.UNSUPPORTED, SeqSlots.file(BASE, SENT, zeroThenNone).readClass());
        List<SeqSlots.Reply> repeatWithout = List.of(synAck(0, 1000, 90, TS, SENT[0] + 10), synAck(0, 1001, 91, NO_TS, SENT[0] + 20));
        assertEquals(TimestampClass.UNKNOWN, SeqSlots.file(BASE, SENT, repeatWithout).readClass(), "a second answer for a filled slot is not read");
    }

    @Test
    void theTimestampOfEachSampleIsItsTsval() throws Exception {
        SeqSlots.Result r = SeqSlots.file(BASE, SENT, List.of(synAck(0, 1000, 90, "0101080A0001E24000000000", SENT[0] + 10)));
        assertEquals(123456L, r.samples().get(0).tsVal());
    }

    private static List<Long> isns(SeqSlots.Result r) {
        return r.samples().stream().map(SeqSample::isn).toList();
    }

    private static SeqSlots.Reply synAck(int slot, long isn, int ipId, String options, long micros) throws MalformedPacketException {
        return reply(slot, 0x12, isn, ipId, options, micros, BASE + slot + 2);
    }

    private static SeqSlots.Reply reply(int slot, int flags, long isn, int ipId, String options, long micros) throws MalformedPacketException {
        return reply(slot, flags, isn, ipId, options, micros, BASE + slot + 2);
    }

    private static SeqSlots.Reply reply(int slot, int flags, long isn, int ipId, String options, long micros, long ack)
            throws MalformedPacketException {
        byte[] b = RawPackets.tcp(RawPackets.TARGET, RawPackets.AGENT, 80, 40001 + slot, isn, ack, flags, 5840, ipId, true, options,
                new byte[0]);
        return new SeqSlots.Reply(Tcp.parse(Ipv4.parse(b)), micros);
    }
}
