package io.scanfarm.matcher.tests.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.observation.Route;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole first-generation fingerprints from hand-built NMAP1 exchanges: the probes as the plan sends them (T1-T7 and
 * PU, then TSEQ1-6 110 ms apart) and the replies a stack gives.
 */
class FirstGenComputerTest {

    private static final int TCP_BASE = 40000;
    private static final int UDP_BASE = 41000;
    private static final long SEQ_BASE = 0x10000000L;
    private static final long T0 = 1_764_000_000_000_000L; // 2025-11-24 16:00:00 UTC
    private static final String OPTIONS = "03030A0102040109080A3F3F3F3F000000000000";
    private static final String LINUX_OPTIONS = "020405B40101080A000FA00000000000010303 07".replace(" ", "");

    @Test
    void aStackThatAnswersEverything() {
        Exchange x = new Exchange(true);
        x.tcp("T1", 7, 80, 0x42, reply(7, 80, 0x12, 0x16A0, SEQ_BASE + 1, 500, true, LINUX_OPTIONS));
        x.tcp("T2", 8, 80, 0x00, reply(8, 80, 0x14, 0, SEQ_BASE, 501, true, ""));
        x.tcp("T3", 9, 80, 0x2B, reply(9, 80, 0x12, 0x16A0, SEQ_BASE + 1, 502, true, LINUX_OPTIONS));
        x.tcp("T4", 10, 80, 0x10, reply(10, 80, 0x04, 0, 0, 503, true, ""));
        x.tcp("T5", 11, 1, 0x02, reply(11, 1, 0x14, 0, SEQ_BASE + 1, 504, true, ""));
        x.tcp("T6", 12, 1, 0x10, reply(12, 1, 0x04, 0, 0, 505, true, ""));
        x.tcp("T7", 13, 1, 0x29, reply(13, 1, 0x14, 0, SEQ_BASE + 1, 506, true, ""));
        x.pu(true);
        x.sequence(new long[] {1000, 1001, 1021, 1022, 1043, 1044}, 1000, 11);
        FirstGenFingerprint fp = FirstGenComputer.compute(x.observation(80, 1, true, Route.DIRECT), "4.20");
        assertEquals(List.of(
                "SInfo(V=4.20%P=scanfarm%D=11/24%Tm=69248100%O=80%C=1%M=02AB00)",
                "TSeq(Class=TD%gcd=1%SI=A%IPID=I%TS=100HZ)",
                "T1(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=MNNTNW)",
                "T2(Resp=Y%DF=Y%W=0%ACK=S%Flags=AR%Ops=)",
                "T3(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=MNNTNW)",
                "T4(Resp=Y%DF=Y%W=0%ACK=O%Flags=R%Ops=)",
                "T5(Resp=Y%DF=Y%W=0%ACK=S++%Flags=AR%Ops=)",
                "T6(Resp=Y%DF=Y%W=0%ACK=O%Flags=R%Ops=)",
                "T7(Resp=Y%DF=Y%W=0%ACK=S++%Flags=AR%Ops=)",
                "PU(Resp=Y%DF=N%TOS=C0%IPLEN=164%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=E)"), fp.lines());
        assertEquals(T0 / 1_000_000 - 10, fp.sequence().lastBoot(), "TSval 1000 at 100 Hz: up 10 s");
    }

    @Test
    void unansweredProbesPrintRespN() {
        Exchange x = new Exchange(true);
        for (int i = 1; i <= 7; i++) {
            x.tcp("T" + i, 6 + i, i <= 4 ? 80 : 1, 0x02);
        }
        x.pu(false);
        x.sequence(null, 0, 0);
        FirstGenFingerprint fp = FirstGenComputer.compute(x.observation(80, 1, true, Route.ROUTED), "4.20");
        assertEquals(List.of("SInfo(V=4.20%P=scanfarm%D=11/24%Tm=69248100%O=80%C=1)", "T1(Resp=N)", "T2(Resp=N)", "T3(Resp=N)",
                "T4(Resp=N)", "T5(Resp=N)", "T6(Resp=N)", "T7(Resp=N)", "PU(Resp=N)"), fp.lines());
        assertNull(fp.test("TSeq"), "no TSeq without four sequence replies");
    }

