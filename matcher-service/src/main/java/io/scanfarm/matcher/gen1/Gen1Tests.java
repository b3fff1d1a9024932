package io.scanfarm.matcher.gen1;

import java.util.List;
import java.util.Map;

/**
 * The tests of first-generation OS detection and the attributes each carries, in the order Nmap 3.x/4.x printed
 * them (osscan.cc get_fingerprint, fingerprint_iptcppacket, fingerprint_portunreach). Each (test, attribute) pair
 * has a slot number, so a fingerprint's values fit in one flat array.
 */
public final class Gen1Tests {

    public static final String TSEQ = "TSeq";
    public static final String PU = "PU";
    /** The subject's information line (mergeFPs/WriteSInfo); never matched. */
    public static final String SINFO = "SInfo";

    /** The test names in printing order. */
    public static final List<String> ORDER = List.of(TSEQ, "T1", "T2", "T3", "T4", "T5", "T6", "T7", PU);

    private static final List<String> TCP = List.of("Resp", "DF", "W", "ACK", "Flags", "Ops");

    /** The attributes of each test; TSeq's Val only appears for the constant class (Class=C). */
    public static final Map<String, List<String>> ATTRS = Map.of(
            TSEQ, List.of("Class", "gcd", "SI", "IPID", "TS", "Val"),
            "T1", TCP, "T2", TCP, "T3", TCP, "T4", TCP, "T5", TCP, "T6", TCP, "T7", TCP,
            PU, List.of("Resp", "DF", "TOS", "IPLEN", "RIPTL", "RID", "RIPCK", "UCK", "ULEN", "DAT"));

    private static final int[] BASE = new int[ORDER.size() + 1];

    static {
        for (int t = 0; t < ORDER.size(); t++) {
            BASE[t + 1] = BASE[t] + ATTRS.get(ORDER.get(t)).size();
        }
    }

    /** How many (test, attribute) slots there are. */
    public static final int SLOTS = BASE[ORDER.size()];

    private Gen1Tests() {
    }

    /** The test's position in {@link #ORDER}, or -1 when it is not a first-generation test. */
    public static int testIndex(String name) {
        return ORDER.indexOf(name);
    }

    /** The slot of an attribute of a test, or -1 when the test does not carry that attribute. */
    public static int slot(String test, String attr) {
        int t = testIndex(test);
        if (t < 0) {
            return -1;
        }
        int a = ATTRS.get(test).indexOf(attr);
        return a < 0 ? -1 : BASE[t] + a;
    }
}
