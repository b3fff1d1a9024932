package io.scanfarm.matcher.tests.gen1;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.tests.SeqAnalysis;
import java.util.ArrayList;
import java.util.List;

/**
 * The TSeq test from the packed sequence samples (osscan.cc get_fingerprint), and what Nmap printed beside it:
 * the sequence class and difficulty index, the IP ID class and the last boot from the timestamps.
 *
 * <p>With four samples or more: the gcd of the ISN differences (each the shorter way round the 32-bit circle);
 * 0 gives C, a multiple of 64000 64K, of 800 i800; a raw difference above 50,000,000 gives TR; otherwise the
 * differences divided by the gcd give the sequence index SI, the root of their mean squared distance from their
 * (truncated) mean, rounded: below 75 TD, else RI. Fewer than four samples: no TSeq line at all.
 */
public final class TSeqAnalysis {

    /**
     * @param attrs     the TSeq attributes, null below four samples
     * @param index     the difficulty index Nmap printed (0 for C, 1 for 64K, 10 for i800, 9999999 for TR)
     * @param lastBoot  epoch seconds of the last boot from the timestamps, null when unknown
     */
    public record Result(List<Attr> attrs, SeqClass seqClass, long gcd, long index, IpIdSequence ipId,
                         TimestampClass timestamps, Long lastBoot, int samples) {

        /** Nmap's difficulty words for the index (osscan.cc seqidx2difficultystr, first generation). */
        public String difficulty() {
            return index < 10 ? "Trivial joke" : index < 80 ? "Easy" : index < 3000 ? "Medium" : index < 5000
                    ? "Formidable" : index < 100000 ? "Worthy challenge" : "Good luck!";
        }
    }

    /** More than two years of uptime is not believed (get_fingerprint: 63072000 s). */
    private static final long MAX_UPTIME_SECONDS = 63_072_000L;

    private TSeqAnalysis() {
    }

    public static Result analyse(List<SeqSample> s, TimestampClass readClass, boolean localhost) {
        int n = s.size();
        List<Integer> ids = new ArrayList<>();
        for (SeqSample x : s) {
            ids.add(x.ipId());
        }
        IpIdSequence ipId = IpIdSequence.of(ids, localhost);

        TimestampClass ts = readClass;
        Long lastBoot = null;
        if (ts == TimestampClass.UNKNOWN && n >= 2) {
            double hz = 0;
            for (int i = 0; i < n - 1; i++) {
                long usec = s.get(i + 1).sentMicros() - s.get(i).sentMicros();
                if (usec == 0) {
                    usec = 1;
                }
                hz += modDiff(s.get(i + 1).tsVal(), s.get(i).tsVal()) / (usec / 1_000_000.0) / (n - 1);
            }
            long divisor = 0;
            if (hz > 0 && hz < 3.9) { // wide, for so short a sample of so slow a clock
                ts = TimestampClass.HZ2;
                divisor = 2;
            } else if (hz > 85 && hz < 115) {
                ts = TimestampClass.HZ100;
                divisor = 100;
            } else if (hz > 900 && hz < 1100) {
                ts = TimestampClass.HZ1000;
                divisor = 1000;
            }
            if (divisor > 0) {
                long firstSent = Math.floorDiv(s.get(0).sentMicros(), 1_000_000L);
                long boot = firstSent - s.get(0).tsVal() / divisor;
                lastBoot = boot == 0 || firstSent - boot > MAX_UPTIME_SECONDS ? null : boot;
            }
        }

        if (n < 4) {
            return new Result(null, SeqClass.UNKNOWN, 0, 0, ipId, ts, lastBoot, n);
        }
        long[] diffs = new long[n - 1];
        for (int i = 0; i < n - 1; i++) {
            diffs[i] = modDiff(s.get(i + 1).isn(), s.get(i).isn());
        }
        long gcd = gcd(diffs);
        SeqClass seqClass = SeqClass.UNKNOWN;
        long index = 0;
        long sumOfDivided = 0;
        if (gcd != 0) {
            for (int i = 0; i < diffs.length; i++) {
                diffs[i] /= gcd;
            }
            for (int i = 0; i < diffs.length; i++) {
                if (modDiff(s.get(i + 1).isn(), s.get(i).isn()) > 50_000_000L) {
                    seqClass = SeqClass.TRULY_RANDOM;
                    index = 9_999_999;
                    break;
                }
                sumOfDivided = (sumOfDivided + diffs[i]) & 0xFFFF_FFFFL;
            }
        }
        // The gcd rules come after TR and override it (the else-if chain in get_fingerprint).
        if (gcd == 0) {
            seqClass = SeqClass.CONSTANT;
            index = 0;
        } else if (gcd % 64000 == 0) {
            seqClass = SeqClass.SIXTY_FOUR_K;
            index = 1;
        } else if (gcd % 800 == 0) {
            seqClass = SeqClass.I800;
            index = 10;
        } else if (seqClass == SeqClass.UNKNOWN) {
            long mean = sumOfDivided / (n - 1); // unsigned integer division before Nmap's + 0.5
            double sum = 0;
            for (long d : diffs) {
                double dist = modDiff(d, mean);
                sum += dist * dist;
            }
            sum /= n - 1;
            index = (long) (0.5 + Math.sqrt(sum));
            seqClass = index < 75 ? SeqClass.TIME_DEPENDENT : SeqClass.RANDOM_INCREMENTS;
        }

        List<Attr> attrs = new ArrayList<>();
        attrs.add(new Attr("Class", seqClass.code()));
        if (seqClass == SeqClass.CONSTANT) {
            attrs.add(new Attr("Val", hex(s.get(0).isn())));
        } else if (seqClass == SeqClass.TIME_DEPENDENT || seqClass == SeqClass.RANDOM_INCREMENTS) {
            attrs.add(new Attr("gcd", hex(gcd)));
            attrs.add(new Attr("SI", hex(index)));
        }
        if (ipId.code() != null) {
            attrs.add(new Attr("IPID", ipId.code()));
        }
        if (ts.code() != null) {
            attrs.add(new Attr("TS", ts.code()));
        }
        return new Result(attrs, seqClass, gcd, index, ipId, ts, lastBoot, n);
    }

    /** The shorter distance between two 32-bit values (Nmap's MOD_DIFF), as the second generation computes it. */
    static long modDiff(long a, long b) {
        return SeqAnalysis.modDiff(a, b);
    }

    /** Euclid folded over the list as Nmap's gcd_n_uint does it, shared with the second generation. */
    static long gcd(long[] values) {
        return SeqAnalysis.gcd(values);
    }

    private static String hex(long v) {
        return Long.toHexString(v).toUpperCase();
    }
}