    @Test
    void withoutAnOpenPortThereIsNoTSeqNorT1ToT4AndAGuessedClosedPortIsMinusOne() {
        Exchange x = new Exchange(false);
        x.tcp("T5", 11, 33333, 0x02, reply(11, 33333, 0x14, 0, SEQ_BASE + 1, 504, false, ""));
        x.tcp("T6", 12, 33333, 0x10);
        x.tcp("T7", 13, 33333, 0x29);
        x.pu(true);
        FirstGenFingerprint fp = FirstGenComputer.compute(x.observation(-1, 33333, false, Route.ROUTED), "4.20");
        assertEquals(List.of("SInfo(V=4.20%P=scanfarm%D=11/24%Tm=69248100%O=-1%C=-1)", "T5(Resp=Y%DF=N%W=0%ACK=S++%Flags=AR%Ops=)",
                "T6(Resp=N)", "T7(Resp=N)", "PU(Resp=Y%DF=N%TOS=C0%IPLEN=164%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=E)"),
                fp.lines());
    }

    @Test
    void repliesFromElsewhereOrToOtherPortsAnswerNothing() {
        Exchange x = new Exchange(true);
        byte[] fromOther = RawPackets.tcp(0x0A000001, RawPackets.AGENT, 80, TCP_BASE + 7, 1, SEQ_BASE + 1, 0x12, 1, 1, true, "", new byte[0]);
        byte[] otherPort = RawPackets.tcp(RawPackets.TARGET, RawPackets.AGENT, 80, TCP_BASE + 8, 1, SEQ_BASE + 1, 0x12, 1, 1, true, "",
                new byte[0]);
        byte[] garbage = {0x45, 0, 0};
        x.tcp("T1", 7, 80, 0x42, new Capture(fromOther, T0 + 100), new Capture(otherPort, T0 + 101), new Capture(garbage, T0 + 102));
        FirstGenFingerprint fp = FirstGenComputer.compute(x.observation(80, 1, true, Route.ROUTED), "v");
        assertEquals("T1(Resp=N)", fp.test("T1").toString());
    }

    @Test
    void theEarliestReplyOverAllTransmissionsIsTheOneUsed() {
        Exchange x = new Exchange(true);
        byte[] late = RawPackets.tcp(RawPackets.TARGET, RawPackets.AGENT, 80, TCP_BASE + 8, 1, SEQ_BASE, 0x14, 0, 9, true, "", new byte[0]);
        byte[] early = RawPackets.tcp(RawPackets.TARGET, RawPackets.AGENT, 80, TCP_BASE + 8, 1, SEQ_BASE + 1, 0x12, 0x400, 9, false, "",
                new byte[0]);
        x.tcp("T2", 8, 80, 0x00, new Capture(late, T0 + 900_000));
        x.tcp("T2", 8, 80, 0x00, new Capture(early, T0 + 800_000));
        FirstGenFingerprint fp = FirstGenComputer.compute(x.observation(80, 1, true, Route.ROUTED), "v");
        assertEquals("T2(Resp=Y%DF=N%W=400%ACK=S++%Flags=AS%Ops=)", fp.test("T2").toString());
    }

