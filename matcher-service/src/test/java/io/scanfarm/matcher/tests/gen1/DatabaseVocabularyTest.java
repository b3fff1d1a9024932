package io.scanfarm.matcher.tests.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.oracle.SharedTestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The last first-generation database (../shared/testdata/nmap-gen1) speaks the language this package prints:
 * its attributes come in the order osscan.cc printed them, and every literal value it lists for an enumerated
 * attribute is one this package can produce. A value or an order we never print would mean a fingerprint that
 * could never match.
 */
class DatabaseVocabularyTest {

    private static final Map<String, List<String>> ORDER = Map.of(
            "T", List.of("Resp", "DF", "W", "ACK", "Flags", "Ops"),
            "PU", List.of("Resp", "DF", "TOS", "IPLEN", "RIPTL", "RID", "RIPCK", "UCK", "ULEN", "DAT"));
    private static final Map<String, Set<String>> VALUES = Map.of(
            "Class", Set.of("C", "64K", "i800", "TD", "RI", "TR"),
            "IPID", Set.of("Z", "RD", "RPI", "C", "I", "BI"),
            "TS", Set.of("0", "U", "2HZ", "100HZ", "1000HZ"),
            "ACK", Set.of("S++", "S", "O"),
            "RID", Set.of("E", "F", "0"),
            "RIPCK", Set.of("E", "F", "0"),
            "UCK", Set.of("E", "F", "0"),
            "DAT", Set.of("E", "F"),
            "DF", Set.of("Y", "N"),
            "Resp", Set.of("Y", "N"));
    private static final Pattern LINE = Pattern.compile("^(TSeq|T[1-7]|PU)\\((.*)\\)\\s*$");

    @Test
    void attributesAndValuesAreOnesWePrint() throws Exception {
        List<String> problems = new ArrayList<>();
        int lines = 0;
        List<String> file = Files.readAllLines(SharedTestData.require("nmap-gen1/nmap-os-fingerprints"), StandardCharsets.ISO_8859_1);
        for (int n = 0; n < file.size(); n++) {
            Matcher m = LINE.matcher(file.get(n));
            if (!m.matches()) {
                continue;
            }
            lines++;
            String test = m.group(1);
            List<String> names = new ArrayList<>();
            for (String av : m.group(2).split("%")) {
                int eq = av.indexOf('=');
                String name = av.substring(0, eq);
                names.add(name);
                for (String alt : av.substring(eq + 1).split("\\|")) {
                    if (!producible(name, alt)) {
                        problems.add((n + 1) + ": " + name + "=" + alt);
                    }
                }
            }
            if (!inOrder(test, names)) {
                problems.add((n + 1) + ": order " + names);
            }
        }
        assertTrue(lines > 15_000, "the whole database was read: " + lines + " test lines");
        assertEquals(List.of(), problems);
    }

    private static boolean producible(String name, String value) {
        if (VALUES.containsKey(name)) {
            return VALUES.get(name).contains(value);
        }
        return switch (name) {
            case "Flags" -> value.matches("B?U?A?P?R?S?F?");
            case "Ops" -> value.matches("(ME?|[WNTL])*");
            default -> true; // numbers and expressions over them
        };
    }

    /** T and PU: a subsequence of the printed order. TSeq: Class first; IPID and TS last, in that order. */
    private static boolean inOrder(String test, List<String> names) {
        if (test.equals("TSeq")) {
            int ipid = names.indexOf("IPID");
            int ts = names.indexOf("TS");
            boolean tailOk = (ipid < 0 || ipid >= names.size() - 2) && (ts < 0 || ts == names.size() - 1) && (ipid < 0 || ts < 0 || ipid < ts);
            return names.get(0).equals("Class") && tailOk;
        }
        List<String> order = ORDER.get(test.equals("PU") ? "PU" : "T");
        int at = -1;
        for (String n : names) {
            int i = order.indexOf(n);
            if (i <= at) {
                return false;
            }
            at = i;
        }
        return true;
    }
}
