package io.scanfarm.matcher.tests;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The SEQ test's sequence values (SP, GCD, ISR, TS) and the side results Nmap prints from them: the TCP
 * sequence prediction difficulty and the uptime guess (osscan2.cc HostOsScan::makeTSeqFP).
 */
public final class SeqAnalysis {

    enum TsClass { UNKNOWN, ZERO, UNSUPPORTED, HZ2, HZ100, HZ1000, OTHER }

    /** Results; null fields are attributes Nmap leaves out. */
    public record Result(String sp, String gcd, String isr, String ts, Integer index, int responses, Long lastBootSeconds) {
    }

    private SeqAnalysis() {
    }

    /** The values from the accepted SEQ replies, in any order (each knows its probe's slot). */
    public static Result analyse(List<SeqSample> accepted) {
        // Timestamp class, set reply by reply in arrival order; the last "no option" or "zero" wins.
        TsClass tsClass = TsClass.UNKNOWN;
        List<SeqSample> byArrival = new ArrayList<>(accepted);
        byArrival.sort(Comparator.comparingLong(SeqSample::capturedMicros));
        for (SeqSample s : byArrival) {
            if (s.tsVal() == null) {
                tsClass = TsClass.UNSUPPORTED;
            } else if (s.tsVal() == 0) {
                tsClass = TsClass.ZERO;
            }
        }
        // An ISN of zero counts as a missing sample; the rest are packed in slot order.
        List<SeqSample> good = new ArrayList<>();
        for (SeqSample s : accepted) {
            if (s.isn() != 0) {
                good.add(s);
            }
        }
        good.sort(Comparator.comparingInt(SeqSample::slot));
        int responses = good.size();
        int pairs = Math.max(0, responses - 1);
        long[] seqDiffs = new long[pairs];
        long[] tsDiffs = new long[pairs];
        long[] usec = new long[pairs];
        float[] rates = new float[pairs];
        double avgRate = 0;
        for (int j = 1; j < responses; j++) {
            SeqSample a = good.get(j - 1);
            SeqSample b = good.get(j);
            seqDiffs[j - 1] = modDiff(b.isn(), a.isn());
            tsDiffs[j - 1] = modDiff(b.tsVal() == null ? 0 : b.tsVal(), a.tsVal() == null ? 0 : a.tsVal());
            long us = b.sentMicros() - a.sentMicros();
            usec[j - 1] = us == 0 ? 1 : us;
            rates[j - 1] = (float) (seqDiffs[j - 1] * 1000000.0 / usec[j - 1]);
            avgRate += rates[j - 1];
        }

        String sp = null;
        String gcdText = null;
        String isr = null;
        Integer index = null;
        if (responses >= 4) {
            avgRate /= responses - 1;
            long gcd = gcd(seqDiffs);
            long isrValue;
            int spValue;
            if (gcd == 0) {
                isrValue = 0;
                spValue = 0;
            } else {
                isrValue = (long) (log2(avgRate) * 8 + 0.5) & 0xFFFF_FFFFL;
                float div = gcd > 9 ? (float) gcd : 1f;
                double var = 0;
                for (float rate : rates) {
                    double d = (double) (rate / div) - avgRate / (gcd > 9 ? gcd : 1);
                    var += d * d;
                }
                var /= responses - 2;
                double sd = Math.sqrt(var);
                spValue = sd <= 1 ? 0 : (int) (log2(sd) * 8 + 0.5);
            }
            sp = hex(spValue);
            gcdText = Long.toHexString(gcd).toUpperCase();
            isr = Long.toHexString(isrValue).toUpperCase();
            index = spValue;
        }

        String ts = null;
        Long lastBoot = null;
        if (tsClass == TsClass.ZERO) {
            ts = "0";
        } else if (tsClass == TsClass.UNSUPPORTED) {
            ts = "U";
        } else if (responses >= 2) {
            double hz = 0;
            for (int i = 0; i < pairs; i++) {
                hz += (tsDiffs[i] / (usec[i] / 1000000.0)) / pairs;
            }
            long ts0 = good.get(0).tsVal() == null ? 0 : good.get(0).tsVal();
            long uptime;
            if (hz > 0 && hz < 5.66) {
                uptime = ts0 / 2;
            } else if (hz > 70 && hz < 150) {
                uptime = ts0 / 100;
            } else if (hz > 724 && hz < 1448) {
                uptime = ts0 / 1000;
            } else if (hz > 0) {
                uptime = ts0 / (long) (hz + 0.5);
            } else {
                uptime = 0;
            }
            if (uptime > 63_072_000L) {
                uptime = 0; // more than two years: Nmap does not believe it
            }
            lastBoot = good.get(0).sentMicros() / 1_000_000 - uptime;
            if (hz > 0) {
                long tsNum;
                if (hz <= 5.66) {
                    tsNum = 1;
                } else if (hz > 70 && hz <= 150) {
                    tsNum = 7;
                } else if (hz > 150 && hz <= 350) {
                    tsNum = 8;
                } else {
                    tsNum = (long) (log2(hz) + 0.5);
                }
                ts = Long.toHexString(tsNum).toUpperCase();
            }
        }
        return new Result(sp, gcdText, isr, ts, index, responses, lastBoot);
    }

    /** The smaller of the two distances between a and b on the 32-bit circle (Nmap's MOD_DIFF). */
    public static long modDiff(long a, long b) {
        long d1 = (a - b) & 0xFFFF_FFFFL;
        long d2 = (b - a) & 0xFFFF_FFFFL;
        return Math.min(d1, d2);
    }

    /** Euclid over the list the way Nmap's gcd_n_uint folds it; an empty list gives 1. */
    public static long gcd(long[] values) {
        if (values.length == 0) {
            return 1;
        }
        long a = values[0];
        for (int i = 1; i < values.length; i++) {
            long b = values[i];
            if (a < b) {
                long c = a;
                a = b;
                b = c;
            }
            while (b != 0) {
                long c = a % b;
                a = b;
                b = c;
            }
        }
        return a;
    }

    /** Nmap's difficulty words for the sequence index (osscan.cc seqidx2difficultystr). */
    static String difficulty(int index) {
        if (index < 3) {
            return "Trivial joke";
        } else if (index < 6) {
            return "Easy";
        } else if (index < 11) {
            return "Medium";
        } else if (index < 12) {
            return "Formidable";
        } else if (index < 16) {
            return "Worthy challenge";
        }
        return "Good luck!";
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2.0);
    }

    private static String hex(long v) {
        return Long.toHexString(v).toUpperCase();
    }
}
