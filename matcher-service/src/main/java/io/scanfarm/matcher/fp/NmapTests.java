package io.scanfarm.matcher.fp;

import java.util.List;
import java.util.Map;

/**
 * The tests of Nmap's second-generation fingerprint and their attributes, in the order Nmap 7.93 prints them
 * (osscan.cc, FingerPrintDef::test_attrs). A database's MatchPoints decides what is scored; this table decides
 * what a subject may carry and how it is printed.
 */
public final class NmapTests {

    public static final String SCAN = "SCAN";

    public static final List<String> ORDER = List.of(
            "SEQ", "OPS", "WIN", "ECN", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "U1", "IE");

    private static final List<String> TCP_ATTRS = List.of("R", "DF", "T", "TG", "W", "S", "A", "F", "O", "RD", "Q");

    public static final Map<String, List<String>> ATTRS = Map.ofEntries(
            Map.entry("SEQ", List.of("SP", "GCD", "ISR", "TI", "CI", "II", "SS", "TS")),
            Map.entry("OPS", List.of("O1", "O2", "O3", "O4", "O5", "O6")),
            Map.entry("WIN", List.of("W1", "W2", "W3", "W4", "W5", "W6")),
            Map.entry("ECN", List.of("R", "DF", "T", "TG", "W", "O", "CC", "Q")),
            Map.entry("T1", List.of("R", "DF", "T", "TG", "S", "A", "F", "RD", "Q")),
            Map.entry("T2", TCP_ATTRS),
            Map.entry("T3", TCP_ATTRS),
            Map.entry("T4", TCP_ATTRS),
            Map.entry("T5", TCP_ATTRS),
            Map.entry("T6", TCP_ATTRS),
            Map.entry("T7", TCP_ATTRS),
            Map.entry("U1", List.of("R", "DF", "T", "TG", "IPL", "UN", "RIPL", "RID", "RIPCK", "RUCK", "RUD")),
            Map.entry("IE", List.of("R", "DFI", "T", "TG", "CD")));

    private NmapTests() {
    }
}