    @Test
    void onLocalhostTheIpIdsOurOwnRstsTookAreAllowedFor() {
        Exchange local = new Exchange(true);
        local.sequence(new long[] {1000, 1001, 1021, 1022, 1043, 1044}, 1000, 11, 2);
        assertEquals("TSeq(Class=TD%gcd=1%SI=A%IPID=I%TS=100HZ)",
                FirstGenComputer.compute(local.observation(80, 1, true, Route.LOCALHOST), "v").test("TSeq").toString());
        Exchange remote = new Exchange(true);
        remote.sequence(new long[] {1000, 1001, 1021, 1022, 1043, 1044}, 1000, 11, 257);
        assertEquals("TSeq(Class=TD%gcd=1%SI=A%TS=100HZ)",
                FirstGenComputer.compute(remote.observation(80, 1, true, Route.ROUTED), "v").test("TSeq").toString());
    }

    // ---- building an exchange ----

    private static Capture reply(int srcOffset, int port, int flags, int window, long ack, int ipId, boolean df, String options) {
        byte[] b = RawPackets.tcp(RawPackets.TARGET, RawPackets.AGENT, port, TCP_BASE + srcOffset, 0x7000_0000L + srcOffset, ack, flags,
                window, ipId, df, options, new byte[0]);
        return new Capture(b, T0 + 1000 + srcOffset);
    }

    private static final class Exchange {
        private final List<ProbeRecord> probes = new ArrayList<>();
        private final boolean open;

        Exchange(boolean open) {
            this.open = open;
        }

        void tcp(String id, int srcOffset, int port, int flags, Capture... replies) {
            byte[] sent = RawPackets.tcp(RawPackets.AGENT, RawPackets.TARGET, TCP_BASE + srcOffset, port, SEQ_BASE, 0, flags, 2048, 77,
                    false, OPTIONS, new byte[0]);
            probes.add(new ProbeRecord(id, sent, T0 + srcOffset, List.of(replies)));
        }

        void pu(boolean answered) {
            byte[] sent = RawPackets.udp(RawPackets.AGENT, RawPackets.TARGET, UDP_BASE, 40125, 0x3131, 'Q', 300);
            List<Capture> replies = answered
                    ? List.of(new Capture(RawPackets.unreachable(RawPackets.TARGET, RawPackets.AGENT, 3, sent, 328, false, 0xC0), T0 + 2000))
                    : List.of();
            probes.add(new ProbeRecord("PU", sent, T0 + 20, replies));
        }

        void sequence(long[] isns, long ts0, long tsStep) {
            sequence(isns, ts0, tsStep, 1);
        }

        /** TSEQ1-6 110 ms apart; each answered (when isns is not null) 1 ms later, IP IDs stepping by idStep. */
        void sequence(long[] isns, long ts0, long tsStep, int idStep) {
            if (!open) {
                return;
            }
            for (int i = 1; i <= 6; i++) {
                long sentAt = T0 + 300_000 + (i - 1) * 110_000L;
                byte[] sent = RawPackets.tcp(RawPackets.AGENT, RawPackets.TARGET, TCP_BASE + i, 80, SEQ_BASE + i, 0, 0x02, 3072, 77,
                        false, OPTIONS, new byte[0]);
                List<Capture> replies = new ArrayList<>();
                if (isns != null) {
                    String ts = String.format("0101080A%08X00000000", ts0 + (i - 1) * tsStep);
                    byte[] r = RawPackets.tcp(RawPackets.TARGET, RawPackets.AGENT, 80, TCP_BASE + i, isns[i - 1], SEQ_BASE + i + 1, 0x12,
                            0x16A0, 600 + (i - 1) * idStep, true, ts, new byte[0]);
                    replies.add(new Capture(r, sentAt + 1000));
                }
                probes.add(new ProbeRecord("TSEQ" + i, sent, sentAt, replies));
            }
        }

        Observation observation(int open, int closed, boolean closedKnown, Route route) {
            byte[] mac = route == Route.DIRECT ? new byte[] {0x02, (byte) 0xAB, 0x00, 0x11, 0x22, 0x33} : null;
            return new Observation("198.18.1.2", open, closed, closedKnown, 40125, route, mac, T0 / 1_000_000, probes);
        }
    }
}
