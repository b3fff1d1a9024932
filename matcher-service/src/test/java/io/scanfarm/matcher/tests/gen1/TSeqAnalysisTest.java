package io.scanfarm.matcher.tests.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.scanfarm.matcher.fp.FpTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TSeq from constructed ISN, IP ID and timestamp runs (six samples 110 ms apart unless a row says otherwise).
 * SI values are worked by hand in the row names: the divided differences, their truncated mean, the root of the
 * mean squared distance, rounded.
 */
class TSeqAnalysisTest {

    private static final long T0 = 1_764_000_000_000_000L;
    private static final List<Integer> IDS_BY_1 = List.of(100, 101, 102, 103, 104, 105);

    static Stream<Arguments> isnRows() {
        return Stream.of(
                Arguments.of("the same ISN every time: C with its value", steps(0x1234, 0, 0, 0, 0, 0), "Class=C%Val=1234"),
                Arguments.of("steps of 64000: 64K", steps(5, 64000, 64000, 64000, 64000, 64000), "Class=64K"),
                Arguments.of("steps of 128000 and 64000: gcd 64000, 64K", steps(5, 128000, 64000, 192000, 64000, 64000), "Class=64K"),
                Arguments.of("steps of 800: i800", steps(5, 800, 800, 1600, 800, 2400), "Class=i800"),
                Arguments.of("falling by 800 goes the short way round: i800", steps(900000, -800, -800, -800, -800, -800), "Class=i800"),
                Arguments.of("steps 1,21,1,21,1: mean 9, distances 8,12: SI round(sqrt(96)) = 10, TD",
                        steps(7, 1, 21, 1, 21, 1), "Class=TD%gcd=1%SI=A"),
                Arguments.of("steps 100,2100,...: gcd 100 divides first, SI 10, TD", steps(7, 100, 2100, 100, 2100, 100),
                        "Class=TD%gcd=64%SI=A"),
                Arguments.of("steps 1,201,1,201,1: mean 81, distances 80,120: SI round(sqrt(9600)) = 98, RI",
                        steps(7, 1, 201, 1, 201, 1), "Class=RI%gcd=1%SI=62"),
                Arguments.of("steps 1,3,3,3,3: mean 13/5 taken as 2, distances 1: SI 1", steps(7, 1, 3, 3, 3, 3), "Class=TD%gcd=1%SI=1"),
                Arguments.of("one step over 50,000,000: TR", steps(7, 1_000_001, 60_000_001, 3, 5, 7), "Class=TR"),
                Arguments.of("steps of 64,000,000 are over 50,000,000 yet 64K wins", steps(7, 64_000_000, 64_000_000, 64_000_000,
                        64_000_000, 64_000_000), "Class=64K"),
                Arguments.of("the 32-bit ISN wraps: still i800", steps(0xFFFF_FC00L, 800, 800, 800, 800, 800), "Class=i800"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isnRows")
    void sequenceClass(String name, long[] isns, String expected) {
        TSeqAnalysis.Result r = TSeqAnalysis.analyse(samples(isns, IDS_BY_1, null), TimestampClass.UNSUPPORTED, false);
        assertEquals("TSeq(" + expected + "%IPID=I%TS=U)", new FpTest("TSeq", r.attrs()).toString());
    }

    static Stream<Arguments> timestampRows() {
        return Stream.of(
                Arguments.of("no timestamp option on some reply", TimestampClass.UNSUPPORTED, ts(1000, 11), "%TS=U"),
                Arguments.of("a zero TSval on some reply", TimestampClass.ZERO, ts(1000, 11), "%TS=0"),
                Arguments.of("0 or 1 tick per 110 ms averages 3.6 Hz: 2HZ", TimestampClass.UNKNOWN,
                        new long[] {100, 100, 101, 101, 101, 102}, "%TS=2HZ"),
                Arguments.of("11 ticks per 110 ms: 100HZ", TimestampClass.UNKNOWN, ts(1000, 11), "%TS=100HZ"),
                Arguments.of("110 ticks per 110 ms: 1000HZ", TimestampClass.UNKNOWN, ts(1000, 110), "%TS=1000HZ"),
                Arguments.of("22 ticks per 110 ms (200 Hz) has no class: no TS", TimestampClass.UNKNOWN, ts(1000, 22), ""),
                Arguments.of("a counter that stands still has no class: no TS", TimestampClass.UNKNOWN, ts(1000, 0), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestampRows")
    void timestampClass(String name, TimestampClass read, long[] tsVals, String expected) {
        TSeqAnalysis.Result r = TSeqAnalysis.analyse(samples(steps(7, 1, 21, 1, 21, 1), IDS_BY_1, tsVals), read, false);
        assertEquals("TSeq(Class=TD%gcd=1%SI=A%IPID=I" + expected + ")", new FpTest("TSeq", r.attrs()).toString());
    }

    @Test
    void ipIdClassFromTheSamplesAndLeftOutWhenUnknown() {
        TSeqAnalysis.Result random = TSeqAnalysis.analyse(samples(steps(7, 800, 800, 800, 800, 800),
                List.of(30000, 12000, 50000, 51000, 5, 9), null), TimestampClass.UNSUPPORTED, false);
        assertEquals("TSeq(Class=i800%IPID=RD%TS=U)", new FpTest("TSeq", random.attrs()).toString());
        TSeqAnalysis.Result unknown = TSeqAnalysis.analyse(samples(steps(7, 800, 800, 800, 800, 800),
                List.of(100, 120, 140, 160, 180, 200), null), TimestampClass.UNSUPPORTED, false);
        assertEquals("TSeq(Class=i800%TS=U)", new FpTest("TSeq", unknown.attrs()).toString());
    }

    @Test
    void fewerThanFourSamplesGiveNoTSeqButStillClassifyIpIdsAndTimestamps() {
        TSeqAnalysis.Result r = TSeqAnalysis.analyse(samples(new long[] {5, 805, 1605}, List.of(1, 2, 3), new long[] {10, 21, 32}),
                TimestampClass.UNKNOWN, false);
        assertNull(r.attrs());
        assertEquals(IpIdSequence.INCREMENTAL, r.ipId());
        assertEquals(TimestampClass.HZ100, r.timestamps());
    }

    @Test
    void lastBootFromA100HzClockAndNotBelievedPastTwoYears() {
        TSeqAnalysis.Result hour = TSeqAnalysis.analyse(samples(steps(7, 1, 21, 1, 21, 1), IDS_BY_1, ts(360_000, 11)),
                TimestampClass.UNKNOWN, false);
        assertEquals(T0 / 1_000_000 - 3600, hour.lastBoot());
        TSeqAnalysis.Result years = TSeqAnalysis.analyse(samples(steps(7, 1, 21, 1, 21, 1), IDS_BY_1, ts(200_000_000L, 0)),
                TimestampClass.UNKNOWN, false);
        assertNull(years.lastBoot(), "a standing clock has no rate");
        long[] slow = {200_000_000L, 200_000_000L, 200_000_001L, 200_000_001L, 200_000_001L, 200_000_002L};
        TSeqAnalysis.Result old = TSeqAnalysis.analyse(samples(steps(7, 1, 21, 1, 21, 1), IDS_BY_1, slow), TimestampClass.UNKNOWN, false);
        assertEquals(TimestampClass.HZ2, old.timestamps());
        assertNull(old.lastBoot(), "100,000,000 s of uptime is over two years");
    }

    @Test
    void indexAndDifficultyAsNmapPrintedThem() {
        assertEquals(10, TSeqAnalysis.analyse(samples(steps(5, 800, 800, 800, 800, 800), IDS_BY_1, null), TimestampClass.UNSUPPORTED, false).index());
        assertEquals("Easy", TSeqAnalysis.analyse(samples(steps(5, 800, 800, 800, 800, 800), IDS_BY_1, null), TimestampClass.UNSUPPORTED, false).difficulty());
        TSeqAnalysis.Result tr = TSeqAnalysis.analyse(samples(steps(7, 1_000_001, 60_000_001, 3, 5, 7), IDS_BY_1, null), TimestampClass.UNSUPPORTED, false);
        assertEquals(9_999_999, tr.index());
        assertEquals("Good luck!", tr.difficulty());
        assertEquals(SeqClass.TRULY_RANDOM, tr.seqClass());
        assertEquals("truly random", tr.seqClass().description());
    }

    /** ISNs from a start and five signed steps, on the 32-bit circle. */
    private static long[] steps(long start, long... deltas) {
        long[] out = new long[deltas.length + 1];
        out[0] = start & 0xFFFF_FFFFL;
        for (int i = 0; i < deltas.length; i++) {
            out[i + 1] = (out[i] + deltas[i]) & 0xFFFF_FFFFL;
        }
        return out;
    }

    private static long[] ts(long start, long step) {
        long[] out = new long[6];
        for (int i = 0; i < 6; i++) {
            out[i] = start + i * step;
        }
        return out;
    }

    private static List<SeqSample> samples(long[] isns, List<Integer> ids, long[] tsVals) {
        List<SeqSample> out = new ArrayList<>();
        for (int i = 0; i < isns.length; i++) {
            out.add(new SeqSample(isns[i], ids.get(i), tsVals == null ? 0 : tsVals[i], T0 + i * 110_000L));
        }
        return out;
    }
}
